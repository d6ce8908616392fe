{#- kpi_values rows of the customer survey KPIs: one row per kpi, grain, period and scope. -#}
{{ kpi_union([
    metric_csat('rate'),
    metric_csat('average'),
    metric_dsat(),
    metric_nps(),
    metric_ces('average'),
    metric_ces('easy_rate'),
    metric_fcr_rate(),
    metric_resolution_rate(),
]) }}
