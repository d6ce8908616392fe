with base as (

    select * from {{ ref('base_helpdesk__tickets') }}

),

staged as (

    select * from base
    where
        _quarantine_reason is null
        and not _is_superseded

),

final as (

    select
        ticket_id,
        customer_id,
        channel,
        topic,
        priority,
        created_at,
        status,
        team_id,
        merged_into_ticket_id,
        updated_at,
        {{ contract_extra_columns('helpdesk', 'tickets') }}
        _load_id,
        _refreshed_at
    from staged

)

select * from final
