{#- kpi_values rows of the contact KPIs: one row per kpi, grain, period and scope. -#}
{{ kpi_union([
    metric_contact_volume(),
    metric_repeat_contact_rate(),
    metric_transfer_rate(),
    metric_conversion_rate(),
]) }}
