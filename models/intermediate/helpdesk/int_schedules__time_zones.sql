{#- One row per schedule with its time zone. -#}

with

schedules as (

    select * from {{ ref('stg_reference__schedules') }}

),

final as (

    select
        schedule_id,
        max(time_zone) as time_zone
    from schedules
    group by schedule_id

)

select * from final
