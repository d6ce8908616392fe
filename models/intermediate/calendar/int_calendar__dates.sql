{#- One row per calendar date of the warehouse's calendar range: from 7 days
    before the earliest ticket creation / call offer to 7 days after the
    latest ticket creation, ticket event or call (UTC dates; the 7-day margin
    covers every local date of any time zone). Empty when there is no data.

    The spine is dbt's portable generate_series (a cross join of powers of
    two) cut at the range length, so no compile-time query is needed; it
    covers var('calendar_max_days', 36600) days, and the singular test
    assert_calendar_dates_cover_range fails if the data ever span more. -#}
{%- set max_days = var('calendar_max_days', 36600) -%}

with tickets as (

    select * from {{ ref('stg_helpdesk__tickets') }}

),

ticket_events as (

    select * from {{ ref('stg_helpdesk__ticket_events') }}

),

calls as (

    select * from {{ ref('stg_telephony__calls') }}

),

instant_bounds as (

    select
        min(created_at) as first_instant_at,
        max(created_at) as last_instant_at
    from tickets

    union all

    select
        cast(null as {{ dbt.type_timestamp() }}) as first_instant_at,
        max(event_at) as last_instant_at
    from ticket_events

    union all

    select
        min(offered_at) as first_instant_at,
        max(coalesce(ended_at, offered_at)) as last_instant_at
    from calls

),

date_range as (

    select
        cast({{ dbt.dateadd('day', -7, 'cast(min(first_instant_at) as date)') }} as date) as range_start_date,
        cast({{ dbt.dateadd('day', 7, 'cast(max(last_instant_at) as date)') }} as date) as range_end_date
    from instant_bounds

),

day_numbers as (

    {{ dbt.generate_series(max_days) }}

),

final as (

    select
        cast({{ dbt.dateadd('day', 'day_numbers.generated_number - 1', 'date_range.range_start_date') }} as date)
            as date_day,
        date_range.range_start_date,
        date_range.range_end_date
    from date_range
    cross join day_numbers
    where
        day_numbers.generated_number - 1
        <= {{ dbt.datediff('date_range.range_start_date', 'date_range.range_end_date', 'day') }}

)

select * from final
