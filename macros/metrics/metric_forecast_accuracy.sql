{#- Forecast accuracy over the 30-minute intervals and channels with a forecast. variant 'wape': 100 - WAPE, numerator sum |actual - forecast|, denominator sum actual (forecast_accuracy); 'mape': mean over intervals with actual > 0 of 100 x |actual - forecast| / actual (forecast_mape).
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_forecast_accuracy(variant='wape') %}
    {%- if variant == 'wape' -%}
    {{ return({
        'kpi_id': 'forecast_accuracy',
        'fact': 'int_forecast_intervals',
        'anchor_date': 'interval_local_date',
        'scopes': {'channel': 'channel'},
        'numerator': 'absolute_error_contacts',
        'denominator': 'actual_contacts',
        'value': '100.0 - 100.0 * numerator / denominator',
    }) }}
    {%- else -%}
    {{ return({
        'kpi_id': 'forecast_mape',
        'fact': 'int_forecast_intervals',
        'filter': 'actual_contacts > 0',
        'anchor_date': 'interval_local_date',
        'scopes': {'channel': 'channel'},
        'numerator': 'absolute_percentage_error_pct',
        'denominator': '1',
    }) }}
    {%- endif -%}
{% endmacro %}
