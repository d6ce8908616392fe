with base as (

    select * from {{ ref('base_reference__sla_policies') }}

),

staged as (

    select * from base
    where
        _quarantine_reason is null
        and not _is_superseded

),

final as (

    select
        priority,
        channel,
        first_reply_target_minutes,
        resolution_target_minutes,
        business_hours as is_business_hours,
        {{ contract_extra_columns('reference', 'sla_policies') }}
        _load_id,
        _refreshed_at
    from staged

)

select * from final
