{#- True when both sides are equal or both are NULL (a join condition on
    nullable key columns that engines can still hash). -#}
{% macro null_safe_equals(left, right) %}
    {{- return(adapter.dispatch('null_safe_equals', 'switchboard')(left, right)) -}}
{% endmacro %}

{% macro default__null_safe_equals(left, right) -%}
    {{ left }} is not distinct from {{ right }}
{%- endmacro %}

{% macro spark__null_safe_equals(left, right) -%}
    {{ left }} <=> {{ right }}
{%- endmacro %}
