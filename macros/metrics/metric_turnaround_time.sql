{#- Turnaround time: for each assignment or transfer to an agent, seconds to the assignee next public reply (before the next assignment); mean over assignments that got one; dated by the assignment.
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_turnaround_time() %}
    {{ return({
        'kpi_id': 'turnaround_time',
        'fact': 'int_ticket_assignments',
        'filter': 'turnaround_seconds is not null',
        'anchor_date': 'assigned_local_date',
        'scopes': {'channel': 'channel', 'team': 'team_id', 'agent': 'agent_id', 'topic': 'topic', 'priority': 'priority'},
        'numerator': 'turnaround_seconds',
        'denominator': '1',
        'measure': 'turnaround_seconds',
    }) }}
{% endmacro %}
