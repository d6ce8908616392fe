{#- One row per non-merged ticket with an SLA policy (docs/kpi_decisions.md,
    "SLA"): the matched policy, its first-reply and resolution targets, the
    elapsed seconds on the policy's clock (business or calendar) and the
    met / breached / pending status of each target. Read from fct_tickets and
    int_tickets__sla; nothing is recomputed here. -#}

{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy="replace_refreshed_keys",
    refreshed_keys={"column": "ticket_id", "in": ["fct_tickets"]},
    on_schema_change="fail",
    contract={"enforced": true},
) }}
{#- Incremental by ticket (replace_refreshed_keys): an incremental build
    re-reads the tickets fct_tickets rewrote since this model's newest
    `_refreshed_at`. fct_tickets re-reads every ticket int_tickets__sla
    does (the same touched tickets and pending statuses, or more), so those
    are the tickets whose row can change, appear or vanish (merged later). -#}

with

tickets as (

    select * from {{ ref('fct_tickets') }}
    where
        not is_merged
        and sla_policy_channel is not null
    {{ refreshed_keys_filter('and') }}

),

sla as (

    select * from {{ ref('int_tickets__sla') }}

),

final as (

    select
        cast(tickets.ticket_id as {{ dbt.type_string() }}) as ticket_id,
        cast(tickets.channel as {{ dbt.type_string() }}) as channel,
        cast(tickets.priority as {{ dbt.type_string() }}) as priority,
        cast(tickets.team_id as {{ dbt.type_string() }}) as team_id,
        cast(tickets.created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(tickets.created_local_date as date) as created_local_date,
        cast(tickets.sla_policy_channel as {{ dbt.type_string() }}) as policy_channel,
        cast(tickets.is_sla_business_hours as boolean) as is_business_hours,
        cast(tickets.sla_first_reply_target_seconds as {{ dbt.type_bigint() }}) as first_reply_target_seconds,
        cast(sla.first_reply_elapsed_seconds as {{ dbt.type_bigint() }}) as first_reply_elapsed_seconds,
        cast(tickets.first_reply_sla_status as {{ dbt.type_string() }}) as first_reply_sla_status,
        cast(tickets.sla_resolution_target_seconds as {{ dbt.type_bigint() }}) as resolution_target_seconds,
        cast(sla.resolution_elapsed_seconds as {{ dbt.type_bigint() }}) as resolution_elapsed_seconds,
        cast(tickets.resolution_sla_status as {{ dbt.type_string() }}) as resolution_sla_status,
        {{ build_started_at() }} as _refreshed_at
    from tickets
    inner join sla
        on tickets.ticket_id = sla.ticket_id

)

select * from final
