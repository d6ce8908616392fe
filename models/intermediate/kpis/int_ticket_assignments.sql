{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy="replace_refreshed_keys",
    refreshed_keys={"column": "ticket_id", "in": ["fct_ticket_events"]},
    on_schema_change="fail",
) }}
{#- One row per assignment or transfer of a non-merged ticket to an agent:
    the assignee's next public reply before the ticket's next assignment, and
    the turnaround seconds between them (NULL when the assignee never replied
    in that window).

    Linear in events, no self-join over the ticket and no window here: an
    event's handover_count (fct_ticket_events) numbers the handover window it
    falls in, so the first reply in the window by the handover's agent is an
    equi-join on (ticket, window, agent) and one aggregate.

    Incremental by ticket (replace_refreshed_keys): an incremental build
    replaces the assignments of the tickets whose events fct_ticket_events
    rewrote (a ticket merged since has none left). -#}

with

events as (

    select * from {{ ref('fct_ticket_events') }}
    {{ refreshed_keys_filter() }}

),

non_merged_events as (

    select * from events
    where not is_merged_ticket

),

handovers as (

    select * from non_merged_events
    where event_type in ('assigned', 'transferred')

),

public_replies as (

    select
        ticket_id,
        handover_count,
        agent_id,
        event_sequence,
        event_at
    from non_merged_events
    where is_public_reply

),

replies as (

    select
        handovers.event_id,
        {{ min_by('public_replies.event_at', 'public_replies.event_sequence') }} as replied_at
    from handovers
    inner join public_replies
        on handovers.ticket_id = public_replies.ticket_id
        and handovers.handover_count = public_replies.handover_count
        and handovers.agent_id = public_replies.agent_id
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
            as turnaround_seconds,
        {{ build_started_at() }} as _refreshed_at
    from handovers
    left join replies
        on handovers.event_id = replies.event_id
    where handovers.agent_id is not null

)

select * from final
