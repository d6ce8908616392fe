{#- SLA compliance for target 'first_reply' (sla_first_reply_compliance) or 'resolution' (sla_resolution_compliance): tickets that met the policy target / tickets with a policy that were replied (resolved) or whose deadline passed by the as-of time, in percent; dated by created_at.
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_sla_compliance(target='first_reply') %}
    {{ return({
        'kpi_id': 'sla_' ~ target ~ '_compliance',
        'fact': 'fct_tickets',
        'filter': 'not is_merged and ' ~ target ~ "_sla_status in ('met', 'breached')",
        'anchor_date': 'created_local_date',
        'scopes': {'first_reply': {'channel': 'channel', 'team': 'first_reply_team_id', 'agent': 'first_reply_agent_id', 'topic': 'topic', 'priority': 'priority'}, 'resolution': {'channel': 'channel', 'team': 'resolved_by_team_id', 'agent': 'resolved_by_agent_id', 'topic': 'topic', 'priority': 'priority'}}[target],
        'numerator': 'case when ' ~ target ~ "_sla_status = 'met' then 1 else 0 end",
        'denominator': '1',
        'value': '100.0 * numerator / denominator',
    }) }}
{% endmacro %}
