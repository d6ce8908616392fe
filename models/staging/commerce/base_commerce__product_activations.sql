{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy="delete+insert",
    unique_key=["customer_id", "product", "purchased_at"],
    on_schema_change="fail",
) }}
{{ contract_checked_source('commerce', 'product_activations') }}
