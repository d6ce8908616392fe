{#- Service level: inbound calls answered within service_level_threshold_seconds / (inbound offered - short abandons), in percent.
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_service_level() %}
    {{ return({
        'kpi_id': 'service_level',
        'fact': 'fct_calls',
        'filter': 'is_inbound',
        'anchor_date': 'offered_local_date',
        'scopes': {'queue': 'queue', 'team': 'team_id', 'agent': 'agent_id'},
        'numerator': 'case when is_answered and wait_seconds <= ' ~ var('service_level_threshold_seconds') ~ ' then 1 else 0 end',
        'denominator': 'case when is_short_abandon then 0 else 1 end',
        'value': '100.0 * numerator / denominator',
    }) }}
{% endmacro %}
