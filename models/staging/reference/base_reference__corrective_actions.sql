{{ config(materialized="table") }}
{{ contract_checked_source('reference', 'corrective_actions', relation=reference_relation('corrective_actions')) }}
