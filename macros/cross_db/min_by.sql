{#- The value of `value_expression` on the row with the smallest (min_by) or
    greatest (max_by) `order_expression`, NULL order values ignored; the value
    itself may be NULL. An aggregate: one pass instead of a join back to the
    row. The order must be unique within a group (e.g. an event sequence). -#}
{% macro min_by(value_expression, order_expression) %}
    {{ return(adapter.dispatch('min_by', 'switchboard')(value_expression, order_expression)) }}
{% endmacro %}

{% macro max_by(value_expression, order_expression) %}
    {{ return(adapter.dispatch('max_by', 'switchboard')(value_expression, order_expression)) }}
{% endmacro %}

{#- DuckDB: the _null variants keep a NULL value of the chosen row. -#}
{% macro duckdb__min_by(value_expression, order_expression) -%}
    arg_min_null({{ value_expression }}, {{ order_expression }})
{%- endmacro %}

{% macro duckdb__max_by(value_expression, order_expression) -%}
    arg_max_null({{ value_expression }}, {{ order_expression }})
{%- endmacro %}

{% macro spark__min_by(value_expression, order_expression) -%}
    min_by({{ value_expression }}, {{ order_expression }})
{%- endmacro %}

{% macro spark__max_by(value_expression, order_expression) -%}
    max_by({{ value_expression }}, {{ order_expression }})
{%- endmacro %}

{#- Postgres (and the default): the first element of an ordered, filtered array. -#}
{% macro default__min_by(value_expression, order_expression) -%}
    (array_agg({{ value_expression }} order by {{ order_expression }}) filter (where ({{ order_expression }}) is not null))[1]
{%- endmacro %}

{% macro default__max_by(value_expression, order_expression) -%}
    (array_agg({{ value_expression }} order by {{ order_expression }} desc) filter (where ({{ order_expression }}) is not null))[1]
{%- endmacro %}
