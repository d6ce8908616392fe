{#- One row per KPI, grain (day, week, month), period and scope: numerator,
    denominator, value, p50/p90 for durations, and the most specific target
    valid at the period with a direction-aware status. The contract of
    docs/spec/outputs.md; every formula comes from macros/metrics/. -#}

{{ config(materialized='table_in_parts', contract={'enforced': true}) }}
{#- Incremental by periods (macros/kpi/kpi_incremental_periods.sql): an
    incremental build copies the recomputed periods of the groups that are
    incremental by periods themselves (the window of the tickets and calls
    the facts refreshed, which covers each of theirs) and every row of the
    other groups, which are rebuilt in full. -#}
{%- set incremental_inputs = kpi_incremental_groups() %}
{{ kpi_incremental_by(['call', 'ticket'], inputs=incremental_inputs) }}
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

target_candidates as (

    select
        kpi_rows.kpi_id,
        kpi_rows.grain,
        kpi_rows.period_start,
        kpi_rows.scope_type,
        kpi_rows.scope_value,
        targets.target,
        targets.warning_band,
        row_number() over (
            partition by
                kpi_rows.kpi_id, kpi_rows.grain, kpi_rows.period_start, kpi_rows.scope_type, kpi_rows.scope_value
            order by
                case
                    when targets.scope_type = kpi_rows.scope_type and targets.scope_value = kpi_rows.scope_value then 3
                    when targets.scope_type = kpi_rows.scope_type and targets.scope_value = '*' then 2
                    else 1
                end desc,
                targets.valid_from desc
        ) as target_rank
    from kpi_rows
    inner join targets
        on
        kpi_rows.kpi_id = targets.kpi_id
        and kpi_rows.period_start >= targets.valid_from
        and (
            (kpi_rows.scope_type = targets.scope_type and targets.scope_value in (kpi_rows.scope_value, '*'))
            or targets.scope_type = 'overall'
        )

),

chosen_targets as (

    select * from target_candidates
    where target_rank = 1

),

final as (

    select
        cast(kpi_rows.kpi_id as {{ dbt.type_string() }}) as kpi_id,
        cast(kpi_rows.grain as {{ dbt.type_string() }}) as grain,
        cast(kpi_rows.period_start as date) as period_start,
        cast(kpi_rows.scope_type as {{ dbt.type_string() }}) as scope_type,
        cast(kpi_rows.scope_value as {{ dbt.type_string() }}) as scope_value,
        cast(kpi_rows.numerator as {{ type_double() }}) as numerator,
        cast(kpi_rows.denominator as {{ type_double() }}) as denominator,
        cast(kpi_rows.value as {{ type_double() }}) as value,
        cast(kpi_rows.p50 as {{ type_double() }}) as p50,
        cast(kpi_rows.p90 as {{ type_double() }}) as p90,
        cast(chosen_targets.target as {{ type_double() }}) as target,
        cast(
            {{ kpi_status(
                'kpi_rows.value', 'chosen_targets.target', 'chosen_targets.warning_band', 'catalog.direction',
            ) }}
            as {{ dbt.type_string() }}
        ) as status,
        {{ kpi_refreshed_at(['call', 'ticket']) }} as _refreshed_at
    from kpi_rows
    left join chosen_targets
        on
        kpi_rows.kpi_id = chosen_targets.kpi_id
        and kpi_rows.grain = chosen_targets.grain
        and kpi_rows.period_start = chosen_targets.period_start
        and kpi_rows.scope_type = chosen_targets.scope_type
        and kpi_rows.scope_value = chosen_targets.scope_value
    left join catalog
        on kpi_rows.kpi_id = catalog.kpi_id

)

select * from final
