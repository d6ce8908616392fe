{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy="delete+insert",
    unique_key=["customer_id"],
    on_schema_change="fail",
) }}
{{ contract_checked_source('helpdesk', 'customers') }}
