{#- Customer effort score over ces responses (1-7, 7 = very easy). measure 'average': mean score (ces); 'easy_rate': score >= 5 in percent (ces_easy_rate).
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_ces(measure='average') %}
    {{ return({
        'kpi_id': 'ces' if measure == 'average' else 'ces_easy_rate',
        'fact': 'fct_survey_responses',
        'filter': "survey_type = 'ces'",
        'anchor_date': 'responded_local_date',
        'scopes': {'channel': 'channel', 'team': 'team_id', 'agent': 'agent_id'},
        'numerator': 'score' if measure == 'average' else 'case when score >= 5 then 1 else 0 end',
        'denominator': '1',
        'value': 'numerator / denominator' if measure == 'average' else '100.0 * numerator / denominator',
    }) }}
{% endmacro %}
