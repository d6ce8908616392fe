{#- One row per ticket with the schedule that owns it: its current team's
    schedule, else the default schedule; a team whose schedule is not in the
    schedules table also falls back to the default (docs/kpi_decisions.md). -#}

with

tickets as (

    select * from {{ ref('stg_helpdesk__tickets') }}

),

teams as (

    select * from {{ ref('int_teams__schedules') }}

),

schedules as (

    select * from {{ ref('int_schedules__time_zones') }}

),

final as (

    select
        tickets.ticket_id,
        coalesce(teams.schedule_id, schedules.schedule_id) as schedule_id,
        coalesce(teams.time_zone, schedules.time_zone) as time_zone
    from tickets
    left join teams
        on tickets.team_id = teams.team_id
    cross join schedules
    where schedules.schedule_id = '{{ var("default_schedule_id") }}'

)

select * from final
