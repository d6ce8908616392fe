{{ config(materialized="table") }}
{{ contract_checked_source('surveys', 'agent_surveys') }}
