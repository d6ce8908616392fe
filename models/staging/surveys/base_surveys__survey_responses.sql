{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy="delete+insert",
    unique_key=["response_id"],
    on_schema_change="fail",
) }}
-- depends_on: {{ ref('base_helpdesk__agents') }}
-- depends_on: {{ ref('base_helpdesk__tickets') }}
-- depends_on: {{ ref('base_telephony__calls') }}
{{ contract_checked_source('surveys', 'survey_responses') }}
