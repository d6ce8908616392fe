{{ config(materialized="table") }}
{{ contract_checked_source('workforce', 'forecasts') }}
