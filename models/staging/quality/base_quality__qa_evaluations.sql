{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy="delete+insert",
    unique_key=["evaluation_id"],
    on_schema_change="fail",
) }}
-- depends_on: {{ ref('base_helpdesk__agents') }}
{{ contract_checked_source('quality', 'qa_evaluations') }}
