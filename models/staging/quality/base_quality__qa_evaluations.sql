{{ config(materialized="table") }}
-- depends_on: {{ ref('base_helpdesk__agents') }}
{{ contract_checked_source('quality', 'qa_evaluations') }}
