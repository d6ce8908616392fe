{#- Product adoption: purchases activated within adoption_window_days of purchased_at / purchases whose window has passed by the as-of time, in percent; dated by purchased_at (default schedule). Overall only (kpi_rollup needs at least one scope: the always-NULL scope `none` yields overall rows only).
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_product_adoption_rate() %}
    {{ return({
        'kpi_id': 'product_adoption_rate',
        'fact': 'int_product_purchases',
        'filter': 'is_adoption_window_passed',
        'anchor_date': 'purchased_local_date',
        'scopes': {},
        'numerator': 'case when is_adopted then 1 else 0 end',
        'denominator': '1',
        'value': '100.0 * numerator / denominator',
    }) }}
{% endmacro %}
