{#- Same-day response: tickets whose first public reply came within 24 h of created_at / non-merged tickets created, in percent.
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_same_day_response_rate() %}
    {{ return({
        'kpi_id': 'same_day_response_rate',
        'fact': 'fct_tickets',
        'filter': 'not is_merged',
        'anchor_date': 'created_local_date',
        'scopes': {'channel': 'channel', 'team': 'first_reply_team_id', 'agent': 'first_reply_agent_id', 'topic': 'topic', 'priority': 'priority'},
        'numerator': 'case when first_reply_seconds_calendar <= 86400 then 1 else 0 end',
        'denominator': '1',
        'value': '100.0 * numerator / denominator',
    }) }}
{% endmacro %}
