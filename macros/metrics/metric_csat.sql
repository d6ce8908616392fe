{#- Customer satisfaction over csat responses. measure 'rate': score >= 4 / responses in percent (csat); 'average': mean score (csat_avg_score).
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_csat(measure='rate') %}
    {{ return({
        'kpi_id': 'csat' if measure == 'rate' else 'csat_avg_score',
        'fact': 'fct_survey_responses',
        'filter': "survey_type = 'csat'",
        'anchor_date': 'responded_local_date',
        'scopes': {'channel': 'channel', 'team': 'team_id', 'agent': 'agent_id'},
        'numerator': 'case when score >= 4 then 1 else 0 end' if measure == 'rate' else 'score',
        'denominator': '1',
        'value': '100.0 * numerator / denominator' if measure == 'rate' else 'numerator / denominator',
    }) }}
{% endmacro %}
