{#- kpi_values rows of agent_quality_rate: one row per grain, period and scope
    (overall, team, agent). A period-level KPI: for each output row, every
    subject (agent) of the row's observations gets its value over the whole
    period and scope (mean score_pct of its non-calibration evaluations in
    that period and scope), then numerator = subjects at standard, denominator
    = subjects. Never re-aggregated from day rows. Formula and parameters:
    macros/metrics/metric_agent_quality_rate.sql. -#}

{%- set metric = metric_agent_quality_rate() -%}
{#- vars kpi_grains / kpi_scope_types narrow the rows, as in kpi_rollup. -#}
{%- set grains = kpi_output_grains(['day', 'week', 'month']) -%}
{%- set scopes = kpi_output_scopes(metric.scopes) -%}
{%- set with_overall = kpi_output_overall() %}

with

observations as (

    select * from {{ ref(metric.fact) }}
    where
        {{ metric.anchor_date }} is not null
        and ({{ metric.filter }})

),

{# One row per observation, grain and scope the observation belongs to. #}
{%- set scope_columns = [] -%}
{%- if with_overall -%}
    {%- do scope_columns.append(('overall', none)) -%}
{%- endif -%}
{%- for scope_type, column in scopes.items() -%}
    {%- do scope_columns.append((scope_type, column)) -%}
{%- endfor -%}
{%- set is_empty = grains | length == 0 or scope_columns | length == 0 -%}
{%- if is_empty -%}
    {#- nothing selected: the same columns, no rows -#}
    {%- set grains = ['day'] -%}
    {%- set scope_columns = [('overall', none)] -%}
{%- endif %}
scoped_observations as (

    {%- for grain in grains %}
        {%- set grain_loop = loop %}
        {%- for scope_type, column in scope_columns %}

            select
                '{{ grain }}' as grain,
                {{ kpi_period_start(metric.anchor_date, grain) }} as period_start,
                '{{ scope_type }}' as scope_type,
                {{ "'*'" if column is none else 'cast(' ~ column ~ ' as ' ~ dbt.type_string() ~ ')' }} as scope_value,
                cast({{ metric.subject }} as {{ dbt.type_string() }}) as subject_id,
                observations.*
            from observations
            where {{ 'true' if column is none else column ~ ' is not null' }}{{ ' and false' if is_empty }}
            {{ 'union all' if not (grain_loop.last and loop.last) }}
        {%- endfor %}
    {%- endfor %}

),

subject_values as (

    select
        grain,
        period_start,
        scope_type,
        scope_value,
        subject_id,
        {{ metric.subject_value }} as subject_value
    from scoped_observations
    group by grain, period_start, scope_type, scope_value, subject_id

),

subject_parts as (

    select
        grain,
        period_start,
        scope_type,
        scope_value,
        subject_id,
        cast({{ metric.numerator }} as {{ type_double() }}) as numerator_part,
        cast({{ metric.denominator }} as {{ type_double() }}) as denominator_part
    from subject_values

),

aggregated as (

    select
        grain,
        period_start,
        scope_type,
        scope_value,
        sum(numerator_part) as numerator,
        sum(denominator_part) as denominator
    from subject_parts
    group by grain, period_start, scope_type, scope_value
    having sum(denominator_part) > 0

),

final as (

    select
        cast('{{ metric.kpi_id }}' as {{ dbt.type_string() }}) as kpi_id,
        cast(grain as {{ dbt.type_string() }}) as grain,
        cast(period_start as date) as period_start,
        cast(scope_type as {{ dbt.type_string() }}) as scope_type,
        cast(scope_value as {{ dbt.type_string() }}) as scope_value,
        cast(numerator as {{ type_double() }}) as numerator,
        cast(denominator as {{ type_double() }}) as denominator,
        cast({{ kpi_safe_value(metric.value, true) }} as {{ type_double() }}) as value,
        cast(null as {{ type_double() }}) as p50,
        cast(null as {{ type_double() }}) as p90
    from aggregated

)

select * from final
