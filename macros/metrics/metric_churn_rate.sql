{#- Churn rate (month grain only, overall): distinct customers with a term ending in the month with renewed = false and no other term active on the day after that term_end / distinct customers with a term active at month start (term_start <= month start <= term_end), in percent; over the months of the loaded data. Period-level: one int_subscription_months row per customer and month, so the month sums are distinct counts. Overall only (kpi_rollup needs at least one scope: the always-NULL scope `none` yields overall rows only).
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_churn_rate() %}
    {{ return({
        'kpi_id': 'churn_rate',
        'fact': 'int_subscription_months',
        'anchor_date': 'month_start',
        'grains': ['month'],
        'scopes': {},
        'numerator': 'is_churned_in_month',
        'denominator': 'is_active_at_month_start',
        'value': '100.0 * numerator / denominator',
    }) }}
{% endmacro %}
