{#- kpi_values rows of the call KPIs, and of AHT over calls and ticket
    interactions together: one row per kpi, grain, period and scope. -#}
{{ kpi_union([
    metric_asa(),
    metric_service_level(),
    metric_abandonment_rate(),
    metric_aht('calls'),
    metric_aht('all'),
]) }}
