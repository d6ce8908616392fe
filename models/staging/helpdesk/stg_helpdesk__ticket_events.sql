with base as (

    select * from {{ ref('base_helpdesk__ticket_events') }}

),

staged as (

    select * from base
    where
        _quarantine_reason is null
        and not _is_superseded

),

final as (

    select
        event_id,
        ticket_id,
        event_at,
        event_type,
        actor_type,
        agent_id,
        is_public,
        handle_seconds,
        to_team_id,
        new_status,
        {{ contract_extra_columns('helpdesk', 'ticket_events') }}
        _load_id,
        _refreshed_at
    from staged

)

select * from final
