{#- One row per handled interaction, the unit of AHT and contacts per hour:
    every answered inbound call, and every agent reply or internal note with
    handle_seconds > 0 on a non-merged ticket. -#}

with

calls as (

    select * from {{ ref('fct_calls') }}
    where
        is_inbound
        and is_answered

),

events as (

    select * from {{ ref('fct_ticket_events') }}
    where
        is_handled_interaction
        and not is_merged_ticket

),

final as (

    select
        'call' as interaction_source,
        call_id as interaction_id,
        answered_local_date as interaction_local_date,
        agent_id,
        team_id,
        queue,
        'phone' as channel,
        topic,
        cast(null as {{ dbt.type_string() }}) as priority,
        handle_seconds
    from calls

    union all

    select
        'ticket' as interaction_source,
        event_id as interaction_id,
        event_local_date as interaction_local_date,
        agent_id,
        team_id,
        cast(null as {{ dbt.type_string() }}) as queue,
        channel,
        topic,
        priority,
        handle_seconds
    from events

)

select * from final
