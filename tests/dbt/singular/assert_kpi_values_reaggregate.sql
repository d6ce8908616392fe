{#- Ratios are stored as numerator and denominator so that a coarser period is
    sum(numerator) / sum(denominator): every week and month row must equal the
    sum of its day rows, for every KPI that has day rows and is not computed
    per period (agent_quality_rate, backlog*, churn_rate, agent_attrition_rate).
    Returns the rows that do not.

    Checks the week and month rows the latest build wrote (its newest
    `_refreshed_at`; every row after a full build), as the generic tests do
    (macros/incremental/get_where_subquery.sql): a day row an incremental
    build rewrites lies in a recomputed period, whose week and month it
    rewrites too. `--vars '{test_whole_tables: true}'` checks every row. -#}

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

    select
        kpi_values.*,
        case
            when grain = 'week' then {{ dbt.dateadd('day', 7, 'period_start') }}
            else {{ dbt.dateadd('month', 1, 'period_start') }}
        end as period_end
    from kpi_values
    where grain in ('week', 'month')
        and kpi_id in (select distinct kpi_id from days)
        {%- if not var('test_whole_tables', false) %}
        and _refreshed_at = (select max(_refreshed_at) from kpi_values)
        {%- endif %}

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
        sum(days.numerator) as day_numerator,
        sum(days.denominator) as day_denominator
    from coarse
    left join days
        on coarse.kpi_id = days.kpi_id
        and coarse.scope_type = days.scope_type
        and coarse.scope_value = days.scope_value
        and days.period_start >= coarse.period_start
        and days.period_start < coarse.period_end
    group by 1, 2, 3, 4, 5, 6, 7

),

final as (

    select * from rolled_up
    where abs(coalesce(numerator, 0) - coalesce(day_numerator, 0)) > 1e-6 * (1 + abs(coalesce(numerator, 0)))
        or abs(coalesce(denominator, 0) - coalesce(day_denominator, 0)) > 1e-6 * (1 + abs(coalesce(denominator, 0)))

)

select * from final
