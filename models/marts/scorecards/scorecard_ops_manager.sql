{#- Operations manager scorecard: every KPI of marts.kpi_values at overall,
    channel and team scope, one row per kpi, grain, period and scope (a long
    view), with the KPI's name, group, unit and direction from
    kpi_definitions. Nothing is recomputed. -#}

{{ config(contract={'enforced': true}) }}

with

kpi_values as (

    select * from {{ ref('kpi_values') }}

),

kpi_definitions as (

    select * from {{ ref('kpi_definitions') }}

),

final as (

    select
        kpi_values.kpi_id,
        kpi_definitions.kpi_name,
        kpi_definitions.kpi_group,
        kpi_definitions.unit,
        kpi_definitions.direction,
        kpi_values.grain,
        kpi_values.period_start,
        kpi_values.scope_type,
        kpi_values.scope_value,
        kpi_values.numerator,
        kpi_values.denominator,
        kpi_values.value,
        kpi_values.p50,
        kpi_values.p90,
        kpi_values.target,
        kpi_values.status
    from kpi_values
    left join kpi_definitions
        on kpi_values.kpi_id = kpi_definitions.kpi_id
    where kpi_values.scope_type in ('overall', 'channel', 'team')

)

select * from final
