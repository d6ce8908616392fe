{#- One row per schedule, local date and opening interval, on open days only
    (a schedule's weekday rows, minus its whole-day holidays), over the
    calendar range. Local wall-clock opening and closing times are converted
    to UTC with local_to_utc, so an interval spanning a DST shift is 9 or 11
    hours long and every other interval keeps its wall-clock length.
    Intervals whose close is not after their open (or is NULL) are ignored;
    overnight intervals are not supported (split them at midnight).
    interval_number_in_day and next_opens_at let the business_clock macro
    pick, with an equi-join on (schedule, local date), the one interval of
    the day that governs an instant: from the interval's opening (from local
    midnight for the first) to the next interval's opening (to the end of
    the day for the last). -#}
with dates as (

    select * from {{ ref('int_calendar__dates') }}

),

schedules as (

    select * from {{ ref('int_calendar__schedules') }}

),

schedule_rows as (

    select * from {{ ref('stg_reference__schedules') }}

),

holidays as (

    select * from {{ ref('stg_reference__holidays') }}

),

schedule_dates as (

    select
        schedules.schedule_id,
        schedules.time_zone,
        dates.date_day as local_date,
        {{ iso_weekday('dates.date_day') }} as weekday
    from schedules
    cross join dates

),

open_dates as (

    select schedule_dates.*
    from schedule_dates
    left join holidays
        on
        schedule_dates.schedule_id = holidays.schedule_id
        and schedule_dates.local_date = holidays.holiday_date
    where holidays.holiday_date is null

),

local_intervals as (

    select
        open_dates.schedule_id,
        open_dates.local_date,
        open_dates.time_zone,
        open_dates.weekday,
        schedule_rows.open_second_of_day,
        schedule_rows.close_second_of_day,
        {{ dbt.dateadd(
            'second',
            'schedule_rows.open_second_of_day',
            dbt.cast('open_dates.local_date', dbt.type_timestamp()),
        ) }}
            as local_opens_at,
        {{ dbt.dateadd(
            'second',
            'schedule_rows.close_second_of_day',
            dbt.cast('open_dates.local_date', dbt.type_timestamp()),
        ) }}
            as local_closes_at
    from open_dates
    inner join schedule_rows
        on
        open_dates.schedule_id = schedule_rows.schedule_id
        and open_dates.weekday = schedule_rows.weekday
    where schedule_rows.close_second_of_day > schedule_rows.open_second_of_day

),

utc_intervals as (

    select
        schedule_id,
        local_date,
        time_zone,
        weekday,
        open_second_of_day,
        close_second_of_day,
        {{ local_to_utc('local_opens_at', 'time_zone') }} as opens_at,
        {{ local_to_utc('local_closes_at', 'time_zone') }} as closes_at
    from local_intervals

),

measured as (

    select
        *,
        {{ dbt.cast(dbt.datediff('opens_at', 'closes_at', 'second'), dbt.type_bigint()) }} as interval_seconds
    from utc_intervals

),

final as (

    select
        schedule_id,
        local_date,
        time_zone,
        weekday,
        open_second_of_day,
        close_second_of_day,
        opens_at,
        closes_at,
        interval_seconds,
        cast(row_number() over (
            partition by schedule_id, local_date
            order by opens_at
        ) as {{ dbt.type_int() }}) as interval_number_in_day,
        lead(opens_at) over (
            partition by schedule_id, local_date
            order by opens_at
        ) as next_opens_at,
        cast(sum(interval_seconds) over (
            partition by schedule_id
            order by opens_at
            rows between unbounded preceding and current row
        ) - interval_seconds as {{ dbt.type_bigint() }}) as business_seconds_before_interval
    from measured

)

select * from final
