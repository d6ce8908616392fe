{#- Critical error rate: non-calibration evaluations with a critical error / non-calibration evaluations, in percent.
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_critical_error_rate() %}
    {{ return({
        'kpi_id': 'critical_error_rate',
        'fact': 'fct_qa_evaluations',
        'filter': 'not is_calibration',
        'anchor_date': 'evaluated_local_date',
        'scopes': {'team': 'team_id', 'agent': 'agent_id'},
        'numerator': 'case when has_critical_error then 1 else 0 end',
        'denominator': '1',
        'value': '100.0 * numerator / denominator',
    }) }}
{% endmacro %}
