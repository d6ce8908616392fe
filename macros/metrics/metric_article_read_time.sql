{#- Article read time: mean, p50 and p90 of read_seconds over article views with read seconds; dated by viewed_at (default schedule); scopes overall and topic (the article's topic).
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_article_read_time() %}
    {{ return({
        'kpi_id': 'article_read_time',
        'fact': 'int_article_views__deflection',
        'filter': 'read_seconds is not null',
        'anchor_date': 'viewed_local_date',
        'scopes': {'topic': 'topic'},
        'numerator': 'read_seconds',
        'denominator': '1',
        'measure': 'read_seconds',
    }) }}
{% endmacro %}
