{{ config(materialized="table") }}
{{ contract_checked_source('reference', 'schedules', relation=reference_relation('schedules')) }}
