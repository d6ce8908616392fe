{#- One row per ticket with an SLA policy: the policy's targets and whether
    first reply and resolution met them (docs/kpi_decisions.md, "SLA").
    Status is met, breached, or pending (not replied/resolved and the deadline
    has not passed by the as-of time). -#}

with

tickets as (

    select * from {{ ref('stg_helpdesk__tickets') }}

),

durations as (

    select * from {{ ref('int_tickets__durations') }}

),

policies as (

    select * from {{ ref('stg_reference__sla_policies') }}

),

matched as (

    select
        tickets.ticket_id,
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
        case
            when matched.is_business_hours then durations.seconds_to_as_of_business
            else durations.seconds_to_as_of_calendar
        end as as_of_elapsed_seconds
    from matched
    inner join durations
        on matched.ticket_id = durations.ticket_id
    where matched.policy_channel is not null

),

final as (

    select
        ticket_id,
        policy_channel,
        is_business_hours,
        first_reply_target_seconds,
        resolution_target_seconds,
        first_reply_elapsed_seconds,
        resolution_elapsed_seconds,
        case
            when first_reply_elapsed_seconds is not null
                then case when first_reply_elapsed_seconds <= first_reply_target_seconds then 'met' else 'breached' end
            when as_of_elapsed_seconds > first_reply_target_seconds then 'breached'
            else 'pending'
        end as first_reply_sla_status,
        case
            when resolution_elapsed_seconds is not null
                then case when resolution_elapsed_seconds <= resolution_target_seconds then 'met' else 'breached' end
            when as_of_elapsed_seconds > resolution_target_seconds then 'breached'
            else 'pending'
        end as resolution_sla_status
    from elapsed

)

select * from final
