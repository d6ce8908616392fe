{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy="delete+insert",
    unique_key=["agent_id", "valid_from"],
    on_schema_change="fail",
) }}
-- depends_on: {{ ref('base_helpdesk__agents') }}
{{ contract_checked_source('helpdesk', 'agent_team_history') }}
