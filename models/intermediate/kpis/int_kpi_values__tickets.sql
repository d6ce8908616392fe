{#- kpi_values rows of the ticket KPIs: one row per kpi, grain, period and
    scope. Incremental by periods (macros/kpi/kpi_incremental_periods.sql):
    an incremental build recomputes the periods the tickets fct_tickets
    refreshed can touch, from the earliest date of those tickets on. -#}
{{ kpi_incremental_by('ticket') }}
{{ kpi_union([
    metric_first_reply_time('calendar'),
    metric_first_reply_time('business'),
    metric_unreplied_tickets(),
    metric_same_day_response_rate(),
    metric_turnaround_time(),
    metric_time_to_first_solution(),
    metric_resolution_time('calendar'),
    metric_resolution_time('business'),
    metric_one_touch_resolution_rate(),
    metric_contacts_per_resolution(),
    metric_reopen_rate(),
    metric_sla_compliance('first_reply'),
    metric_sla_compliance('resolution'),
    metric_aht('tickets'),
]) }}
