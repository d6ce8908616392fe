{#- Interactions handled per productive hour: interactions as counted by aht / (handling + available seconds of agent_intervals) x 3600.
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_contacts_per_hour() %}
    {{ return({
        'kpi_id': 'contacts_per_hour',
        'fact': 'int_agent_productivity',
        'anchor_date': 'activity_local_date',
        'scopes': {'team': 'team_id', 'agent': 'agent_id'},
        'numerator': 'interaction_count',
        'denominator': 'cast(productive_seconds as ' ~ type_double() ~ ') / 3600',
    }) }}
{% endmacro %}
