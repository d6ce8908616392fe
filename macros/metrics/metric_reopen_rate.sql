{#- Reopen rate: tickets ever solved and reopened at least once / tickets ever solved, in percent; dated by the first solve.
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_reopen_rate() %}
    {{ return({
        'kpi_id': 'reopen_rate',
        'fact': 'fct_tickets',
        'filter': 'not is_merged and is_ever_solved',
        'anchor_date': 'first_solved_local_date',
        'scopes': {'channel': 'channel', 'team': 'first_solve_team_id', 'agent': 'first_solve_agent_id', 'topic': 'topic', 'priority': 'priority'},
        'numerator': 'case when is_reopened then 1 else 0 end',
        'denominator': '1',
        'value': '100.0 * numerator / denominator',
    }) }}
{% endmacro %}
