{#- Average handle time per interaction. variant 'calls': (talk + hold + acw) / answered inbound calls (aht_calls); 'tickets': handle_seconds / agent reply or note events with handle_seconds > 0 (aht_tickets); 'all': both sums / both counts (aht).
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_aht(variant='all') %}
    {{ return({
        'kpi_id': 'aht' if variant == 'all' else 'aht_' ~ variant,
        'fact': 'int_interactions',
        'filter': {'calls': "interaction_source = 'call'", 'tickets': "interaction_source = 'ticket'", 'all': 'true'}[variant],
        'anchor_date': 'interaction_local_date',
        'scopes': {
            'calls': {'queue': 'queue', 'team': 'team_id', 'agent': 'agent_id'},
            'tickets': {'channel': 'channel', 'team': 'team_id', 'agent': 'agent_id', 'topic': 'topic', 'priority': 'priority'},
            'all': {'team': 'team_id', 'agent': 'agent_id'},
        }[variant],
        'numerator': 'handle_seconds',
        'denominator': '1',
        'measure': 'handle_seconds',
    }) }}
{% endmacro %}
