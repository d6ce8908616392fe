{#- kpi_values rows of the forecast and staffing KPIs: one row per kpi, grain, period and scope. -#}
{{ kpi_union([
    metric_forecast_accuracy('wape'),
    metric_forecast_accuracy('mape'),
    metric_staffing_ratio(),
]) }}
