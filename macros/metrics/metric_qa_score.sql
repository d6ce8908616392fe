{#- Quality score: mean score_pct of non-calibration evaluations.
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_qa_score() %}
    {{ return({
        'kpi_id': 'qa_score',
        'fact': 'fct_qa_evaluations',
        'filter': 'not is_calibration',
        'anchor_date': 'evaluated_local_date',
        'scopes': {'team': 'team_id', 'agent': 'agent_id'},
        'numerator': 'score_pct',
        'denominator': '1',
    }) }}
{% endmacro %}
