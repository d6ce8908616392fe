{#- Recomputes the day rows of the backlog KPIs at overall scope by brute
    force - every non-merged ticket x every local day up to the as-of date,
    its state at the day end read from its latest status change before that
    instant - and returns every (kpi, day) where int_kpi_values__backlog
    differs. A tickets x days join: fine on test data, which is why the model
    itself uses +1/-1 changes and a running sum instead. -#}

{%- set next_midnight = 'cast('
    ~ dbt.dateadd('day', 1, 'calendar.date_day')
    ~ ' as ' ~ dbt.type_timestamp() ~ ')' -%}
{#- Every day while the fact is small; at scale every n-th day counted back
    from the last backlog day (n = tickets per 20,000, rounded up), so the
    check costs about as much as on 20,000 tickets x every day. -#}
{%- set day_stride = 1 -%}
{%- if execute -%}
    {%- set ticket_count = run_query('select count(*) from ' ~ ref('fct_tickets')).columns[0].values()[0] -%}
    {%- set day_stride = [1, ((ticket_count | int) + 19999) // 20000] | max -%}
{%- endif -%}
{%- set age_seconds = dbt.datediff(
    'created_by_day_end.created_at', 'created_by_day_end.day_end_at', 'second'
) %}

with

tickets as (

    select * from {{ ref('fct_tickets') }}
    where not is_merged

),

status_events as (

    select * from {{ ref('fct_ticket_events') }}
    where event_type = 'status_changed'

),

calendar_days as (

    select * from {{ ref('int_calendar__dates') }}

),

as_of as (

    select * from {{ ref('int_load__as_of') }}

),

schedules as (

    select * from {{ ref('int_schedules__time_zones') }}

),

model_rows as (

    select * from {{ ref('int_kpi_values__backlog') }}
    where grain = 'day'
        and scope_type = 'overall'

),

last_backlog_day as (

    select
        {{ local_date_of('as_of.as_of_at', 'schedules.time_zone') }} as last_local_date
    from as_of
    cross join schedules
    where schedules.schedule_id = '{{ var("default_schedule_id") }}'

),

calendar as (

    select calendar_days.*
    from calendar_days
    cross join last_backlog_day
    where mod({{ dbt.datediff('calendar_days.date_day', 'last_backlog_day.last_local_date', 'day') }}, {{ day_stride }}) = 0

),

ticket_day_ends as (

    select
        tickets.ticket_id,
        tickets.created_at,
        calendar.date_day,
        {{ local_to_utc(next_midnight, 'tickets.time_zone') }} as day_end_at
    from tickets
    cross join calendar
    cross join last_backlog_day
    where calendar.date_day <= last_backlog_day.last_local_date

),

created_by_day_end as (

    select * from ticket_day_ends
    where created_at < day_end_at

),

{# the status entered last before each day end: an aggregate on the event
    order (a sort of every ticket-day's events would cost far more) #}
statuses_at_day_end as (

    select
        created_by_day_end.ticket_id,
        created_by_day_end.date_day,
        {{ max_by('status_events.new_status', 'status_events.event_sequence') }} as new_status
    from created_by_day_end
    inner join status_events
        on
        created_by_day_end.ticket_id = status_events.ticket_id
        and created_by_day_end.day_end_at > status_events.event_at
    group by created_by_day_end.ticket_id, created_by_day_end.date_day

),

states_at_day_end as (

    select
        created_by_day_end.date_day,
        {{ age_seconds }} / 86400.0 as age_days,
        coalesce(statuses_at_day_end.new_status in ('solved', 'closed'), false) as is_done
    from created_by_day_end
    left join statuses_at_day_end
        on
        created_by_day_end.ticket_id = statuses_at_day_end.ticket_id
        and created_by_day_end.date_day = statuses_at_day_end.date_day

),

backlog_tickets as (

    select
        date_day,
        case
            when age_days < 1 then 'backlog_age_0_1'
            when age_days < 3 then 'backlog_age_1_3'
            when age_days < 7 then 'backlog_age_3_7'
            else 'backlog_age_7_plus'
        end as age_kpi_id
    from states_at_day_end
    where not is_done

),

brute_force_counts as (

    select
        'backlog' as kpi_id,
        date_day,
        count(*) as ticket_count
    from backlog_tickets
    group by date_day

    union all

    select
        age_kpi_id as kpi_id,
        date_day,
        count(*) as ticket_count
    from backlog_tickets
    group by age_kpi_id, date_day

),

final as (

    select
        coalesce(brute_force_counts.kpi_id, model_rows.kpi_id) as kpi_id,
        coalesce(brute_force_counts.date_day, model_rows.period_start) as date_day,
        brute_force_counts.ticket_count as brute_force_ticket_count,
        model_rows.value as model_ticket_count
    from brute_force_counts
    full outer join model_rows
        on brute_force_counts.kpi_id = model_rows.kpi_id
        and brute_force_counts.date_day = model_rows.period_start
    where (
        brute_force_counts.ticket_count is null
        and model_rows.period_start in (select calendar.date_day from calendar)
    )
        or model_rows.value is null
        or model_rows.value != brute_force_counts.ticket_count
        or model_rows.numerator != brute_force_counts.ticket_count
        or model_rows.denominator is not null

)

select * from final
