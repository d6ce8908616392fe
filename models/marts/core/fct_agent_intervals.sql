{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy="delete+insert",
    unique_key=["agent_id", "interval_start"],
    on_schema_change="fail",
) }}
{#- One row per agent and 30-minute interval: scheduled, logged-in,
    available, handling, aux and absent seconds, with the agent's team at the
    interval and its local date.

    Incremental by agent and interval (touched_row_filter): an interval is
    re-read when it, or its agent and the agent's team history change; every
    interval when teams or schedules change. -#}

with

intervals as (

    select * from {{ ref('stg_workforce__agent_intervals') }}
    {{ touched_row_filter('base_workforce__agent_intervals', 'agent_id, interval_start') }}

),

teams as (

    select * from {{ ref('int_teams__schedules') }}

),

default_schedule as (

    select * from {{ ref('int_schedules__time_zones') }}
    where schedule_id = '{{ var("default_schedule_id") }}'

),

final as (

    select
        intervals.agent_id,
        intervals.interval_start,
        interval_teams.team_id,
        {{ local_date_of('intervals.interval_start', 'coalesce(teams.time_zone, default_schedule.time_zone)') }}
            as interval_local_date,
        coalesce(intervals.scheduled_seconds, 0) as scheduled_seconds,
        coalesce(intervals.logged_in_seconds, 0) as logged_in_seconds,
        coalesce(intervals.available_seconds, 0) as available_seconds,
        coalesce(intervals.handling_seconds, 0) as handling_seconds,
        coalesce(intervals.aux_seconds, 0) as aux_seconds,
        coalesce(intervals.absent_seconds, 0) as absent_seconds,
        intervals._load_id,
        {{ build_started_at() }} as _refreshed_at
    from intervals
    {{ agent_team_join('interval_teams', 'intervals.agent_id', 'intervals.interval_start') }}
    left join teams
        on interval_teams.team_id = teams.team_id
    cross join default_schedule

)

select * from final
