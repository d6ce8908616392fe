{#- kpi_values rows of the self-service KPIs: one row per kpi, grain, period and scope. -#}
{{ kpi_union([
    metric_self_service_ratio(),
    metric_deflection_rate(),
    metric_article_read_time(),
]) }}
