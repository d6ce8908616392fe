{#- ISO weekday of a date, 1 = Monday .. 7 = Sunday, computed portably as the
    day count since Monday 1900-01-01 modulo 7 (engines disagree on the
    numbering of their own day-of-week functions). Dates from 1900 on. -#}
{% macro iso_weekday(date_expression) %}
    {{ return(adapter.dispatch('iso_weekday', 'switchboard')(date_expression)) }}
{% endmacro %}

{% macro default__iso_weekday(date_expression) %}
    (({{ dbt.datediff("cast('1900-01-01' as date)", date_expression, 'day') }}) % 7 + 1)
{%- endmacro %}

{% macro duckdb__iso_weekday(date_expression) %}
    cast(isodow({{ date_expression }}) as integer)
{%- endmacro %}

{% macro postgres__iso_weekday(date_expression) %}
    cast(extract(isodow from {{ date_expression }}) as integer)
{%- endmacro %}

{% macro spark__iso_weekday(date_expression) %}
    (weekday({{ date_expression }}) + 1)
{%- endmacro %}
