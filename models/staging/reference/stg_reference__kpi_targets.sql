with base as (

    select * from {{ ref('base_reference__kpi_targets') }}

),

staged as (

    select * from base
    where
        _quarantine_reason is null
        and not _is_superseded

),

final as (

    select
        kpi_id,
        scope_type,
        scope_value,
        target,
        warning_band,
        valid_from,
        {{ contract_extra_columns('reference', 'kpi_targets') }}
        _load_id,
        _refreshed_at
    from staged

)

select * from final
