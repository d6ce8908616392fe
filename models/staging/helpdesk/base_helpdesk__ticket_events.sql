{{ config(materialized="table") }}
-- depends_on: {{ ref('base_helpdesk__tickets') }}
-- depends_on: {{ ref('base_helpdesk__agents') }}
{{ contract_checked_source('helpdesk', 'ticket_events') }}
