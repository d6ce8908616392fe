{#- Role scorecards (docs/spec/kpis.md, "Role scorecards"): which KPIs each
    role sees, and the pivot of their value / target / status out of
    marts.kpi_values. Scorecards never recompute a KPI. -#}

{#- The KPIs of a role's wide scorecard: a list of {kpi_id, column}, where
    column names the value column (with its unit); the target column is
    <column>_target and the status column <kpi_id>_status. -#}
{% macro scorecard_kpis(role) %}
    {%- set agent_kpis = [
        {'kpi_id': 'contacts_per_hour', 'column': 'contacts_per_hour'},
        {'kpi_id': 'solved_per_agent_day', 'column': 'solved_per_agent_day'},
        {'kpi_id': 'qa_score', 'column': 'qa_score_pct'},
        {'kpi_id': 'csat', 'column': 'csat_pct'},
        {'kpi_id': 'aht', 'column': 'aht_seconds'},
    ] -%}
    {%- set roles = {
        'agent': agent_kpis,
        'team_lead': agent_kpis + [
            {'kpi_id': 'turnaround_time', 'column': 'turnaround_seconds'},
            {'kpi_id': 'resolution_time', 'column': 'resolution_seconds'},
            {'kpi_id': 'sla_first_reply_compliance', 'column': 'sla_first_reply_compliance_pct'},
            {'kpi_id': 'sla_resolution_compliance', 'column': 'sla_resolution_compliance_pct'},
        ],
        'qa_specialist': [
            {'kpi_id': 'qa_calibration_variance', 'column': 'qa_calibration_variance_points'},
            {'kpi_id': 'agent_quality_rate', 'column': 'agent_quality_rate_pct'},
        ],
        'trainer': [
            {'kpi_id': 'training_error_share', 'column': 'training_error_share_pct'},
            {'kpi_id': 'critical_error_rate', 'column': 'critical_error_rate_pct'},
        ],
    } -%}
    {{ return(roles[role]) }}
{% endmacro %}


{#- One row per combination of key_columns found in `relation` (a CTE or
    relation with the kpi_values columns kpi_id, value, target, status and
    the key columns) for the given KPIs, with each KPI's value, target and
    status side by side (NULL where the KPI has no row for that key). -#}
{% macro kpi_scorecard_pivot(relation, kpis, key_columns) %}
    select
        {%- for key_column in key_columns %}
        {{ key_column }},
        {%- endfor %}
        {%- for kpi in kpis %}
        max(case when kpi_id = '{{ kpi.kpi_id }}' then value end) as {{ kpi.column }},
        max(case when kpi_id = '{{ kpi.kpi_id }}' then target end) as {{ kpi.column }}_target,
        max(case when kpi_id = '{{ kpi.kpi_id }}' then status end) as {{ kpi.kpi_id }}_status{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    where kpi_id in ({%- for kpi in kpis %}'{{ kpi.kpi_id }}'{{ ', ' if not loop.last }}{%- endfor %})
    group by {{ key_columns | join(', ') }}
{% endmacro %}


{#- The pivoted KPI columns of kpi_scorecard_pivot, qualified by `relation`,
    for a final select list (no trailing comma). -#}
{% macro kpi_scorecard_columns(relation, kpis) %}
    {%- for kpi in kpis %}
        {{ relation }}.{{ kpi.column }},
        {{ relation }}.{{ kpi.column }}_target,
        {{ relation }}.{{ kpi.kpi_id }}_status{{ ',' if not loop.last }}
    {%- endfor %}
{% endmacro %}
