{#- kpi_values rows of the QA KPIs: one row per kpi, grain, period and scope. -#}
{{ kpi_union([
    metric_qa_score(),
    metric_critical_error_rate(),
    metric_qa_calibration_variance('variance'),
    metric_qa_calibration_variance('within_tolerance'),
    metric_training_error_share(),
]) }}
