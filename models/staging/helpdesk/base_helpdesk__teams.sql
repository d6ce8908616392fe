{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy="delete+insert",
    unique_key=["team_id"],
    on_schema_change="fail",
) }}
{{ contract_checked_source('helpdesk', 'teams') }}
