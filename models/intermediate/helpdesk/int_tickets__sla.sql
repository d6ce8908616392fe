{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy="delete+insert",
    unique_key=["ticket_id"],
    on_schema_change="fail",
) }}
{#- One row per ticket with an SLA policy: the policy's targets and whether
    first reply and resolution met them (docs/kpi_decisions.md, "SLA").
    Status is met, breached, or pending (not replied/resolved and the deadline
    has not passed by the as-of time).

    A ticket still waiting for a reply or a resolution is measured against the
    as-of time: calendar seconds, or business seconds on the ticket's schedule
    (the business clock at the as-of time minus the clock at creation), for
    those tickets only. Incremental by ticket (touched_ticket_filter): besides
    the touched tickets, every ticket still pending is re-read in each run,
    because the as-of time moves its deadline closer without any new row. A
    breached or met status never returns to pending while the as-of time only
    moves forward (it is the latest instant loaded); a correction that moves
    it back needs a full build (docs/kpi_decisions.md, "SLA"). -#}
{%- set touched = touched_ticket_filter(
    recompute_all_when=[
        'base_helpdesk__teams', 'base_reference__schedules', 'base_reference__holidays',
        'base_reference__sla_policies',
    ],
    recompute_where="first_reply_sla_status = 'pending' or resolution_sla_status = 'pending'",
) %}

with

tickets as (

    select * from {{ ref('stg_helpdesk__tickets') }}
    {{ touched }}

),

durations as (

    select * from {{ ref('int_tickets__durations') }}
    {{ touched }}

),

schedules as (

    select * from {{ ref('int_tickets__schedules') }}
    {{ touched }}

),

policies as (

    select * from {{ ref('stg_reference__sla_policies') }}

),

as_of as (

    select * from {{ ref('int_load__as_of') }}

),

matched as (

    select
        tickets.ticket_id,
        tickets.created_at,
        coalesce(channel_policies.first_reply_target_minutes, any_channel_policies.first_reply_target_minutes) * 60
            as first_reply_target_seconds,
        coalesce(channel_policies.resolution_target_minutes, any_channel_policies.resolution_target_minutes) * 60
            as resolution_target_seconds,
        coalesce(channel_policies.is_business_hours, any_channel_policies.is_business_hours) as is_business_hours,
        case
            when channel_policies.priority is not null then tickets.channel
            when any_channel_policies.priority is not null then '*'
        end as policy_channel
    from tickets
    left join policies as channel_policies
        on
        tickets.priority = channel_policies.priority
        and tickets.channel = channel_policies.channel
    left join policies as any_channel_policies
        on
        tickets.priority = any_channel_policies.priority
        and any_channel_policies.channel = '*'

),

elapsed as (

    select
        matched.*,
        case
            when matched.is_business_hours then durations.first_reply_seconds_business
            else durations.first_reply_seconds_calendar
        end as first_reply_elapsed_seconds,
        case
            when matched.is_business_hours then durations.resolution_seconds_business
            else durations.resolution_seconds_calendar
        end as resolution_elapsed_seconds,
        durations._load_id
    from matched
    inner join durations
        on matched.ticket_id = durations.ticket_id
    where matched.policy_channel is not null

),

{# Only tickets still waiting for a reply or a resolution need the as-of
    time: their creation and the as-of instant on the ticket's schedule. #}
waiting as (

    select
        elapsed.ticket_id,
        elapsed.is_business_hours,
        schedules.schedule_id,
        elapsed.created_at,
        as_of.as_of_at
    from elapsed
    inner join schedules
        on elapsed.ticket_id = schedules.ticket_id
    cross join as_of
    where
        elapsed.first_reply_elapsed_seconds is null
        or elapsed.resolution_elapsed_seconds is null

),

waiting_instants as (

    select
        ticket_id,
        schedule_id,
        'created' as milestone,
        created_at as instant
    from waiting
    where is_business_hours

    union all

    select
        ticket_id,
        schedule_id,
        'as_of' as milestone,
        as_of_at as instant
    from waiting
    where is_business_hours

),

clocked as (

    {{ business_clock('waiting_instants', 'schedule_id', 'instant', 'business_clock_seconds') }}

),

clock_readings as (

    select
        ticket_id,
        max(case when milestone = 'as_of' then business_clock_seconds end)
        - max(case when milestone = 'created' then business_clock_seconds end) as as_of_seconds_business
    from clocked
    group by ticket_id

),

as_of_elapsed as (

    select
        waiting.ticket_id,
        case
            when waiting.is_business_hours then clock_readings.as_of_seconds_business
            else {{ dbt.datediff('waiting.created_at', 'waiting.as_of_at', 'second') }}
        end as as_of_elapsed_seconds
    from waiting
    left join clock_readings
        on waiting.ticket_id = clock_readings.ticket_id

),

final as (

    select
        elapsed.ticket_id,
        elapsed.policy_channel,
        elapsed.is_business_hours,
        elapsed.first_reply_target_seconds,
        elapsed.resolution_target_seconds,
        elapsed.first_reply_elapsed_seconds,
        elapsed.resolution_elapsed_seconds,
        case
            when elapsed.first_reply_elapsed_seconds is not null
                then
                    case
                        when elapsed.first_reply_elapsed_seconds <= elapsed.first_reply_target_seconds then 'met'
                        else 'breached'
                    end
            when as_of_elapsed.as_of_elapsed_seconds > elapsed.first_reply_target_seconds then 'breached'
            else 'pending'
        end as first_reply_sla_status,
        case
            when elapsed.resolution_elapsed_seconds is not null
                then
                    case
                        when elapsed.resolution_elapsed_seconds <= elapsed.resolution_target_seconds then 'met'
                        else 'breached'
                    end
            when as_of_elapsed.as_of_elapsed_seconds > elapsed.resolution_target_seconds then 'breached'
            else 'pending'
        end as resolution_sla_status,
        elapsed._load_id,
        {{ build_started_at() }} as _refreshed_at
    from elapsed
    left join as_of_elapsed
        on elapsed.ticket_id = as_of_elapsed.ticket_id

)

select * from final
