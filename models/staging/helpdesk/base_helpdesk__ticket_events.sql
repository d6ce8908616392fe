{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy="delete+insert",
    unique_key=["event_id"],
    on_schema_change="fail",
) }}
-- depends_on: {{ ref('base_helpdesk__tickets') }}
-- depends_on: {{ ref('base_helpdesk__agents') }}
{{ contract_checked_source('helpdesk', 'ticket_events') }}
