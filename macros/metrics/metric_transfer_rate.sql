{#- Transfer rate: transferred calls + tickets with a transferred event / handled contacts, in percent.
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_transfer_rate() %}
    {{ return({
        'kpi_id': 'transfer_rate',
        'fact': 'fct_contacts',
        'anchor_date': 'contact_local_date',
        'scopes': {'channel': 'channel', 'topic': 'topic', 'team': 'team_id'},
        'numerator': 'case when is_transferred then 1 else 0 end',
        'denominator': 'case when is_handled then 1 else 0 end',
        'value': '100.0 * numerator / denominator',
    }) }}
{% endmacro %}
