{#- Ratios are stored as numerator and denominator so that a coarser period is
    sum(numerator) / sum(denominator): every week and month row must equal the
    sum of its day rows, for every KPI that has day rows and is not computed
    per period (agent_quality_rate, backlog*, churn_rate, agent_attrition_rate).
    Returns the rows that do not.

    Checks the week and month rows the latest build wrote (its newest
    `_refreshed_at`; every row after a full build), as the generic tests do
    (macros/incremental/get_where_subquery.sql): a day row an incremental
    build rewrites lies in a recomputed period, whose week and month it
    rewrites too. `--vars '{test_whole_tables: true}'` checks every row.

    The day rows are summed per KPI from the first period checked of that KPI
    only: after an incremental build most KPIs are checked over their
    recomputed periods alone, and the KPI groups rebuilt whole no longer pull
    every other KPI's history into the sums (10M tier: 14 s against 5 s). -#}

with

kpi_values as (

    select * from {{ ref('kpi_values') }}

),

days as (

    select * from kpi_values
    where grain = 'day'
        and kpi_id not in ('agent_quality_rate', 'churn_rate', 'agent_attrition_rate')
        and kpi_id not like 'backlog%'

),

coarse as (

    select * from kpi_values
    where grain in ('week', 'month')
        and kpi_id in (select distinct kpi_id from days)
        {%- if not var('test_whole_tables', false) %}
        and _refreshed_at = (select max(_refreshed_at) from kpi_values)
        {%- endif %}

),

{# Per KPI, the first period checked: the days before it are not summed. #}
checked_from as (

    select
        kpi_id,
        min(period_start) as first_period_start
    from coarse
    group by kpi_id

),

checked_days as (

    select days.*
    from days
    inner join checked_from
        on days.kpi_id = checked_from.kpi_id
    where days.period_start >= checked_from.first_period_start

),

{# The day rows summed per week and month they fall in (an equality join
    below, not a range join of every day against every period). #}
day_sums as (

    {%- for grain in ['week', 'month'] %}

        select
            kpi_id,
            '{{ grain }}' as grain,
            {{ kpi_period_start('period_start', grain) }} as period_start,
            scope_type,
            scope_value,
            sum(numerator) as day_numerator,
            sum(denominator) as day_denominator
        from checked_days
        group by kpi_id, {{ kpi_period_start('period_start', grain) }}, scope_type, scope_value
        {{ 'union all' if not loop.last }}
    {%- endfor %}

),

rolled_up as (

    select
        coarse.kpi_id,
        coarse.grain,
        coarse.period_start,
        coarse.scope_type,
        coarse.scope_value,
        coarse.numerator,
        coarse.denominator,
        day_sums.day_numerator,
        day_sums.day_denominator
    from coarse
    left join day_sums
        on
        coarse.kpi_id = day_sums.kpi_id
        and coarse.grain = day_sums.grain
        and coarse.period_start = day_sums.period_start
        and coarse.scope_type = day_sums.scope_type
        and coarse.scope_value = day_sums.scope_value

),

final as (

    select * from rolled_up
    where abs(coalesce(numerator, 0) - coalesce(day_numerator, 0)) > 1e-6 * (1 + abs(coalesce(numerator, 0)))
        or abs(coalesce(denominator, 0) - coalesce(day_denominator, 0)) > 1e-6 * (1 + abs(coalesce(denominator, 0)))

)

select * from final
