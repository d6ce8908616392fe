{#- Average speed of answer: mean seconds from offered to answered, over answered inbound calls; dated by offered_at.
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_asa() %}
    {{ return({
        'kpi_id': 'asa',
        'fact': 'fct_calls',
        'filter': 'is_inbound and is_answered',
        'anchor_date': 'offered_local_date',
        'scopes': {'queue': 'queue', 'team': 'team_id', 'agent': 'agent_id'},
        'numerator': 'wait_seconds',
        'denominator': '1',
        'measure': 'wait_seconds',
    }) }}
{% endmacro %}
