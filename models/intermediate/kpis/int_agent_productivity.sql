{#- The units of contacts_per_hour and solved_per_agent_day, one row each:
    a handled interaction, an agent interval (productive seconds), an
    agent-day with logged-in time, or a resolved ticket. Each row carries
    only its own count; the KPI sums them per period and scope. An agent-day
    belongs to the team of the agent's first logged-in interval of that day.
    Without agent_intervals (an optional table) there are no rows: both KPIs
    need agent time, so they are not produced (docs/spec/raw_contract.md).

    A view: the agent-time KPIs read it once per metric, and an incremental
    build of theirs only the days it recomputes (the date filter reaches
    every branch; an agent-day's window is per date). -#}
{{ config(materialized='view') }}

with

interactions as (

    select * from {{ ref('int_interactions') }}

),

intervals as (

    select * from {{ ref('fct_agent_intervals') }}

),

tickets as (

    select * from {{ ref('fct_tickets') }}
    where
        not is_merged
        and is_resolved

),

agent_days as (

    select
        agent_id,
        interval_local_date,
        team_id,
        row_number() over (partition by agent_id, interval_local_date order by interval_start) as interval_rank
    from intervals
    where logged_in_seconds > 0

),

units as (

    select
        'interaction' as activity_source,
        interaction_local_date as activity_local_date,
        agent_id,
        team_id,
        1 as interaction_count,
        0 as productive_seconds,
        0 as logged_in_agent_day_count,
        0 as resolved_ticket_count
    from interactions

    union all

    select
        'interval' as activity_source,
        interval_local_date as activity_local_date,
        agent_id,
        team_id,
        0 as interaction_count,
        handling_seconds + available_seconds as productive_seconds,
        0 as logged_in_agent_day_count,
        0 as resolved_ticket_count
    from intervals

    union all

    select
        'agent_day' as activity_source,
        interval_local_date as activity_local_date,
        agent_id,
        team_id,
        0 as interaction_count,
        0 as productive_seconds,
        1 as logged_in_agent_day_count,
        0 as resolved_ticket_count
    from agent_days
    where interval_rank = 1

    union all

    select
        'resolved_ticket' as activity_source,
        resolved_local_date as activity_local_date,
        resolved_by_agent_id as agent_id,
        resolved_by_team_id as team_id,
        0 as interaction_count,
        0 as productive_seconds,
        0 as logged_in_agent_day_count,
        1 as resolved_ticket_count
    from tickets

),

final as (

    select * from units
    where exists (select 1 as has_interval from intervals)

)

select * from final
