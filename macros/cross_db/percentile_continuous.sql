{#- Continuous percentile (linear interpolation) of an expression, as an
    aggregate. -#}
{% macro percentile_continuous(expression, fraction) %}
    {{ return(adapter.dispatch('percentile_continuous', 'switchboard')(expression, fraction)) }}
{% endmacro %}

{% macro default__percentile_continuous(expression, fraction) %}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{% endmacro %}

{% macro duckdb__percentile_continuous(expression, fraction) %}
    quantile_cont({{ expression }}, {{ fraction }})
{% endmacro %}

{% macro spark__percentile_continuous(expression, fraction) %}
    percentile({{ expression }}, {{ fraction }})
{% endmacro %}
