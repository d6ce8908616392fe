{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy="delete+insert",
    unique_key=["subscription_id", "term_start"],
    on_schema_change="fail",
) }}
{{ contract_checked_source('commerce', 'subscriptions') }}
