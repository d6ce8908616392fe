{#- Net promoter score: (promoters 9-10 minus detractors 0-6) / nps responses x 100, from -100 to 100.
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_nps() %}
    {{ return({
        'kpi_id': 'nps',
        'fact': 'fct_survey_responses',
        'filter': "survey_type = 'nps'",
        'anchor_date': 'responded_local_date',
        'scopes': {'channel': 'channel', 'team': 'team_id', 'agent': 'agent_id'},
        'numerator': 'case when score >= 9 then 1 when score <= 6 then -1 else 0 end',
        'denominator': '1',
        'value': '100.0 * numerator / denominator',
    }) }}
{% endmacro %}
