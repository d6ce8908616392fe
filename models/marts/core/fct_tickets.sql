{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy="delete+insert",
    unique_key=["ticket_id"],
    on_schema_change="fail",
    full_build_parts={"rows_of": "stg_helpdesk__tickets"},
) }}
{#- One row per ticket: its attributes, lifecycle milestones, durations in
    calendar and business seconds, SLA outcome, and the agent and team each
    milestone is attributed to (docs/kpi_decisions.md). Building blocks only;
    ratios are formed in marts.kpi_values.

    Incremental by ticket (touched_ticket_filter), every ticket-keyed input
    filtered: a ticket is re-read when it, its events, its linked calls or the
    team history of its agents change, and while an SLA status is pending
    (int_tickets__sla re-judges those at each as-of time); every ticket when
    teams, schedules, holidays or SLA policies change. A full build runs in
    hash parts of ticket_id when DuckDB's memory limit needs them
    (full_build_parts.sql). -#}
{%- set touched = touched_ticket_filter(
    via_agents=['base_helpdesk__agents', 'base_helpdesk__agent_team_history'],
    recompute_all_when=[
        'base_helpdesk__teams', 'base_reference__schedules', 'base_reference__holidays',
        'base_reference__sla_policies',
    ],
    via_linked_rows=['base_telephony__calls'],
    recompute_where="first_reply_sla_status = 'pending' or resolution_sla_status = 'pending'",
) %}

with

tickets as (

    select * from {{ ref('stg_helpdesk__tickets') }}
    {{ touched }}

),

schedules as (

    select * from {{ ref('int_tickets__schedules') }}
    {{ touched }}

),

lifecycle as (

    select * from {{ ref('int_tickets__lifecycle') }}
    {{ touched }}

),

durations as (

    select * from {{ ref('int_tickets__durations') }}
    {{ touched }}

),

sla as (

    select * from {{ ref('int_tickets__sla') }}
    {{ touched }}

),

calls as (

    select * from {{ ref('stg_telephony__calls') }}
    {{ touched }}

),

linked_calls as (

    select
        ticket_id,
        count(*) as linked_inbound_call_count,
        max(_load_id) as _load_id
    from calls
    where
        direction = 'inbound'
        and ticket_id is not null
    group by ticket_id

),

final as (

    select
        tickets.ticket_id,
        tickets.customer_id,
        tickets.channel,
        tickets.topic,
        tickets.priority,
        tickets.status,
        tickets.team_id,
        tickets.merged_into_ticket_id,
        tickets.merged_into_ticket_id is not null as is_merged,
        schedules.schedule_id,
        schedules.time_zone,
        tickets.created_at,
        {{ local_date_of('tickets.created_at', 'schedules.time_zone') }} as created_local_date,
        lifecycle.first_reply_at,
        lifecycle.first_reply_agent_id,
        coalesce(first_reply_teams.team_id, tickets.team_id) as first_reply_team_id,
        durations.first_reply_seconds_calendar,
        durations.first_reply_seconds_business,
        lifecycle.first_solved_at,
        {{ local_date_of('lifecycle.first_solved_at', 'schedules.time_zone') }} as first_solved_local_date,
        lifecycle.first_solve_agent_id,
        coalesce(first_solve_teams.team_id, tickets.team_id) as first_solve_team_id,
        durations.first_solution_seconds_calendar,
        lifecycle.resolved_at,
        {{ local_date_of('lifecycle.resolved_at', 'schedules.time_zone') }} as resolved_local_date,
        lifecycle.resolved_by_agent_id,
        coalesce(resolution_teams.team_id, tickets.team_id) as resolved_by_team_id,
        durations.resolution_seconds_calendar,
        durations.resolution_seconds_business,
        coalesce(lifecycle.is_resolved, false) as is_resolved,
        coalesce(lifecycle.is_ever_solved, false) as is_ever_solved,
        coalesce(lifecycle.reopen_count, 0) as reopen_count,
        coalesce(lifecycle.reopen_count, 0) > 0 as is_reopened,
        coalesce(lifecycle.public_reply_count, 0) as public_reply_count,
        coalesce(lifecycle.inbound_message_count, 0) as inbound_message_count,
        coalesce(linked_calls.linked_inbound_call_count, 0) as linked_inbound_call_count,
        coalesce(lifecycle.transfer_count, 0) as transfer_count,
        coalesce(lifecycle.agent_event_count, 0) as agent_event_count,
        coalesce(lifecycle.handle_seconds, 0) as handle_seconds,
        coalesce(lifecycle.handled_interaction_count, 0) as handled_interaction_count,
        sla.policy_channel as sla_policy_channel,
        sla.is_business_hours as is_sla_business_hours,
        sla.first_reply_target_seconds as sla_first_reply_target_seconds,
        sla.resolution_target_seconds as sla_resolution_target_seconds,
        sla.first_reply_sla_status,
        sla.resolution_sla_status,
        greatest(
            tickets._load_id,
            coalesce(lifecycle._load_id, ''),
            coalesce(linked_calls._load_id, '')
        ) as _load_id,
        {{ build_started_at() }} as _refreshed_at
    from tickets
    inner join schedules
        on tickets.ticket_id = schedules.ticket_id
    left join lifecycle
        on tickets.ticket_id = lifecycle.ticket_id
    left join durations
        on tickets.ticket_id = durations.ticket_id
    left join sla
        on tickets.ticket_id = sla.ticket_id
    left join linked_calls
        on tickets.ticket_id = linked_calls.ticket_id
    {{ agent_team_join('first_reply_teams', 'lifecycle.first_reply_agent_id', 'lifecycle.first_reply_at') }}
    {{ agent_team_join('first_solve_teams', 'lifecycle.first_solve_agent_id', 'lifecycle.first_solve_agent_reply_at') }}
    {{ agent_team_join('resolution_teams', 'lifecycle.resolved_by_agent_id', 'lifecycle.resolved_by_agent_reply_at') }}

)

select * from final
