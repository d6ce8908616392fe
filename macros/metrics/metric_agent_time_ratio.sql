{#- Agent-time ratios over agent_intervals, in percent: 'utilization' = handling / scheduled, 'occupancy' = handling / (handling + available), 'absenteeism_rate' = absent / scheduled.
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_agent_time_ratio(ratio='utilization') %}
    {{ return({
        'kpi_id': ratio,
        'fact': 'fct_agent_intervals',
        'anchor_date': 'interval_local_date',
        'scopes': {'team': 'team_id', 'agent': 'agent_id'},
        'numerator': 'absent_seconds' if ratio == 'absenteeism_rate' else 'handling_seconds',
        'denominator': 'handling_seconds + available_seconds' if ratio == 'occupancy' else 'scheduled_seconds',
        'value': '100.0 * numerator / denominator',
    }) }}
{% endmacro %}
