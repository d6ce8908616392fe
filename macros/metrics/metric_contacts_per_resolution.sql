{#- Contacts to resolution: inbound contacts (created and customer_message events plus linked inbound calls) of resolved tickets / resolved tickets.
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_contacts_per_resolution() %}
    {{ return({
        'kpi_id': 'contacts_per_resolution',
        'fact': 'fct_tickets',
        'filter': 'not is_merged and is_resolved',
        'anchor_date': 'resolved_local_date',
        'scopes': {'channel': 'channel', 'team': 'resolved_by_team_id', 'agent': 'resolved_by_agent_id', 'topic': 'topic', 'priority': 'priority'},
        'numerator': 'inbound_message_count + linked_inbound_call_count',
        'denominator': '1',
    }) }}
{% endmacro %}
