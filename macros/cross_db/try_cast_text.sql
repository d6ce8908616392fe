{#- Casts text to a type; NULL when the text does not parse (the contract then
    records an "unparseable" quarantine reason). dbt.safe_cast is a plain cast
    on some adapters, so each engine states its own. -#}
{% macro try_cast_text(expression, data_type) %}
    {{ return(adapter.dispatch('try_cast_text', 'switchboard')(expression, data_type)) }}
{% endmacro %}

{% macro default__try_cast_text(expression, data_type) %}
    try_cast({{ expression }} as {{ data_type }})
{% endmacro %}
