{#- Cases solved per agent-day: resolved tickets / agent-days with logged-in time.
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_solved_per_agent_day() %}
    {{ return({
        'kpi_id': 'solved_per_agent_day',
        'fact': 'int_agent_productivity',
        'anchor_date': 'activity_local_date',
        'scopes': {'team': 'team_id', 'agent': 'agent_id'},
        'numerator': 'resolved_ticket_count',
        'denominator': 'logged_in_agent_day_count',
    }) }}
{% endmacro %}
