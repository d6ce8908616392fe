{#- Quality calibration over non-benchmark scores in calibration sessions with a benchmark. measure 'variance': mean absolute difference from the benchmark in points (qa_calibration_variance); 'within_tolerance': share within calibration_tolerance_points, in percent (calibration_within_tolerance_rate).
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_qa_calibration_variance(measure='variance') %}
    {{ return({
        'kpi_id': 'qa_calibration_variance' if measure == 'variance' else 'calibration_within_tolerance_rate',
        'fact': 'fct_qa_evaluations',
        'filter': 'calibration_difference_points is not null',
        'anchor_date': 'evaluated_local_date',
        'scopes': {'team': 'team_id', 'agent': 'agent_id'},
        'numerator': 'calibration_difference_points' if measure == 'variance' else 'case when calibration_difference_points <= ' ~ var('calibration_tolerance_points') ~ ' then 1 else 0 end',
        'denominator': '1',
        'value': 'numerator / denominator' if measure == 'variance' else '100.0 * numerator / denominator',
    }) }}
{% endmacro %}
