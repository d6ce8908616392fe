{#- Casts text to a type; NULL when the text does not parse (the contract then
    records an "unparseable" quarantine reason). dbt.safe_cast is a plain cast
    on some adapters, so each engine states its own. -#}
{% macro try_cast_text(expression, data_type) %}
    {{ return(adapter.dispatch('try_cast_text', 'switchboard')(expression, data_type)) }}
{% endmacro %}

{% macro default__try_cast_text(expression, data_type) %}
    try_cast({{ expression }} as {{ data_type }})
{% endmacro %}

{#- Spark's casts accept more than the contract (and DuckDB) does: '2025' is a
    date, '12d' a double (Java number syntax), '2025-03' a timestamp. Only text
    in the contract's shape is cast; try_cast keeps ANSI mode from failing. -#}
{% macro spark__try_cast_text(expression, data_type) %}
    {%- set type_name = data_type | trim | lower -%}
    {%- if type_name == 'date' -%}
        case when {{ regexp_full_match(expression, '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([T ].*)?') }}
            then try_cast({{ expression }} as date) end
    {%- elif type_name in ('double', 'float', 'real') -%}
        case when {{ regexp_full_match(expression, spark_number_pattern()) }}
            then try_cast({{ expression }} as {{ data_type }}) end
    {%- else -%}
        try_cast({{ expression }} as {{ engine_type(data_type) }})
    {%- endif -%}
{% endmacro %}

{#- Decimal numbers as DuckDB reads them: sign, digits, point, exponent; inf, nan. -#}
{% macro spark_number_pattern() -%}
    {{- return('[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?|[+-]?([iI][nN][fF]([iI][nN][iI][tT][yY])?|[nN][aA][nN])') -}}
{%- endmacro %}
