{#- First-time resolution (operational): resolved tickets with exactly one public agent reply and no reopen / resolved tickets, in percent.
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_one_touch_resolution_rate() %}
    {{ return({
        'kpi_id': 'one_touch_resolution_rate',
        'fact': 'fct_tickets',
        'filter': 'not is_merged and is_resolved',
        'anchor_date': 'resolved_local_date',
        'scopes': {'channel': 'channel', 'team': 'resolved_by_team_id', 'agent': 'resolved_by_agent_id', 'topic': 'topic', 'priority': 'priority'},
        'numerator': 'case when public_reply_count = 1 and not is_reopened then 1 else 0 end',
        'denominator': '1',
        'value': '100.0 * numerator / denominator',
    }) }}
{% endmacro %}
