{#- Renewal rate (month grain only, overall): subscription terms ending in the month with renewed = true / terms ending in the month with renewed not NULL, in percent; dated by term_end. Overall only (kpi_rollup needs at least one scope: the always-NULL scope `none` yields overall rows only).
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_renewal_rate() %}
    {{ return({
        'kpi_id': 'renewal_rate',
        'fact': 'stg_commerce__subscriptions',
        'filter': 'is_renewed is not null',
        'anchor_date': 'term_end',
        'grains': ['month'],
        'scopes': {},
        'numerator': 'case when is_renewed then 1 else 0 end',
        'denominator': '1',
        'value': '100.0 * numerator / denominator',
    }) }}
{% endmacro %}
