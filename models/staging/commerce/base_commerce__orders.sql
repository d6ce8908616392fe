{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy="delete+insert",
    unique_key=["order_id"],
    on_schema_change="fail",
) }}
{{ contract_checked_source('commerce', 'orders') }}
