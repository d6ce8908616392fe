{#- Agents at quality standard: agents (of non-calibration evaluations in the
    period and scope) whose mean score_pct >= var('qa_pass_mark_pct') / those
    agents, in percent; dated by evaluated_at. A period-level KPI: each agent's
    mean is taken over the whole output period and scope (not re-aggregated
    from day rows); int_kpi_values__agent_quality builds the rows from this
    dict: first `subject_value` per subject (agent) within each period and
    scope, then the sums of `numerator` / `denominator` over the subjects.
    The only definition of this KPI: kpi_values and the scorecards read it. -#}
{% macro metric_agent_quality_rate() %}
    {{ return({
        'kpi_id': 'agent_quality_rate',
        'fact': 'fct_qa_evaluations',
        'filter': 'not is_calibration and agent_id is not null and score_pct is not null',
        'anchor_date': 'evaluated_local_date',
        'scopes': {'team': 'team_id', 'agent': 'agent_id'},
        'subject': 'agent_id',
        'subject_value': 'avg(score_pct)',
        'numerator': 'case when subject_value >= ' ~ var('qa_pass_mark_pct') ~ ' then 1 else 0 end',
        'denominator': '1',
        'value': '100.0 * numerator / denominator',
    }) }}
{% endmacro %}
