{#- Repeat contact rate: contacts followed by another contact from the same customer on the same topic within repeat_contact_window_days / contacts, in percent.
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_repeat_contact_rate() %}
    {{ return({
        'kpi_id': 'repeat_contact_rate',
        'fact': 'fct_contacts',
        'anchor_date': 'contact_local_date',
        'scopes': {'channel': 'channel', 'topic': 'topic', 'team': 'team_id'},
        'numerator': 'case when is_repeated then 1 else 0 end',
        'denominator': '1',
        'value': '100.0 * numerator / denominator',
    }) }}
{% endmacro %}
