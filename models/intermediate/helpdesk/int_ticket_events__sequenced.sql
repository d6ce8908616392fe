{#- Ticket events in their contract order (event_at, then event_id), with the
    status before each status change and the lifecycle flags derived from it.
    A reopen is a status change into new/open/pending/on_hold from solved or
    closed. -#}

with

events as (

    select * from {{ ref('stg_helpdesk__ticket_events') }}

),

sequenced as (

    select
        events.*,
        {{ dbt.cast(
            'row_number() over (partition by events.ticket_id order by events.event_at, events.event_id)',
            dbt.type_bigint(),
        ) }} as event_sequence,
        events.event_type = 'agent_reply' and coalesce(events.is_public, false) as is_public_reply,
        events.event_type = 'status_changed' and events.new_status is not null as is_status_change
    from events

),

status_changes as (

    select
        event_id,
        lag(new_status) over (partition by ticket_id order by event_sequence) as previous_status
    from sequenced
    where is_status_change

),

final as (

    select
        sequenced.event_id,
        sequenced.ticket_id,
        sequenced.event_at,
        sequenced.event_type,
        sequenced.actor_type,
        sequenced.agent_id,
        sequenced.is_public,
        sequenced.handle_seconds,
        sequenced.to_team_id,
        sequenced.new_status,
        sequenced.event_sequence,
        sequenced.is_public_reply,
        sequenced.is_status_change,
        status_changes.previous_status,
        sequenced.is_status_change and sequenced.new_status = 'solved' as is_solve_entry,
        sequenced.is_status_change and sequenced.new_status = 'closed' as is_close_entry,
        coalesce(
            sequenced.is_status_change
            and sequenced.new_status in ('new', 'open', 'pending', 'on_hold')
            and status_changes.previous_status in ('solved', 'closed'),
            false
        ) as is_reopen,
        sequenced.event_type in ('agent_reply', 'internal_note')
        and coalesce(sequenced.handle_seconds, 0) > 0 as is_handled_interaction,
        sequenced.agent_id is not null
        and sequenced.event_type in ('agent_reply', 'internal_note', 'assigned', 'transferred') as is_agent_event,
        sequenced.event_type in ('created', 'customer_message') as is_inbound_message
    from sequenced
    left join status_changes
        on sequenced.event_id = status_changes.event_id

)

select * from final
