{#- Errors attributable to training: (QA evaluations with error_category training + DSAT responses with root_cause training) / (QA evaluations with any error_category + DSAT responses with any root_cause), in percent.
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_training_error_share() %}
    {{ return({
        'kpi_id': 'training_error_share',
        'fact': 'int_error_attributions',
        'anchor_date': 'attributed_local_date',
        'scopes': {'team': 'team_id', 'agent': 'agent_id'},
        'numerator': "case when error_cause = 'training' then 1 else 0 end",
        'denominator': '1',
        'value': '100.0 * numerator / denominator',
    }) }}
{% endmacro %}
