{#- One row per KPI, grain (day, week, month), period and scope: numerator,
    denominator, value, p50/p90 for durations, and the most specific target
    valid at the period with a direction-aware status. The contract of
    docs/spec/outputs.md; every formula comes from macros/metrics/. -#}

{{ config(materialized='table_in_parts', contract={'enforced': true}) }}
{#- Incremental by periods (macros/kpi/kpi_incremental_periods.sql): an
    incremental build copies the recomputed periods of the groups that are
    incremental by periods themselves (the window of the keys of every kind
    the facts refreshed, which covers each of theirs) and every row of the
    other groups, which are rebuilt in full. -#}
{{ kpi_incremental_by_groups() }}
{%- set incremental_inputs = config.get('kpi_incremental_inputs') or [] %}
{#- The KPI group models (models/intermediate/kpis/int_kpi_values__*), read
    by column name: a group may carry its own bookkeeping columns, such as the
    ticket group's `_refreshed_at`. Literal refs: the mart suites trace
    lineage through ref('<name>') texts (switchboard/quality.py). -#}
{%- set kpi_groups = [
    ref('int_kpi_values__calls'),
    ref('int_kpi_values__tickets'),
    ref('int_kpi_values__surveys'),
    ref('int_kpi_values__quality'),
    ref('int_kpi_values__agent_time'),
    ref('int_kpi_values__contacts'),
    ref('int_kpi_values__backlog'),
    ref('int_kpi_values__agent_quality'),
    ref('int_kpi_values__forecast'),
    ref('int_kpi_values__cost'),
    ref('int_kpi_values__self_service'),
    ref('int_kpi_values__loyalty'),
    ref('int_kpi_values__workforce'),
] %}

with

kpi_rows as (
    {%- for group in kpi_groups %}

        select
            kpi_id,
            grain,
            period_start,
            scope_type,
            scope_value,
            numerator,
            denominator,
            value,
            p50,
            p90
        from {{ group }}
        {%- if kpi_incremental_periods() and group.identifier in incremental_inputs %}
        where {{ kpi_recomputed_period() }}
        {%- endif %}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

catalog as (

    select * from {{ ref('kpi_catalog') }}

),

targets as (

    select * from {{ ref('stg_reference__kpi_targets') }}

),

{# A target applies from its valid_from until the next valid_from of the
    same KPI and scope (the latest one valid at a period wins). The most
    specific target valid at a period: the row's own scope value, else its
    scope type's `*`, else the KPI's overall target. Three equality joins on
    these validity ranges, not a ranking of every candidate per KPI row. #}
target_validity as (

    select
        *,
        lead(valid_from) over (
            partition by kpi_id, scope_type, scope_value
            order by valid_from
        ) as valid_until
    from targets

),

{# An overall target is the fallback of every scope, whatever its scope
    value: one validity sequence per KPI. Two overall targets valid from the
    same day (only possible with a scope value other than `*`): `*` wins,
    else the greatest scope value (docs/kpi_decisions.md, "Targets"). #}
overall_target_validity as (

    select
        *,
        lead(valid_from) over (
            partition by kpi_id
            order by valid_from, case when scope_value = '*' then 1 else 0 end, scope_value
        ) as valid_until
    from targets
    where scope_type = 'overall'

),

{# Each level joins only where no more specific level matched, so at most
    one of the three holds a target for a row. #}
kpi_rows_with_targets as (

    select
        kpi_rows.*,
        coalesce(scope_targets.target, scope_type_targets.target, overall_targets.target) as target,
        coalesce(
            scope_targets.warning_band, scope_type_targets.warning_band, overall_targets.warning_band
        ) as warning_band
    from kpi_rows
    left join target_validity as scope_targets
        on
        kpi_rows.kpi_id = scope_targets.kpi_id
        and kpi_rows.scope_type = scope_targets.scope_type
        and kpi_rows.scope_value = scope_targets.scope_value
        and kpi_rows.period_start >= scope_targets.valid_from
        and (scope_targets.valid_until is null or kpi_rows.period_start < scope_targets.valid_until)
    left join target_validity as scope_type_targets
        on
        scope_targets.kpi_id is null
        and kpi_rows.kpi_id = scope_type_targets.kpi_id
        and kpi_rows.scope_type = scope_type_targets.scope_type
        and scope_type_targets.scope_value = '*'
        and kpi_rows.period_start >= scope_type_targets.valid_from
        and (scope_type_targets.valid_until is null or kpi_rows.period_start < scope_type_targets.valid_until)
    left join overall_target_validity as overall_targets
        on
        scope_targets.kpi_id is null
        and scope_type_targets.kpi_id is null
        and kpi_rows.kpi_id = overall_targets.kpi_id
        and kpi_rows.period_start >= overall_targets.valid_from
        and (overall_targets.valid_until is null or kpi_rows.period_start < overall_targets.valid_until)

),

final as (

    select
        cast(kpi_rows_with_targets.kpi_id as {{ dbt.type_string() }}) as kpi_id,
        cast(kpi_rows_with_targets.grain as {{ dbt.type_string() }}) as grain,
        cast(kpi_rows_with_targets.period_start as date) as period_start,
        cast(kpi_rows_with_targets.scope_type as {{ dbt.type_string() }}) as scope_type,
        cast(kpi_rows_with_targets.scope_value as {{ dbt.type_string() }}) as scope_value,
        cast(kpi_rows_with_targets.numerator as {{ type_double() }}) as numerator,
        cast(kpi_rows_with_targets.denominator as {{ type_double() }}) as denominator,
        cast(kpi_rows_with_targets.value as {{ type_double() }}) as value,
        cast(kpi_rows_with_targets.p50 as {{ type_double() }}) as p50,
        cast(kpi_rows_with_targets.p90 as {{ type_double() }}) as p90,
        cast(kpi_rows_with_targets.target as {{ type_double() }}) as target,
        cast(
            {{ kpi_status(
                'kpi_rows_with_targets.value',
                'kpi_rows_with_targets.target',
                'kpi_rows_with_targets.warning_band',
                'catalog.direction',
            ) }}
            as {{ dbt.type_string() }}
        ) as status,
        {{ kpi_refreshed_at(kpi_incremental_kinds().keys() | sort) }} as _refreshed_at
    from kpi_rows_with_targets
    left join catalog
        on kpi_rows_with_targets.kpi_id = catalog.kpi_id

)

select * from final
