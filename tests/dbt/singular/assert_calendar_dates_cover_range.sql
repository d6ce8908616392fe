{#- int_calendar__dates is cut from a spine of var('calendar_max_days', 36600)
    days; fails when the data's calendar range is longer than the spine (the
    last date falls short of range_end_date), which would make business
    clocks NULL beyond it. Raise the var if this ever fails. -#}
with dates as (

    select * from {{ ref('int_calendar__dates') }}

),

coverage as (

    select
        min(range_start_date) as range_start_date,
        max(range_end_date) as range_end_date,
        min(date_day) as first_date_day,
        max(date_day) as last_date_day,
        count(*) as date_days
    from dates

),

final as (

    select * from coverage
    where date_days > 0
        and (
            first_date_day <> range_start_date
            or last_date_day <> range_end_date
            or date_days <> {{ dbt.datediff('range_start_date', 'range_end_date', 'day') }} + 1
        )

)

select * from final
