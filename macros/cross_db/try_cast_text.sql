{#- Casts text to a type, NULL when the text does not parse. -#}
{% macro try_cast_text(expression, data_type) %}
    {{ return(adapter.dispatch('try_cast_text', 'switchboard')(expression, data_type)) }}
{% endmacro %}

{% macro default__try_cast_text(expression, data_type) %}
    {{ dbt.safe_cast(expression, data_type) }}
{% endmacro %}
