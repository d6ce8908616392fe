{#- A double-precision floating type on every engine (type_double() is
    single precision on some adapters). -#}
{% macro type_double() %}
    {{ return(adapter.dispatch('type_double', 'switchboard')()) }}
{% endmacro %}

{% macro default__type_double() %}double{% endmacro %}

{% macro postgres__type_double() %}double precision{% endmacro %}
