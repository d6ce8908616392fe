{#- One row per KPI value (kpi_id, grain, period_start, scope_type,
    scope_value) that needs attention: off target, or more than 3 robust
    standard deviations from its own baseline.

    Baseline: the 8 same-grain periods immediately before the value, same KPI
    and scope, all 8 present with a value. baseline_value is their median,
    robust_sd = 1.4826 x MAD (median absolute deviation from that median),
    robust_z_score = (value - baseline_value) / robust_sd, defined only when
    MAD > 0. The 8 prior values are window lags (one sort, no self-join) and
    median and MAD are scalar medians of those 8 (macro median_of_values);
    "all 8 present" means the 8th prior row starts exactly 8 periods earlier.

    deviation_direction describes the deviation that raised the alert: an
    anomaly (alone or with off_target) against its baseline, an off-target
    value against its target; worse/better in the KPI's direction, above/below
    for band and none KPIs. Values come from marts.kpi_values; no KPI formula
    is restated here. -#}

{{ config(materialized='table_in_parts', contract={'enforced': true}) }}
{#- Incremental by periods like kpi_values (macros/kpi/kpi_incremental_periods.sql):
    an incremental build recomputes the alerts of the periods kpi_values
    recomputed and of every KPI it rebuilt whole, reading the 8 periods
    before them for the baselines. -#}
{{ kpi_incremental_by_groups() }}
{%- set incremental = kpi_incremental_periods() -%}

{%- set baseline_periods = 8 -%}
{%- set anomaly_threshold = 3 -%}
{%- set mad_to_sd = 1.4826 %}

with

kpi_values as (

    select * from {{ ref('kpi_values') }}
    {%- if incremental %}
    where {{ kpi_recomputed_rows(lookback_periods=baseline_periods) }}
    {%- endif %}

),

kpi_definitions as (

    select * from {{ ref('kpi_definitions') }}

),

{# The 8 prior values of the same KPI, grain and scope as lags of one
    window pass (one sort of kpi_values); complete when the 8th prior row
    starts exactly 8 periods earlier. #}
{%- set series = 'partition by kpi_id, grain, scope_type, scope_value order by period_start' %}

lagged_values as (

    select
        kpi_id,
        grain,
        period_start,
        scope_type,
        scope_value,
        value,
        target,
        status,
        {%- for lag_number in range(1, baseline_periods + 1) %}
            lag(value, {{ lag_number }}) over ({{ series }}) as prior_value_{{ lag_number }},
        {%- endfor %}
        lag(period_start, {{ baseline_periods }}) over ({{ series }}) as first_prior_period_start,
        case grain
            {%- for grain in ['day', 'week', 'month'] %}
                when '{{ grain }}' then cast({{ dbt.dateadd(grain, -baseline_periods, 'period_start') }} as date)
            {%- endfor %}
        end as complete_baseline_start
    from kpi_values
    where value is not null

),

{%- set prior_values = [] %}
{%- for lag_number in range(1, baseline_periods + 1) %}
    {%- do prior_values.append('prior_value_' ~ lag_number) %}
{%- endfor %}

baseline_medians as (

    select
        *,
        case
            when first_prior_period_start = complete_baseline_start
                then {{ median_of_values(prior_values) }}
        end as baseline_value
    from lagged_values

),

{%- set absolute_deviations = [] %}
{%- for prior_value in prior_values %}
    {%- do absolute_deviations.append('abs(' ~ prior_value ~ ' - baseline_value)') %}
{%- endfor %}

baselines as (

    select
        *,
        case
            when baseline_value is not null then {{ median_of_values(absolute_deviations) }}
        end as median_absolute_deviation
    from baseline_medians

),

scored_values as (

    select
        baselines.kpi_id,
        baselines.grain,
        baselines.period_start,
        baselines.scope_type,
        baselines.scope_value,
        baselines.value,
        baselines.target,
        baselines.status,
        kpi_definitions.direction,
        baselines.baseline_value,
        {{ mad_to_sd }} * baselines.median_absolute_deviation as robust_sd,
        case
            when baselines.median_absolute_deviation > 0
                then
                    (baselines.value - baselines.baseline_value)
                    / ({{ mad_to_sd }} * baselines.median_absolute_deviation)
        end as robust_z_score
    from baselines
    left join kpi_definitions
        on baselines.kpi_id = kpi_definitions.kpi_id

),

flagged_values as (

    select
        *,
        coalesce(status = 'off_target', false) as is_off_target,
        coalesce(abs(robust_z_score) > {{ anomaly_threshold }}, false) as is_anomaly
    from scored_values

),

alerts as (

    select
        *,
        case
            when is_anomaly then value > baseline_value
            else value > target
        end as is_above_reference
    from flagged_values
    where is_off_target or is_anomaly

),

final as (

    select
        cast(kpi_id as {{ dbt.type_string() }}) as kpi_id,
        cast(grain as {{ dbt.type_string() }}) as grain,
        cast(period_start as date) as period_start,
        cast(scope_type as {{ dbt.type_string() }}) as scope_type,
        cast(scope_value as {{ dbt.type_string() }}) as scope_value,
        cast(value as {{ type_double() }}) as value,
        cast(target as {{ type_double() }}) as target,
        cast(status as {{ dbt.type_string() }}) as status,
        cast(baseline_value as {{ type_double() }}) as baseline_value,
        cast(robust_sd as {{ type_double() }}) as robust_sd,
        cast(robust_z_score as {{ type_double() }}) as robust_z_score,
        cast(
            case
                when direction = 'higher' and is_above_reference then 'better'
                when direction = 'higher' then 'worse'
                when direction = 'lower' and is_above_reference then 'worse'
                when direction = 'lower' then 'better'
                when is_above_reference then 'above'
                else 'below'
            end
            as {{ dbt.type_string() }}
        ) as deviation_direction,
        cast(
            case
                when is_off_target and is_anomaly then 'both'
                when is_anomaly then 'anomaly'
                else 'off_target'
            end
            as {{ dbt.type_string() }}
        ) as alert_reason,
        (select max(_refreshed_at) as newest_refreshed_at from {{ ref('kpi_values') }}) as _refreshed_at
    from alerts
    {%- if incremental %}
    where {{ kpi_recomputed_rows() }}
    {%- endif %}

)

select * from final
