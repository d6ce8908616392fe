{{ config(materialized="table") }}
{{ contract_checked_source('finance', 'costs') }}
