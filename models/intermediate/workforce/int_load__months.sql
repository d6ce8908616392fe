{#- One row per calendar month of the loaded data: the months from the one
    holding the earliest loaded instant (tickets.created_at,
    ticket_events.event_at, calls.offered_at/ended_at) to the one holding the
    as-of time (int_load__as_of), both as local dates in the default
    schedule. The period-level month KPIs (churn_rate, agent_attrition_rate)
    are computed for these months. Empty when nothing is loaded. -#}

with

tickets as (

    select * from {{ ref('stg_helpdesk__tickets') }}

),

ticket_events as (

    select * from {{ ref('stg_helpdesk__ticket_events') }}

),

calls as (

    select * from {{ ref('stg_telephony__calls') }}

),

as_of as (

    select * from {{ ref('int_load__as_of') }}

),

calendar_dates as (

    select * from {{ ref('int_calendar__dates') }}

),

default_schedule as (

    select * from {{ ref('int_schedules__time_zones') }}
    where schedule_id = '{{ var("default_schedule_id") }}'

),

first_instants as (

    select min(created_at) as first_at from tickets
    union all
    select min(event_at) as first_at from ticket_events
    union all
    select min(offered_at) as first_at from calls
    union all
    select min(ended_at) as first_at from calls

),

load_bounds as (

    select
        {{ local_date_of('min(first_instants.first_at)', 'max(default_schedule.time_zone)') }} as first_local_date,
        {{ local_date_of('max(as_of.as_of_at)', 'max(default_schedule.time_zone)') }} as last_local_date
    from first_instants
    cross join as_of
    cross join default_schedule

),

final as (

    select distinct
        cast({{ dbt.date_trunc('month', 'calendar_dates.date_day') }} as date) as month_start,
        cast({{ dbt.last_day('calendar_dates.date_day', 'month') }} as date) as month_end
    from calendar_dates
    inner join load_bounds
        on
        calendar_dates.date_day >= cast({{ dbt.date_trunc('month', 'load_bounds.first_local_date') }} as date)
        and calendar_dates.date_day <= load_bounds.last_local_date

)

select * from final
