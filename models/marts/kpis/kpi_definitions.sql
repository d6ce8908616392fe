{#- One row per kpi_id: name, group, unit, direction, definition, anchor
    event, scopes and seed source, from the one catalog (seeds/kpi_catalog.csv). -#}

{{ config(contract={'enforced': true}) }}

with

catalog as (

    select * from {{ ref('kpi_catalog') }}

),

final as (

    select
        cast(kpi_id as {{ dbt.type_string() }}) as kpi_id,
        cast(kpi_name as {{ dbt.type_string() }}) as kpi_name,
        cast(kpi_group as {{ dbt.type_string() }}) as kpi_group,
        cast(unit as {{ dbt.type_string() }}) as unit,
        cast(direction as {{ dbt.type_string() }}) as direction,
        cast(definition as {{ dbt.type_string() }}) as definition,
        cast(anchor as {{ dbt.type_string() }}) as anchor,
        cast(scopes as {{ dbt.type_string() }}) as scopes,
        cast(seed_source as {{ dbt.type_string() }}) as seed_source
    from catalog

)

select * from final
