{#- Agent satisfaction: mean satisfaction score (1-5) of agent pulse surveys with a satisfaction answer; dated by survey_date; scopes overall and team (agent_surveys.team_id).
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_agent_satisfaction() %}
    {{ return({
        'kpi_id': 'agent_satisfaction',
        'fact': 'stg_surveys__agent_surveys',
        'filter': 'satisfaction is not null',
        'anchor_date': 'survey_date',
        'scopes': {'team': 'team_id'},
        'numerator': 'satisfaction',
        'denominator': '1',
    }) }}
{% endmacro %}
