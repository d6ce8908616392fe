{#- kpi_values rows of the customer survey KPIs: one row per kpi, grain,
    period and scope. Incremental by periods
    (macros/kpi/kpi_incremental_periods.sql): an incremental build recomputes
    the periods the responses fct_survey_responses refreshed can touch. -#}
{{ kpi_incremental_by('survey') }}
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
