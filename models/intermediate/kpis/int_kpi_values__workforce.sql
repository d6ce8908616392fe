{#- kpi_values rows of the workforce KPIs: one row per kpi, grain, period and scope. -#}
{{ kpi_union([
    metric_agent_satisfaction(),
    metric_enps(),
    metric_agent_attrition_rate(),
]) }}
