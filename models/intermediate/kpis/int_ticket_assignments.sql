{#- One row per assignment or transfer of a non-merged ticket to an agent:
    the assignee's next public reply before the ticket's next assignment, and
    the turnaround seconds between them (NULL when the assignee never replied
    in that window). -#}

with

events as (

    select * from {{ ref('fct_ticket_events') }}
    where not is_merged_ticket

),

handovers as (

    select
        event_id,
        ticket_id,
        event_sequence,
        event_at,
        event_local_date,
        agent_id,
        team_id,
        channel,
        topic,
        priority,
        lead(event_sequence) over (partition by ticket_id order by event_sequence) as next_handover_sequence
    from events
    where event_type in ('assigned', 'transferred')

),

replies as (

    select
        handovers.event_id,
        min(events.event_sequence) as reply_sequence
    from handovers
    inner join events
        on handovers.ticket_id = events.ticket_id
        and handovers.agent_id = events.agent_id
        and handovers.event_sequence < events.event_sequence
        and events.is_public_reply
        and (
            handovers.next_handover_sequence is null
            or handovers.next_handover_sequence > events.event_sequence
        )
    group by handovers.event_id

),

final as (

    select
        handovers.event_id as assignment_event_id,
        handovers.ticket_id,
        handovers.agent_id,
        handovers.team_id,
        handovers.channel,
        handovers.topic,
        handovers.priority,
        handovers.event_at as assigned_at,
        handovers.event_local_date as assigned_local_date,
        reply_events.event_at as replied_at,
        {{ dbt.datediff('handovers.event_at', 'reply_events.event_at', 'second') }}
            as turnaround_seconds
    from handovers
    left join replies
        on handovers.event_id = replies.event_id
    left join events as reply_events
        on handovers.ticket_id = reply_events.ticket_id
        and replies.reply_sequence = reply_events.event_sequence
    where handovers.agent_id is not null

)

select * from final
