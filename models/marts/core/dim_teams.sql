{#- One row per team with its name and the schedule (and time zone) it works
    to. -#}

with

teams as (

    select * from {{ ref('stg_helpdesk__teams') }}

),

schedules as (

    select * from {{ ref('int_teams__schedules') }}

),

final as (

    select
        teams.team_id,
        teams.team_name,
        schedules.schedule_id,
        schedules.time_zone
    from teams
    inner join schedules
        on teams.team_id = schedules.team_id

)

select * from final
