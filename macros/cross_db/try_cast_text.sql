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
        try_cast({{ expression }} as {{ contract_data_type(data_type) }})
    {%- endif -%}
{% endmacro %}

{#- Decimal numbers as DuckDB reads them: sign, digits, point, exponent; inf, nan. -#}
{% macro spark_number_pattern() -%}
    {{- return('[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?|[+-]?([iI][nN][fF]([iI][nN][iI][tT][yY])?|[nN][aA][nN])') -}}
{%- endmacro %}

{#- Postgres has no try_cast (and pg_input_is_valid only from 16): a cast is
    made only after a guard proves it cannot raise (nested CASE: Postgres does
    not promise to evaluate AND left to right), with the same results as
    DuckDB's try_cast on the contract's forms (docs/contract_readings.md,
    "Numbers, dates and timestamps on every engine"):
      date              ISO date (optionally with a time part, ignored)
      decimal(p, s)     plain or exponent notation within p - s integer digits
      double precision  plain or exponent notation, inf / infinity / nan;
                        beyond 1e308 gives +-infinity, below 1e-307 gives 0
      bigint / integer  whole or decimal numbers within range, rounded half
                        away from zero (as DuckDB)
    Other types are cast plainly (the caller guards them). -#}
{% macro postgres__try_cast_text(expression, data_type) %}
    {%- set type_name = data_type | lower | trim -%}
    {%- set text = "cast(" ~ expression ~ " as text)" -%}
    {%- set number_pattern = '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]{1,3})?$' -%}
    {%- if type_name == 'date' -%}
        case
            when {{ postgres__iso_datetime_is_valid(text) }}
                then cast(substring({{ text }} from '^{{ postgres__iso_date_pattern() }}') as date)
        end
    {%- elif type_name.startswith('decimal') or type_name.startswith('numeric') -%}
        {%- set scale_parts = type_name.split('(')[1].rstrip(')').split(',') if '(' in type_name else ['38', '0'] -%}
        {%- set integer_digits = (scale_parts[0] | int) - ((scale_parts[1] if scale_parts | length > 1 else '0') | trim | int) -%}
        case
            when {{ text }} ~ '{{ number_pattern }}'
                then case
                    when abs(cast({{ text }} as numeric)) < 1e{{ integer_digits }}
                        then cast(cast({{ text }} as numeric) as {{ data_type }})
                end
        end
    {%- elif type_name in ('double precision', 'double', 'float', 'float8', 'real', 'float4') -%}
        case
            when lower({{ text }}) ~ '^[+-]?(inf|infinity|nan)$'
                then cast({{ text }} as {{ data_type }})
            when {{ text }} ~ '{{ number_pattern }}'
                then case
                    when abs(cast({{ text }} as numeric)) > 1e308
                        then sign(cast({{ text }} as numeric)) * cast('infinity' as {{ data_type }})
                    when abs(cast({{ text }} as numeric)) < 1e-307
                        then cast(0 as {{ data_type }})
                    else cast(cast({{ text }} as numeric) as {{ data_type }})
                end
        end
    {%- elif type_name in ('bigint', 'integer', 'int', 'int8', 'int4', 'smallint', 'int2') -%}
        {%- set bounds = {'smallint': 32767, 'int2': 32767, 'integer': 2147483647, 'int': 2147483647, 'int4': 2147483647} -%}
        {%- set upper = bounds.get(type_name, 9223372036854775807) -%}
        case
            when {{ text }} ~ '{{ number_pattern }}'
                then case
                    when round(cast({{ text }} as numeric)) between -{{ upper }} - 1 and {{ upper }}
                        then cast(cast({{ text }} as numeric) as {{ data_type }})
                end
        end
    {%- else -%}
        cast({{ expression }} as {{ data_type }})
    {%- endif -%}
{% endmacro %}
