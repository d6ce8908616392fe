{#- The business clock of a schedule: business seconds elapsed from the start
    of the calendar range (int_calendar__schedule_days) up to an instant.
    Business seconds between two instants of the same schedule are
    clock(end) - clock(start); see _business_time__macros.yml.

    Returns a SELECT of every column of the input plus `output_column`. It is
    a WITH statement, so use it as a whole model body or inside a CTE:

        clocked as (
            {{ business_clock('tickets', 'schedule_id', 'created_at', 'created_clock_seconds') }}
        ),

    Mechanism, per input row (no aggregation, so the input needs no key and
    keeps its row count):
      1. equi-join int_calendar__schedules on the schedule (NULL -> default)
         for the time zone;
      2. equi-join int_calendar__schedule_days on (schedule, local date of the
         instant): business seconds up to the local midnight;
      3. left join that day's opening intervals (equi on schedule and local
         date), keeping the one interval governing the instant: from its
         opening (from midnight for the first of the day) to the next
         interval's opening (to the end of the day for the last);
      4. clock = business_seconds_before_interval
                 + clamp(instant - opens_at, 0, interval_seconds)
         i.e. the day's cumulative seconds plus the sum of clamp() over the
         day's intervals; on a day without an interval (closed, holiday) the
         clock is business_seconds_before_day.
    No range join over all intervals and no rows x days product: linear in
    the input. An instant whose local date is outside the calendar range, a
    NULL instant or an unknown schedule gives NULL. -#}
{% macro business_clock(relation_sql_or_ref, schedule_column, instant_column, output_column='business_clock_seconds') %}
    {%- set source_text = (relation_sql_or_ref | string) | trim -%}
    {%- if source_text[:6] | lower == 'select' or source_text[:4] | lower == 'with' -%}
        {%- set source_from = '(\n' ~ source_text ~ '\n)' -%}
    {%- else -%}
        {%- set source_from = source_text -%}
    {%- endif -%}
    {%- set default_schedule = "'" ~ var('default_schedule_id') ~ "'" -%}
    {%- set instant = 'business_clock__input.' ~ instant_column -%}

with business_clock__input as (

    select * from {{ source_from }} as business_clock__source

),

business_clock__schedules as (

    select * from {{ ref('int_calendar__schedules') }}

),

business_clock__days as (

    select * from {{ ref('int_calendar__schedule_days') }}

),

business_clock__intervals as (

    select * from {{ ref('int_calendar__opening_intervals') }}

),

business_clock__final as (

    select
        business_clock__input.*,
        case
            when business_clock__days.local_date is null then null
            when business_clock__intervals.opens_at is null
                then business_clock__days.business_seconds_before_day
            else business_clock__intervals.business_seconds_before_interval
                + case
                    when {{ instant }} <= business_clock__intervals.opens_at then 0
                    when {{ instant }} >= business_clock__intervals.closes_at
                        then business_clock__intervals.interval_seconds
                    else {{ dbt.datediff('business_clock__intervals.opens_at', instant, 'second') }}
                end
        end as {{ output_column }}
    from business_clock__input
    left join business_clock__schedules
        on coalesce(business_clock__input.{{ schedule_column }}, {{ default_schedule }})
            = business_clock__schedules.schedule_id
    left join business_clock__days
        on business_clock__schedules.schedule_id = business_clock__days.schedule_id
            and {{ local_date_of(instant, 'business_clock__schedules.time_zone') }}
            = business_clock__days.local_date
    left join business_clock__intervals
        on business_clock__days.schedule_id = business_clock__intervals.schedule_id
            and business_clock__days.local_date = business_clock__intervals.local_date
            and (
                business_clock__intervals.interval_number_in_day = 1
                or {{ instant }} >= business_clock__intervals.opens_at
            )
            and (
                business_clock__intervals.next_opens_at is null
                or {{ instant }} < business_clock__intervals.next_opens_at
            )

)

select * from business_clock__final
{%- endmacro %}
