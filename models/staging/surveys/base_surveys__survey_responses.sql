{{ config(materialized="table") }}
-- depends_on: {{ ref('base_helpdesk__agents') }}
{{ contract_checked_source('surveys', 'survey_responses') }}
