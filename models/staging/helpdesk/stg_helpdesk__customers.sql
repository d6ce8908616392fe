with base as (

    select * from {{ ref('base_helpdesk__customers') }}

),

staged as (

    select * from base
    where
        _quarantine_reason is null
        and not _is_superseded

),

final as (

    select
        customer_id,
        email,
        segment,
        country,
        created_at,
        updated_at,
        {{ contract_extra_columns('helpdesk', 'customers') }}
        _load_id,
        _refreshed_at
    from staged

)

select * from final
