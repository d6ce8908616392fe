with base as (

    select * from {{ ref('base_reference__holidays') }}

),

staged as (

    select * from base
    where
        _quarantine_reason is null
        and not _is_superseded

),

final as (

    select
        schedule_id,
        holiday_date,
        name,
        {{ contract_extra_columns('reference', 'holidays') }}
        _load_id,
        _refreshed_at
    from staged

)

select * from final
