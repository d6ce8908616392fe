{#- Employee NPS: (promoters 9-10 minus detractors 0-6) / agent survey responses with an eNPS answer x 100, from -100 to 100; dated by survey_date; scopes overall and team (agent_surveys.team_id).
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_enps() %}
    {{ return({
        'kpi_id': 'enps',
        'fact': 'stg_surveys__agent_surveys',
        'filter': 'enps is not null',
        'anchor_date': 'survey_date',
        'scopes': {'team': 'team_id'},
        'numerator': 'case when enps >= 9 then 1 when enps <= 6 then -1 else 0 end',
        'denominator': '1',
        'value': '100.0 * numerator / denominator',
    }) }}
{% endmacro %}
