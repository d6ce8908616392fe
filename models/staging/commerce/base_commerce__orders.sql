{{ config(materialized="table") }}
{{ contract_checked_source('commerce', 'orders') }}
