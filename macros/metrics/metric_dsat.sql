{#- Customer dissatisfaction: csat responses with score <= 2 / csat responses, in percent.
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_dsat() %}
    {{ return({
        'kpi_id': 'dsat',
        'fact': 'fct_survey_responses',
        'filter': "survey_type = 'csat'",
        'anchor_date': 'responded_local_date',
        'scopes': {'channel': 'channel', 'team': 'team_id', 'agent': 'agent_id'},
        'numerator': 'case when score <= 2 then 1 else 0 end',
        'denominator': '1',
        'value': '100.0 * numerator / denominator',
    }) }}
{% endmacro %}
