{#- Time to first solution: seconds from created_at to the first entry into solved; dated by that first solve.
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_time_to_first_solution() %}
    {{ return({
        'kpi_id': 'time_to_first_solution',
        'fact': 'fct_tickets',
        'filter': 'not is_merged and first_solution_seconds_calendar is not null',
        'anchor_date': 'first_solved_local_date',
        'scopes': {'channel': 'channel', 'team': 'first_solve_team_id', 'agent': 'first_solve_agent_id', 'topic': 'topic', 'priority': 'priority'},
        'numerator': 'first_solution_seconds_calendar',
        'denominator': '1',
        'measure': 'first_solution_seconds_calendar',
    }) }}
{% endmacro %}
