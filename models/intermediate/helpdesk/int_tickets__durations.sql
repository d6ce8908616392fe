{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy="delete+insert",
    unique_key=["ticket_id"],
    on_schema_change="fail",
) }}
{#- One row per ticket: calendar and business seconds from creation to first
    reply, first solve and final resolution. Business seconds use the
    ticket's schedule through the business clock
    (macros/business_time/business_clock.sql). Nothing here depends on the
    as-of time (int_tickets__sla measures pending tickets against it), so the
    model is incremental by ticket (touched_ticket_filter): a ticket is
    re-read when it or its events change, every ticket when teams, schedules
    or holidays do. -#}
{%- set touched = touched_ticket_filter(
    recompute_all_when=['base_helpdesk__teams', 'base_reference__schedules', 'base_reference__holidays'],
) %}

with

tickets as (

    select * from {{ ref('stg_helpdesk__tickets') }}
    {{ touched }}

),

schedules as (

    select * from {{ ref('int_tickets__schedules') }}
    {{ touched }}

),

lifecycle as (

    select * from {{ ref('int_tickets__lifecycle') }}
    {{ touched }}

),

milestones as (

    select
        tickets.ticket_id,
        schedules.schedule_id,
        tickets.created_at,
        lifecycle.first_reply_at,
        lifecycle.first_solved_at,
        lifecycle.resolved_at,
        greatest(tickets._load_id, coalesce(lifecycle._load_id, '')) as _load_id
    from tickets
    inner join schedules
        on tickets.ticket_id = schedules.ticket_id
    left join lifecycle
        on tickets.ticket_id = lifecycle.ticket_id

),

instants as (

    select
        ticket_id,
        schedule_id,
        'created' as milestone,
        created_at as instant
    from milestones

    union all

    select
        ticket_id,
        schedule_id,
        'first_reply' as milestone,
        first_reply_at as instant
    from milestones
    where first_reply_at is not null

    union all

    select
        ticket_id,
        schedule_id,
        'resolved' as milestone,
        resolved_at as instant
    from milestones
    where resolved_at is not null

),

clocked as (

    {{ business_clock('instants', 'schedule_id', 'instant', 'business_clock_seconds') }}

),

clock_readings as (

    select
        ticket_id,
        max(case when milestone = 'created' then business_clock_seconds end) as created_clock_seconds,
        max(case when milestone = 'first_reply' then business_clock_seconds end) as first_reply_clock_seconds,
        max(case when milestone = 'resolved' then business_clock_seconds end) as resolved_clock_seconds
    from clocked
    group by ticket_id

),

final as (

    select
        milestones.ticket_id,
        {{ dbt.datediff('milestones.created_at', 'milestones.first_reply_at', 'second') }}
            as first_reply_seconds_calendar,
        clock_readings.first_reply_clock_seconds - clock_readings.created_clock_seconds
            as first_reply_seconds_business,
        {{ dbt.datediff('milestones.created_at', 'milestones.first_solved_at', 'second') }}
            as first_solution_seconds_calendar,
        {{ dbt.datediff('milestones.created_at', 'milestones.resolved_at', 'second') }}
            as resolution_seconds_calendar,
        clock_readings.resolved_clock_seconds - clock_readings.created_clock_seconds
            as resolution_seconds_business,
        milestones._load_id,
        {{ build_started_at() }} as _refreshed_at
    from milestones
    left join clock_readings
        on milestones.ticket_id = clock_readings.ticket_id

)

select * from final
