{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy="delete+insert",
    unique_key=["interval_start", "channel", "created_at"],
    on_schema_change="fail",
) }}
{{ contract_checked_source('workforce', 'forecasts') }}
