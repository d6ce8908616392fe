{{ config(materialized="table") }}
{{ contract_checked_source('reference', 'sla_policies', relation=reference_relation('sla_policies')) }}
