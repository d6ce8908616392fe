{#- One row per schedule and local date over the calendar range: whether the
    day is a holiday, its business seconds (sum of its opening intervals,
    DST-aware) and the schedule's cumulative business seconds from the start
    of the range up to the local midnight starting the day. Together with
    int_calendar__opening_intervals this is the business clock read by the
    business_clock macro. -#}
with dates as (

    select * from {{ ref('int_calendar__dates') }}

),

schedules as (

    select * from {{ ref('int_calendar__schedules') }}

),

holidays as (

    select * from {{ ref('stg_reference__holidays') }}

),

opening_intervals as (

    select * from {{ ref('int_calendar__opening_intervals') }}

),

seconds_per_day as (

    select
        schedule_id,
        local_date,
        sum(interval_seconds) as business_seconds_in_day
    from opening_intervals
    group by schedule_id, local_date

),

schedule_dates as (

    select
        schedules.schedule_id,
        dates.date_day as local_date,
        schedules.time_zone,
        {{ iso_weekday('dates.date_day') }} as weekday,
        holidays.holiday_date is not null as is_holiday,
        {{ dbt.cast('coalesce(seconds_per_day.business_seconds_in_day, 0)', dbt.type_bigint()) }}
            as business_seconds_in_day
    from schedules
    cross join dates
    left join holidays
        on schedules.schedule_id = holidays.schedule_id
        and dates.date_day = holidays.holiday_date
    left join seconds_per_day
        on schedules.schedule_id = seconds_per_day.schedule_id
        and dates.date_day = seconds_per_day.local_date

),

final as (

    select
        schedule_id,
        local_date,
        time_zone,
        weekday,
        is_holiday,
        business_seconds_in_day,
        cast(sum(business_seconds_in_day) over (
            partition by schedule_id
            order by local_date
            rows between unbounded preceding and current row
        ) - business_seconds_in_day as {{ dbt.type_bigint() }}) as business_seconds_before_day
    from schedule_dates

)

select * from final
