{#- kpi_values rows of the cost KPIs (month grain only): one row per kpi, grain, period and scope. -#}
{{ kpi_union([
    metric_cost_per_contact(),
    metric_cost_per_resolution(),
]) }}
