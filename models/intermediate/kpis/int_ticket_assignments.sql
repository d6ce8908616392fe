{#- One row per assignment or transfer of a non-merged ticket to an agent:
    the assignee's next public reply before the ticket's next assignment, and
    the turnaround seconds between them (NULL when the assignee never replied
    in that window).

    Linear in events, no self-join: only handovers and public replies are
    read; a running count of handovers numbers each handover's window (the
    replies after it and before the next one), and the first reply in the
    window by the handover's agent is found by grouping on the window. -#}

{%- set is_handover = "event_type in ('assigned', 'transferred')" %}

with

events as (

    select * from {{ ref('fct_ticket_events') }}
    where
        not is_merged_ticket
        and ({{ is_handover }} or is_public_reply)

),

windowed as (

    select
        *,
        {{ is_handover }} as is_handover,
        sum(case when {{ is_handover }} then 1 else 0 end) over (
            partition by ticket_id
            order by event_sequence
            rows between unbounded preceding and current row
        ) as handover_number
    from events

),

handovers as (

    select * from windowed
    where is_handover

),

replies as (

    select
        handovers.event_id,
        {{ min_by('replies.event_at', 'replies.event_sequence') }} as replied_at
    from handovers
    inner join windowed as replies
        on handovers.ticket_id = replies.ticket_id
        and handovers.handover_number = replies.handover_number
        and handovers.agent_id = replies.agent_id
    where replies.is_public_reply
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
        replies.replied_at,
        {{ dbt.datediff('handovers.event_at', 'replies.replied_at', 'second') }}
            as turnaround_seconds
    from handovers
    left join replies
        on handovers.event_id = replies.event_id
    where handovers.agent_id is not null

)

select * from final
