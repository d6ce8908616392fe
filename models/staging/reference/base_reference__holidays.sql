{{ config(materialized="table") }}
{{ contract_checked_source('reference', 'holidays', relation=reference_relation('holidays')) }}
