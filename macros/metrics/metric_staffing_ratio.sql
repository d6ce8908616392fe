{#- Staffing vs requirement: staffed agents (all agents' logged_in_seconds / 1800, counted once per interval) / required agents summed over channels (forecast required_agents, else Erlang C) x 100, over the 30-minute intervals with a forecast. Overall only (kpi_rollup needs at least one scope: the always-NULL scope `none` yields overall rows only).
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_staffing_ratio() %}
    {{ return({
        'kpi_id': 'staffing_ratio',
        'fact': 'int_forecast_intervals',
        'anchor_date': 'interval_local_date',
        'scopes': {},
        'numerator': 'staffed_agents_counted',
        'denominator': 'coalesce(required_agents, 0)',
        'value': '100.0 * numerator / denominator',
    }) }}
{% endmacro %}
