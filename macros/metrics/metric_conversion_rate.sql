{#- Conversion: contacts on topic sales with an attributed order / contacts on topic sales, in percent.
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_conversion_rate() %}
    {{ return({
        'kpi_id': 'conversion_rate',
        'fact': 'fct_contacts',
        'filter': "topic = 'sales'",
        'anchor_date': 'contact_local_date',
        'scopes': {'channel': 'channel', 'topic': 'topic', 'team': 'team_id'},
        'numerator': 'case when has_attributed_order then 1 else 0 end',
        'denominator': '1',
        'value': '100.0 * numerator / denominator',
    }) }}
{% endmacro %}
