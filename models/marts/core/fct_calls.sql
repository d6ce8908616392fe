{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy="delete+insert",
    unique_key=["call_id"],
    on_schema_change="fail",
) }}
{#- One row per call: queue outcome (answered, abandoned, short abandon),
    wait and handle seconds, the answering agent's team at offered_at, the
    call's topic (linked ticket's topic, else its queue) and local dates on
    the owning schedule (the agent's team's, else the default).

    Incremental by call (touched_row_filter): a call is re-read when it, its
    linked ticket, or its agent and the agent's team history change; every
    call when teams or schedules change. -#}

with

calls as (

    select * from {{ ref('stg_telephony__calls') }}
    {{ touched_row_filter('base_telephony__calls', 'call_id', ticket_link='ticket_id') }}

),

tickets as (

    select * from {{ ref('stg_helpdesk__tickets') }}

),

teams as (

    select * from {{ ref('int_teams__schedules') }}

),

default_schedule as (

    select * from {{ ref('int_schedules__time_zones') }}
    where schedule_id = '{{ var("default_schedule_id") }}'

),

{# The answering agent: an unanswered call has no agent and so no team
    (docs/kpi_decisions.md, Calls), even if the export names one. #}
answering_agents as (

    select
        call_id,
        case when answered_at is not null then agent_id end as agent_id
    from calls

),

final as (

    select
        calls.call_id,
        calls.queue,
        calls.direction,
        calls.customer_id,
        calls.ticket_id,
        answering_agents.agent_id,
        call_teams.team_id,
        coalesce(tickets.topic, calls.queue) as topic,
        coalesce(teams.schedule_id, default_schedule.schedule_id) as schedule_id,
        calls.offered_at,
        {{ local_date_of('calls.offered_at', 'coalesce(teams.time_zone, default_schedule.time_zone)') }}
            as offered_local_date,
        calls.answered_at,
        {{ local_date_of('calls.answered_at', 'coalesce(teams.time_zone, default_schedule.time_zone)') }}
            as answered_local_date,
        calls.abandoned_at,
        calls.ended_at,
        calls.direction = 'inbound' as is_inbound,
        calls.answered_at is not null as is_answered,
        calls.abandoned_at is not null as is_abandoned,
        coalesce(
            calls.abandoned_at is not null
            and {{ dbt.datediff('calls.offered_at', 'calls.abandoned_at', 'second') }}
            < {{ var('short_abandon_seconds') }},
            false
        ) as is_short_abandon,
        {{ dbt.datediff('calls.offered_at', 'calls.answered_at', 'second') }}
            as wait_seconds,
        calls.talk_seconds,
        calls.hold_seconds,
        calls.acw_seconds,
        case
            when calls.answered_at is not null
                then coalesce(calls.talk_seconds, 0) + coalesce(calls.hold_seconds, 0) + coalesce(calls.acw_seconds, 0)
        end as handle_seconds,
        calls.transferred_to_queue,
        calls.transferred_to_queue is not null as is_transferred,
        greatest(calls._load_id, coalesce(tickets._load_id, '')) as _load_id,
        {{ build_started_at() }} as _refreshed_at
    from calls
    inner join answering_agents
        on calls.call_id = answering_agents.call_id
    left join tickets
        on calls.ticket_id = tickets.ticket_id
    {{ agent_team_join('call_teams', 'answering_agents.agent_id', 'calls.offered_at') }}
    left join teams
        on call_teams.team_id = teams.team_id
    cross join default_schedule

)

select * from final
