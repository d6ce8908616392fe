{#- kpi_values rows of the self-service KPIs: one row per kpi, grain, period
    and scope. Incremental by periods (macros/kpi/kpi_incremental_periods.sql):
    an incremental build recomputes the periods the views
    int_article_views__deflection refreshed can touch, and the tickets
    fct_tickets refreshed (the self-service ratio's ticket units). -#}
{{ kpi_incremental_by(['article_view', 'ticket']) }}
{{ kpi_union([
    metric_self_service_ratio(),
    metric_deflection_rate(),
    metric_article_read_time(),
]) }}
