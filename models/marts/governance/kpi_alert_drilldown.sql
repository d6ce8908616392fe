{#- Root-cause drill-down of overall alerts: for each alert in kpi_alerts
    with scope overall on a ratio or duration KPI (its kpi_values row has a
    denominator; counts have none), the channel, team, topic and agent values
    of the same KPI, grain and period that contribute most to the deviation,
    top 5 per scope type. One row per alert (kpi_id, grain, period_start) and
    scope (scope_type, scope_value).

    contribution = denominator_share x (scope value - overall value of the
    previous same-grain period), with denominator_share = the scope's
    denominator / the overall denominator of the alert period. When a scope
    type partitions the overall population, contributions add up to the
    overall change from the previous period. Ranked in the direction of the
    alert's deviation (the value against its baseline for anomalies, against
    the target for off-target-only alerts): rank 1 pushes hardest that way.
    An alert whose previous period has no overall value has no drill-down. -#}

{{ config(materialized='table_in_parts', contract={'enforced': true}) }}
{#- Incremental by periods like kpi_alerts (macros/kpi/kpi_incremental_periods.sql):
    an incremental build recomputes the drill-downs of the alerts it
    recomputed, reading the values of their periods and of the period
    before. -#}
{{ kpi_incremental_by_groups() }}
{%- set incremental = kpi_incremental_periods() -%}

{%- set top_scopes_per_type = 5 %}

with

kpi_alerts as (

    select * from {{ ref('kpi_alerts') }}
    {%- if incremental %}
    where {{ kpi_recomputed_rows() }}
    {%- endif %}

),

kpi_values as (

    select * from {{ ref('kpi_values') }}
    {%- if incremental %}
    where {{ kpi_recomputed_rows(lookback_periods=1) }}
    {%- endif %}

),

overall_alerts as (

    select
        kpi_alerts.kpi_id,
        kpi_alerts.grain,
        kpi_alerts.period_start,
        kpi_alerts.alert_reason,
        kpi_alerts.deviation_direction,
        kpi_alerts.value as overall_value,
        overall_values.denominator as overall_denominator,
        case
            when kpi_alerts.alert_reason = 'off_target' then kpi_alerts.target
            else kpi_alerts.baseline_value
        end as deviation_reference_value,
        case kpi_alerts.grain
            {%- for grain in ['day', 'week', 'month'] %}
                when '{{ grain }}' then cast({{ dbt.dateadd(grain, -1, 'kpi_alerts.period_start') }} as date)
            {%- endfor %}
        end as previous_period_start
    from kpi_alerts
    inner join kpi_values as overall_values
        on
        kpi_alerts.kpi_id = overall_values.kpi_id
        and kpi_alerts.grain = overall_values.grain
        and kpi_alerts.period_start = overall_values.period_start
        and kpi_alerts.scope_type = overall_values.scope_type
        and kpi_alerts.scope_value = overall_values.scope_value
    where
        kpi_alerts.scope_type = 'overall'
        and overall_values.denominator > 0

),

alerts_with_previous as (

    select
        overall_alerts.*,
        previous_values.value as previous_overall_value,
        case when overall_alerts.overall_value >= overall_alerts.deviation_reference_value then 1 else -1 end
            as deviation_sign
    from overall_alerts
    inner join kpi_values as previous_values
        on
        overall_alerts.kpi_id = previous_values.kpi_id
        and overall_alerts.grain = previous_values.grain
        and overall_alerts.previous_period_start = previous_values.period_start
        and previous_values.scope_type = 'overall'
    where previous_values.value is not null

),

scope_values as (

    select * from kpi_values
    where
        scope_type in ('channel', 'team', 'topic', 'agent')
        and value is not null
        and denominator is not null

),

contributions as (

    select
        alerts_with_previous.kpi_id,
        alerts_with_previous.grain,
        alerts_with_previous.period_start,
        alerts_with_previous.alert_reason,
        alerts_with_previous.deviation_direction,
        alerts_with_previous.overall_value,
        alerts_with_previous.previous_period_start,
        alerts_with_previous.previous_overall_value,
        alerts_with_previous.deviation_sign,
        scope_values.scope_type,
        scope_values.scope_value,
        scope_values.value as scope_kpi_value,
        scope_values.denominator as scope_denominator,
        scope_values.denominator / alerts_with_previous.overall_denominator as denominator_share,
        scope_values.denominator / alerts_with_previous.overall_denominator
        * (scope_values.value - alerts_with_previous.previous_overall_value) as contribution
    from alerts_with_previous
    inner join scope_values
        on
        alerts_with_previous.kpi_id = scope_values.kpi_id
        and alerts_with_previous.grain = scope_values.grain
        and alerts_with_previous.period_start = scope_values.period_start

),

ranked_contributions as (

    select
        *,
        row_number() over (
            partition by kpi_id, grain, period_start, scope_type
            order by deviation_sign * contribution desc, scope_value
        ) as contribution_rank
    from contributions

),

final as (

    select
        cast(kpi_id as {{ dbt.type_string() }}) as kpi_id,
        cast(grain as {{ dbt.type_string() }}) as grain,
        cast(period_start as date) as period_start,
        cast(scope_type as {{ dbt.type_string() }}) as scope_type,
        cast(scope_value as {{ dbt.type_string() }}) as scope_value,
        cast(alert_reason as {{ dbt.type_string() }}) as alert_reason,
        cast(deviation_direction as {{ dbt.type_string() }}) as deviation_direction,
        cast(overall_value as {{ type_double() }}) as overall_value,
        cast(previous_period_start as date) as previous_period_start,
        cast(previous_overall_value as {{ type_double() }}) as previous_overall_value,
        cast(overall_value - previous_overall_value as {{ type_double() }}) as overall_change,
        cast(scope_kpi_value as {{ type_double() }}) as scope_kpi_value,
        cast(scope_denominator as {{ type_double() }}) as scope_denominator,
        cast(denominator_share as {{ type_double() }}) as denominator_share,
        cast(contribution as {{ type_double() }}) as contribution,
        cast(contribution_rank as {{ dbt.type_int() }}) as contribution_rank,
        (select max(_refreshed_at) as newest_refreshed_at from {{ ref('kpi_values') }}) as _refreshed_at
    from ranked_contributions
    where contribution_rank <= {{ top_scopes_per_type }}

)

select * from final
