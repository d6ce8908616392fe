{#- Abandonment rate: abandoned inbound calls / inbound offered calls, both without short abandons, in percent.
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_abandonment_rate() %}
    {{ return({
        'kpi_id': 'abandonment_rate',
        'fact': 'fct_calls',
        'filter': 'is_inbound',
        'anchor_date': 'offered_local_date',
        'scopes': {'queue': 'queue', 'team': 'team_id', 'agent': 'agent_id'},
        'numerator': 'case when is_abandoned and not is_short_abandon then 1 else 0 end',
        'denominator': 'case when is_short_abandon then 0 else 1 end',
        'value': '100.0 * numerator / denominator',
    }) }}
{% endmacro %}
