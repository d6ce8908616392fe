{{ config(materialized="table") }}
{{ contract_checked_source('helpdesk', 'tickets') }}
