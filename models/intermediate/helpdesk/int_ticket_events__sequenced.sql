{%- set touched_tickets = {
    'via_agents': ['base_helpdesk__agents', 'base_helpdesk__agent_team_history'],
    'recompute_all_when': ['base_helpdesk__teams', 'base_reference__schedules'],
} -%}
{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy="replace_touched_tickets",
    touched_tickets=touched_tickets,
    on_schema_change="fail",
) }}
{#- Ticket events in their contract order (event_at, then event_id), with the
    status before each status change, the lifecycle flags derived from it,
    the acting agent's team at the event, the ticket's attributes and the
    local date on the ticket's schedule. A reopen is a status change into
    new/open/pending/on_hold from solved or closed.

    The attribution is joined first and the window runs last, so the rows
    are written clustered by ticket, which the lifecycle's aggregates read
    fast (at 10M tickets, sequencing then joining took 350 s and the
    lifecycle 117 s; joining then sequencing 252 s and 94 s). One window
    pass (one sort by ticket and order) numbers the events and
    carries forward the latest earlier status change's status and the latest
    public reply so far (the lifecycle reads its solver from it), and counts
    the handovers so far (an assignment's reply window); no join back. The
    attribution lives here, not in a second event table: marts'
    fct_ticket_events is a view of these rows (one 96M-row table at 10M
    tickets, not two).

    Incremental by ticket (touched_ticket_filter, every ticket-keyed input
    filtered), and replace_touched_tickets deletes each touched ticket, also
    one whose only event moved to another ticket: a change of an agent's team
    history re-attributes that agent's tickets, a change of teams or
    schedules every ticket. -#}
{%- set touched = touched_ticket_filter(**touched_tickets) %}

with

events as (

    select * from {{ ref('stg_helpdesk__ticket_events') }}
    {{ touched }}

),

tickets as (

    select * from {{ ref('stg_helpdesk__tickets') }}
    {{ touched }}

),

schedules as (

    select * from {{ ref('int_tickets__schedules') }}
    {{ touched }}

),

attributed as (

    select
        events.*,
        events.event_type = 'agent_reply' and coalesce(events.is_public, false) as is_public_reply,
        events.event_type = 'status_changed' and events.new_status is not null as is_status_change,
        events.event_type in ('assigned', 'transferred') as is_handover,
        {{ local_date_of('events.event_at', 'schedules.time_zone') }} as event_local_date,
        coalesce(event_teams.team_id, tickets.team_id) as attributed_team_id,
        tickets.channel,
        tickets.topic,
        tickets.priority,
        tickets.merged_into_ticket_id is not null as is_merged_ticket
    from events
    inner join tickets
        on events.ticket_id = tickets.ticket_id
    inner join schedules
        on events.ticket_id = schedules.ticket_id
    {{ agent_team_join('event_teams', 'events.agent_id', 'events.event_at') }}

),

sequenced as (

    select
        *,
        {{ dbt.cast(
            'row_number() over (partition by ticket_id order by event_at, event_id)',
            dbt.type_bigint(),
        ) }} as event_sequence,
        {{ dbt.cast(
            'sum(case when is_handover then 1 else 0 end) over ('
            ~ 'partition by ticket_id order by event_at, event_id '
            ~ 'rows between unbounded preceding and current row)',
            dbt.type_bigint(),
        ) }} as handover_count,
        {{ last_non_null_before(
            'case when is_status_change then new_status end',
            'ticket_id',
            'event_at, event_id'
        ) }} as previous_status,
        {{ last_non_null_before(
            'case when is_public_reply then event_id end',
            'ticket_id',
            'event_at, event_id',
            through_current_row=true
        ) }} as latest_public_reply_event_id
    from attributed

),

final as (

    select
        event_id,
        ticket_id,
        event_sequence,
        handover_count,
        event_at,
        event_local_date,
        event_type,
        actor_type,
        agent_id,
        attributed_team_id as team_id,
        is_public,
        handle_seconds,
        to_team_id,
        case when is_status_change then previous_status end as previous_status,
        new_status,
        is_public_reply,
        is_status_change,
        latest_public_reply_event_id,
        is_status_change and new_status = 'solved' as is_solve_entry,
        is_status_change and new_status = 'closed' as is_close_entry,
        coalesce(
            is_status_change
            and new_status in ('new', 'open', 'pending', 'on_hold')
            and previous_status in ('solved', 'closed'),
            false
        ) as is_reopen,
        event_type in ('agent_reply', 'internal_note')
        and coalesce(handle_seconds, 0) > 0 as is_handled_interaction,
        agent_id is not null
        and event_type in ('agent_reply', 'internal_note', 'assigned', 'transferred') as is_agent_event,
        event_type in ('created', 'customer_message') as is_inbound_message,
        channel,
        topic,
        priority,
        is_merged_ticket,
        _load_id,
        {{ build_started_at() }} as _refreshed_at
    from sequenced

)

select * from final
