{#- Agent attrition (month grain only): agents with termination_date in the month / mean headcount (headcount on the first and on the last day of the month, averaged), in percent; scopes overall and team (agents.team_id); over the months of the loaded data. Period-level: one int_agent_months row per agent and month.
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_agent_attrition_rate() %}
    {{ return({
        'kpi_id': 'agent_attrition_rate',
        'fact': 'int_agent_months',
        'anchor_date': 'month_start',
        'grains': ['month'],
        'scopes': {'team': 'team_id'},
        'numerator': 'is_terminated_in_month',
        'denominator': 'headcount_share',
        'value': '100.0 * numerator / denominator',
    }) }}
{% endmacro %}
