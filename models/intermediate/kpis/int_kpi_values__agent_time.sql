{#- kpi_values rows of the agent-time KPIs: one row per kpi, grain, period and scope. -#}
{{ kpi_union([
    metric_agent_time_ratio('utilization'),
    metric_agent_time_ratio('occupancy'),
    metric_agent_time_ratio('absenteeism_rate'),
    metric_contacts_per_hour(),
    metric_solved_per_agent_day(),
]) }}
