{#- True when the whole text matches the regular expression. -#}
{% macro regexp_full_match(expression, pattern) %}
    {{ return(adapter.dispatch('regexp_full_match', 'switchboard')(expression, pattern)) }}
{% endmacro %}

{% macro default__regexp_full_match(expression, pattern) %}
    regexp_full_match({{ expression }}, '{{ pattern }}')
{% endmacro %}

{% macro spark__regexp_full_match(expression, pattern) %}
    ({{ expression }} rlike '^({{ pattern }})$')
{% endmacro %}

{% macro postgres__regexp_full_match(expression, pattern) %}
    ({{ expression }} ~ '^({{ pattern }})$')
{% endmacro %}
