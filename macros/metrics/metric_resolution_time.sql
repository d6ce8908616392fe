{#- Total resolution time: seconds from created_at to the final resolution; clock 'calendar' (resolution_time) or 'business' (resolution_time_business); dated by the final resolution.
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_resolution_time(clock='calendar') %}
    {{ return({
        'kpi_id': 'resolution_time' if clock == 'calendar' else 'resolution_time_business',
        'fact': 'fct_tickets',
        'filter': 'not is_merged and is_resolved',
        'anchor_date': 'resolved_local_date',
        'scopes': {'channel': 'channel', 'team': 'resolved_by_team_id', 'agent': 'resolved_by_agent_id', 'topic': 'topic', 'priority': 'priority'},
        'numerator': 'resolution_seconds_' ~ clock,
        'denominator': 'case when resolution_seconds_' ~ clock ~ ' is not null then 1 else 0 end',
        'measure': 'resolution_seconds_' ~ clock,
    }) }}
{% endmacro %}
