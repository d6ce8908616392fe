{#- Resolution rate (survey): responses with resolved = true / responses where resolved is not NULL, in percent.
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_resolution_rate() %}
    {{ return({
        'kpi_id': 'resolution_rate',
        'fact': 'fct_survey_responses',
        'filter': 'is_resolved is not null',
        'anchor_date': 'responded_local_date',
        'scopes': {'channel': 'channel', 'team': 'team_id', 'agent': 'agent_id'},
        'numerator': 'case when is_resolved then 1 else 0 end',
        'denominator': '1',
        'value': '100.0 * numerator / denominator',
    }) }}
{% endmacro %}
