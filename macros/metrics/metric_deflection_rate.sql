{#- Self-service resolution (deflection): views by an identified customer with no non-merged ticket created and no inbound call offered by that customer in (viewed_at, viewed_at + deflection_window_hours] / views by identified customers, in percent; dated by viewed_at (default schedule); scopes overall and topic (the article's topic).
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_deflection_rate() %}
    {{ return({
        'kpi_id': 'deflection_rate',
        'fact': 'int_article_views__deflection',
        'filter': 'is_identified',
        'anchor_date': 'viewed_local_date',
        'scopes': {'topic': 'topic'},
        'numerator': 'case when is_deflected then 1 else 0 end',
        'denominator': '1',
        'value': '100.0 * numerator / denominator',
    }) }}
{% endmacro %}
