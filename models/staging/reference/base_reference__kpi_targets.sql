{{ config(materialized="table") }}
{{ contract_checked_source('reference', 'kpi_targets', relation=reference_relation('kpi_targets')) }}
