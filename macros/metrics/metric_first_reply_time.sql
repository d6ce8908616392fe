{#- Time to first response: seconds from created_at to the first public agent reply, over replied non-merged tickets; clock 'calendar' (first_reply_time) or 'business' (first_reply_time_business); dated by created_at.
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_first_reply_time(clock='calendar') %}
    {{ return({
        'kpi_id': 'first_reply_time' if clock == 'calendar' else 'first_reply_time_business',
        'fact': 'fct_tickets',
        'filter': 'not is_merged',
        'anchor_date': 'created_local_date',
        'scopes': {'channel': 'channel', 'team': 'first_reply_team_id', 'agent': 'first_reply_agent_id', 'topic': 'topic', 'priority': 'priority'},
        'numerator': 'first_reply_seconds_' ~ clock,
        'denominator': 'case when first_reply_seconds_' ~ clock ~ ' is not null then 1 else 0 end',
        'measure': 'first_reply_seconds_' ~ clock,
    }) }}
{% endmacro %}
