{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy="delete+insert",
    unique_key=["agent_id", "interval_start"],
    on_schema_change="fail",
) }}
-- depends_on: {{ ref('base_helpdesk__agents') }}
{{ contract_checked_source('workforce', 'agent_intervals') }}
