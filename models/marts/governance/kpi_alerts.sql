{#- One row per KPI value (kpi_id, grain, period_start, scope_type,
    scope_value) that needs attention: off target, or more than 3 robust
    standard deviations from its own baseline.

    Baseline: the 8 same-grain periods immediately before the value, same KPI
    and scope, all 8 present with a value. baseline_value is their median,
    robust_sd = 1.4826 x MAD (median absolute deviation from that median),
    robust_z_score = (value - baseline_value) / robust_sd, defined only when
    MAD > 0. Median and MAD are aggregates (percentile_continuous) over a
    self-join to the 8 prior rows, found with a dense row_number period index
    per KPI, grain and scope; "all 8 present" means the 8th prior row starts
    exactly 8 periods earlier.

    deviation_direction describes the deviation that raised the alert: an
    anomaly (alone or with off_target) against its baseline, an off-target
    value against its target; worse/better in the KPI's direction, above/below
    for band and none KPIs. Values come from marts.kpi_values; no KPI formula
    is restated here. -#}

{{ config(contract={'enforced': true}) }}

{%- set baseline_periods = 8 -%}
{%- set anomaly_threshold = 3 -%}
{%- set mad_to_sd = 1.4826 %}

with

kpi_values as (

    select * from {{ ref('kpi_values') }}

),

kpi_definitions as (

    select * from {{ ref('kpi_definitions') }}

),

indexed_values as (

    select
        kpi_id,
        grain,
        period_start,
        scope_type,
        scope_value,
        value,
        target,
        status,
        row_number() over (
            partition by kpi_id, grain, scope_type, scope_value
            order by period_start
        ) as period_index
    from kpi_values
    where value is not null

),

baseline_members as (

    select
        current_values.kpi_id,
        current_values.grain,
        current_values.period_start,
        current_values.scope_type,
        current_values.scope_value,
        prior_values.period_start as member_period_start,
        prior_values.value as member_value
    from indexed_values as current_values
    inner join indexed_values as prior_values
        on
        current_values.kpi_id = prior_values.kpi_id
        and current_values.grain = prior_values.grain
        and current_values.scope_type = prior_values.scope_type
        and current_values.scope_value = prior_values.scope_value
        and current_values.period_index - {{ baseline_periods }} <= prior_values.period_index
        and current_values.period_index > prior_values.period_index

),

baseline_medians as (

    select
        kpi_id,
        grain,
        period_start,
        scope_type,
        scope_value,
        count(*) as member_count,
        min(member_period_start) as first_member_period_start,
        {{ percentile_continuous('member_value', 0.5) }} as baseline_value
    from baseline_members
    group by kpi_id, grain, period_start, scope_type, scope_value

),

complete_baselines as (

    select * from baseline_medians
    where
        member_count = {{ baseline_periods }}
        and first_member_period_start = case grain
            {%- for grain in ['day', 'week', 'month'] %}
                when '{{ grain }}' then cast({{ dbt.dateadd(grain, -baseline_periods, 'period_start') }} as date)
            {%- endfor %}
        end

),

absolute_deviations as (

    select
        baseline_members.kpi_id,
        baseline_members.grain,
        baseline_members.period_start,
        baseline_members.scope_type,
        baseline_members.scope_value,
        abs(baseline_members.member_value - complete_baselines.baseline_value) as absolute_deviation
    from baseline_members
    inner join complete_baselines
        on
        baseline_members.kpi_id = complete_baselines.kpi_id
        and baseline_members.grain = complete_baselines.grain
        and baseline_members.period_start = complete_baselines.period_start
        and baseline_members.scope_type = complete_baselines.scope_type
        and baseline_members.scope_value = complete_baselines.scope_value

),

median_absolute_deviations as (

    select
        kpi_id,
        grain,
        period_start,
        scope_type,
        scope_value,
        {{ percentile_continuous('absolute_deviation', 0.5) }} as median_absolute_deviation
    from absolute_deviations
    group by kpi_id, grain, period_start, scope_type, scope_value

),

baselines as (

    select
        complete_baselines.kpi_id,
        complete_baselines.grain,
        complete_baselines.period_start,
        complete_baselines.scope_type,
        complete_baselines.scope_value,
        complete_baselines.baseline_value,
        median_absolute_deviations.median_absolute_deviation,
        {{ mad_to_sd }} * median_absolute_deviations.median_absolute_deviation as robust_sd
    from complete_baselines
    inner join median_absolute_deviations
        on
        complete_baselines.kpi_id = median_absolute_deviations.kpi_id
        and complete_baselines.grain = median_absolute_deviations.grain
        and complete_baselines.period_start = median_absolute_deviations.period_start
        and complete_baselines.scope_type = median_absolute_deviations.scope_type
        and complete_baselines.scope_value = median_absolute_deviations.scope_value

),

scored_values as (

    select
        indexed_values.kpi_id,
        indexed_values.grain,
        indexed_values.period_start,
        indexed_values.scope_type,
        indexed_values.scope_value,
        indexed_values.value,
        indexed_values.target,
        indexed_values.status,
        kpi_definitions.direction,
        baselines.baseline_value,
        baselines.robust_sd,
        case
            when baselines.median_absolute_deviation > 0
                then (indexed_values.value - baselines.baseline_value) / baselines.robust_sd
        end as robust_z_score
    from indexed_values
    left join baselines
        on
        indexed_values.kpi_id = baselines.kpi_id
        and indexed_values.grain = baselines.grain
        and indexed_values.period_start = baselines.period_start
        and indexed_values.scope_type = baselines.scope_type
        and indexed_values.scope_value = baselines.scope_value
    left join kpi_definitions
        on indexed_values.kpi_id = kpi_definitions.kpi_id

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
        ) as alert_reason
    from alerts

)

select * from final
