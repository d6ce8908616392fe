{#- One row per agent and 30-minute interval: scheduled, logged-in,
    available, handling, aux and absent seconds, with the agent's team at the
    interval and its local date. -#}

with

intervals as (

    select * from {{ ref('stg_workforce__agent_intervals') }}

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
        coalesce(intervals.absent_seconds, 0) as absent_seconds
    from intervals
    {{ agent_team_join('interval_teams', 'intervals.agent_id', 'intervals.interval_start') }}
    left join teams
        on interval_teams.team_id = teams.team_id
    cross join default_schedule

)

select * from final
