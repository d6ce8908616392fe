{#- One row per handled interaction, the unit of AHT and contacts per hour:
    every answered inbound call, and every agent reply or internal note with
    handle_seconds > 0 on a non-merged ticket.

    Incremental (replace_refreshed_keys, with the key sets of
    macros/incremental/refreshed_interactions_key_sets.sql): an incremental
    build replaces the interactions of the calls and tickets the facts
    rewrote. -#}
{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy="replace_refreshed_keys",
    refreshed_keys={
        "key_sets": "refreshed_interactions_key_sets",
        "in": refreshed_keys_inputs(["fct_calls", "fct_ticket_events"]),
    },
    on_schema_change="fail",
) }}

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

interactions as (

    select
        'call' as interaction_source,
        call_id as interaction_id,
        cast(null as {{ dbt.type_string() }}) as ticket_id,
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
        ticket_id,
        event_local_date as interaction_local_date,
        agent_id,
        team_id,
        cast(null as {{ dbt.type_string() }}) as queue,
        channel,
        topic,
        priority,
        handle_seconds
    from events

),

final as (

    select
        *,
        {{ build_started_at() }} as _refreshed_at
    from interactions
    {{ refreshed_keys_filter() }}

)

select * from final
