{#- kpi_values rows of the call KPIs, and of AHT over calls and ticket
    interactions together: one row per kpi, grain, period and scope.
    Incremental by periods (macros/kpi/kpi_incremental_periods.sql): an
    incremental build recomputes the periods the calls fct_calls and the
    tickets fct_tickets refreshed can touch. -#}
{{ kpi_incremental_by(['call', 'ticket']) }}
{{ kpi_union([
    metric_asa(),
    metric_service_level(),
    metric_abandonment_rate(),
    metric_aht('calls'),
    metric_aht('all'),
]) }}
