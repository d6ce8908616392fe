{#- Volume: contacts (inbound calls, non-phone tickets, phone tickets without a linked call), a count.
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_contact_volume() %}
    {{ return({
        'kpi_id': 'contact_volume',
        'fact': 'fct_contacts',
        'anchor_date': 'contact_local_date',
        'scopes': {'channel': 'channel', 'topic': 'topic', 'team': 'team_id'},
        'numerator': '1',
        'denominator': none,
    }) }}
{% endmacro %}
