{#- One row per schedule: its IANA time zone. A schedule's weekday rows
    should agree on the zone; if they do not, the greatest name is kept. -#}
with schedule_rows as (

    select * from {{ ref('stg_reference__schedules') }}

),

final as (

    select
        schedule_id,
        max(time_zone) as time_zone,
        count(*) as opening_intervals_per_week
    from schedule_rows
    where time_zone is not null
    group by schedule_id

)

select * from final
