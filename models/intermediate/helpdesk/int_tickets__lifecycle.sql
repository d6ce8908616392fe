{#- One row per ticket with an event: the milestones of its lifecycle
    (docs/kpi_decisions.md, "Ticket lifecycle") as event sequences, instants
    and the agents behind them. -#}

with

events as (

    select * from {{ ref('int_ticket_events__sequenced') }}

),

{# Narrow lookups for the milestone instants: each milestone sequence
    points at a public reply or a status change, so joins probe these
    instead of every event. #}
public_replies as (

    select
        ticket_id,
        event_sequence,
        event_at,
        agent_id
    from events
    where is_public_reply

),

status_entries as (

    select
        ticket_id,
        event_sequence,
        event_at,
        new_status
    from events
    where is_status_change

),

last_reopens as (

    select
        ticket_id,
        max(case when is_reopen then event_sequence end) as last_reopen_sequence,
        max(case when is_status_change then event_sequence end) as last_status_sequence
    from events
    group by ticket_id

),

milestones as (

    select
        events.ticket_id,
        min(case when events.is_public_reply then events.event_sequence end) as first_reply_sequence,
        min(case when events.is_solve_entry then events.event_sequence end) as first_solve_sequence,
        max(
            case
                when
                    events.is_solve_entry
                    and events.event_sequence > coalesce(last_reopens.last_reopen_sequence, 0)
                    then events.event_sequence
            end
        ) as last_solve_after_reopen_sequence,
        min(
            case
                when
                    events.is_close_entry
                    and events.event_sequence > coalesce(last_reopens.last_reopen_sequence, 0)
                    then events.event_sequence
            end
        ) as first_close_after_reopen_sequence,
        max(last_reopens.last_status_sequence) as last_status_sequence,
        cast(sum(case when events.is_reopen then 1 else 0 end) as {{ api.Column.translate_type('bigint') }})
            as reopen_count,
        cast(sum(case when events.is_public_reply then 1 else 0 end) as {{ api.Column.translate_type('bigint') }})
            as public_reply_count,
        cast(sum(case when events.is_inbound_message then 1 else 0 end) as {{ api.Column.translate_type('bigint') }})
            as inbound_message_count,
        cast(
            sum(
                case when events.event_type = 'transferred' then 1 else 0 end
            ) as {{ api.Column.translate_type('bigint') }}
        )
            as transfer_count,
        cast(sum(case when events.is_agent_event then 1 else 0 end) as {{ api.Column.translate_type('bigint') }})
            as agent_event_count,
        cast(
            sum(
                case when events.is_handled_interaction then events.handle_seconds else 0 end
            ) as {{ api.Column.translate_type('bigint') }}
        )
            as handle_seconds,
        cast(
            sum(case when events.is_handled_interaction then 1 else 0 end) as {{ api.Column.translate_type('bigint') }}
        )
            as handled_interaction_count
    from events
    inner join last_reopens
        on events.ticket_id = last_reopens.ticket_id
    group by events.ticket_id

),

resolution as (

    select
        milestones.*,
        last_status.new_status as last_status,
        case
            when last_status.new_status in ('solved', 'closed')
                then coalesce(milestones.last_solve_after_reopen_sequence, milestones.first_close_after_reopen_sequence)
        end as resolution_sequence
    from milestones
    left join status_entries as last_status
        on
        milestones.ticket_id = last_status.ticket_id
        and milestones.last_status_sequence = last_status.event_sequence

),

last_reply_before as (

    select
        resolution.ticket_id,
        max(case when events.event_sequence <= resolution.resolution_sequence then events.event_sequence end)
            as solver_reply_sequence,
        max(case when events.event_sequence <= resolution.first_solve_sequence then events.event_sequence end)
            as first_solver_reply_sequence
    from resolution
    inner join public_replies as events
        on resolution.ticket_id = events.ticket_id
    group by resolution.ticket_id

),

final as (

    select
        resolution.ticket_id,
        first_reply.event_at as first_reply_at,
        first_reply.agent_id as first_reply_agent_id,
        first_solve.event_at as first_solved_at,
        first_solver.agent_id as first_solve_agent_id,
        first_solver.event_at as first_solve_agent_reply_at,
        resolved.event_at as resolved_at,
        solver.agent_id as resolved_by_agent_id,
        solver.event_at as resolved_by_agent_reply_at,
        resolution.resolution_sequence is not null as is_resolved,
        resolution.first_solve_sequence is not null as is_ever_solved,
        resolution.reopen_count,
        resolution.public_reply_count,
        resolution.inbound_message_count,
        resolution.transfer_count,
        resolution.agent_event_count,
        resolution.handle_seconds,
        resolution.handled_interaction_count,
        resolution.last_status
    from resolution
    left join last_reply_before
        on resolution.ticket_id = last_reply_before.ticket_id
    left join public_replies as first_reply
        on
        resolution.ticket_id = first_reply.ticket_id
        and resolution.first_reply_sequence = first_reply.event_sequence
    left join status_entries as first_solve
        on
        resolution.ticket_id = first_solve.ticket_id
        and resolution.first_solve_sequence = first_solve.event_sequence
    left join status_entries as resolved
        on
        resolution.ticket_id = resolved.ticket_id
        and resolution.resolution_sequence = resolved.event_sequence
    left join public_replies as solver
        on
        resolution.ticket_id = solver.ticket_id
        and last_reply_before.solver_reply_sequence = solver.event_sequence
    left join public_replies as first_solver
        on
        resolution.ticket_id = first_solver.ticket_id
        and last_reply_before.first_solver_reply_sequence = first_solver.event_sequence

)

select * from final
