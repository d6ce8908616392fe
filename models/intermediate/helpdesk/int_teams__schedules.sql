{#- One row per team with the schedule it works to: teams.schedule_id when
    that schedule exists, else the default schedule. -#}

with

teams as (

    select * from {{ ref('stg_helpdesk__teams') }}

),

schedules as (

    select * from {{ ref('int_schedules__time_zones') }}

),

default_schedule as (

    select * from schedules
    where schedule_id = '{{ var("default_schedule_id") }}'

),

final as (

    select
        teams.team_id,
        coalesce(schedules.schedule_id, default_schedule.schedule_id) as schedule_id,
        coalesce(schedules.time_zone, default_schedule.time_zone) as time_zone
    from teams
    cross join default_schedule
    left join schedules
        on teams.schedule_id = schedules.schedule_id

)

select * from final
