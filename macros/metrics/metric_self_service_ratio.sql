{#- Self-service ratio: article views / non-merged tickets created (views per ticket), both dated in the default schedule (viewed_at / created_at); scopes overall and topic (the article's topic; the ticket's topic).
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_self_service_ratio() %}
    {{ return({
        'kpi_id': 'self_service_ratio',
        'fact': 'int_self_service_units',
        'anchor_date': 'self_service_local_date',
        'scopes': {'topic': 'topic'},
        'numerator': 'article_view_count',
        'denominator': 'ticket_count',
    }) }}
{% endmacro %}
