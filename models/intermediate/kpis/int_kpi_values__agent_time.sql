{#- kpi_values rows of the agent-time KPIs: one row per kpi, grain, period
    and scope. Incremental by periods (macros/kpi/kpi_incremental_periods.sql):
    an incremental build recomputes the periods the intervals
    fct_agent_intervals refreshed can touch, and the calls and tickets the
    facts refreshed (contacts per hour and solved per agent-day count
    interactions and resolved tickets). -#}
{{ kpi_incremental_by(['call', 'interval', 'ticket']) }}
{{ kpi_union([
    metric_agent_time_ratio('utilization'),
    metric_agent_time_ratio('occupancy'),
    metric_agent_time_ratio('absenteeism_rate'),
    metric_contacts_per_hour(),
    metric_solved_per_agent_day(),
]) }}
