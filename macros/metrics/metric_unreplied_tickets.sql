{#- Unreplied tickets: non-merged tickets created in the period with no public agent reply yet (a count).
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_unreplied_tickets() %}
    {{ return({
        'kpi_id': 'unreplied_tickets',
        'fact': 'fct_tickets',
        'filter': 'not is_merged',
        'anchor_date': 'created_local_date',
        'scopes': {'channel': 'channel', 'team': 'first_reply_team_id', 'agent': 'first_reply_agent_id', 'topic': 'topic', 'priority': 'priority'},
        'numerator': 'case when first_reply_at is null then 1 else 0 end',
        'denominator': none,
    }) }}
{% endmacro %}
