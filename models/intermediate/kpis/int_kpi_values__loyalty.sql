{#- kpi_values rows of the loyalty KPIs: one row per kpi, grain, period and scope. -#}
{{ kpi_union([
    metric_churn_rate(),
    metric_renewal_rate(),
    metric_product_adoption_rate(),
]) }}
