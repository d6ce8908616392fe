{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy="replace_touched_tickets",
    on_schema_change="fail",
) }}
{#- Ticket events in their contract order (event_at, then event_id), with the
    status before each status change and the lifecycle flags derived from it.
    A reopen is a status change into new/open/pending/on_hold from solved or
    closed.

    One window pass (one sort by ticket and order) numbers the events and
    carries forward the latest earlier status change's status and the latest
    public reply so far (the lifecycle reads its solver from it), and counts
    the handovers so far (an assignment's reply window); no join back.
    Incremental by ticket: a load re-sequences the tickets it touches
    (touched_ticket_filter), and replace_touched_tickets deletes each of them,
    also one whose only event moved to another ticket. -#}

with

events as (

    select * from {{ ref('stg_helpdesk__ticket_events') }}
    {{ touched_ticket_filter() }}

),

flagged as (

    select
        *,
        event_type = 'agent_reply' and coalesce(is_public, false) as is_public_reply,
        event_type = 'status_changed' and new_status is not null as is_status_change,
        event_type in ('assigned', 'transferred') as is_handover
    from events

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
    from flagged

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
        event_sequence,
        handover_count,
        is_public_reply,
        is_status_change,
        case when is_status_change then previous_status end as previous_status,
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
        _load_id,
        {{ build_started_at() }} as _refreshed_at
    from sequenced

)

select * from final
