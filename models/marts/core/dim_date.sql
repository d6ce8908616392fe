{#- One row per calendar date of the warehouse's calendar range
    (int_calendar__dates). Weeks are ISO weeks starting Monday. -#}
with dates as (

    select * from {{ ref('int_calendar__dates') }}

),

weekdays as (

    select
        date_day,
        {{ iso_weekday('date_day') }} as iso_weekday
    from dates

),

final as (

    select
        date_day,
        cast({{ dbt.dateadd('day', '1 - iso_weekday', 'date_day') }} as date) as iso_week_start_date,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start_date,
        iso_weekday,
        iso_weekday in (6, 7) as is_weekend
    from weekdays

)

select * from final
