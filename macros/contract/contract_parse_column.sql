{#- Parses one raw text column into its contract type. Empty strings are NULL;
    enumerations are trimmed and lower-cased (docs/spec/raw_contract.md).
    Text is checked against the contract's form before an engine casts it, so
    that engine extras ('infinity', 'epoch', 'nan', '1_000', time zone names,
    a timestamp in a date column) are unparseable, not silently accepted. -#}
{% macro contract_parse_column(expression, contract_type, source_kind='text') %}
    {%- if source_kind != 'text' -%}
        {{ return(contract_parse_typed_column(expression, contract_type, source_kind)) }}
    {%- endif -%}
    {#- the cast is a no-op on text, and lets a typed unit-test fixture through -#}
    {%- set cleaned = "nullif(trim(cast(" ~ expression ~ " as " ~ dbt.type_string() ~ ")), '')" -%}
    {%- set iso_date = '[0-9]{4}-[0-9]{2}-[0-9]{2}' -%}
    {%- if contract_type == 'string' -%}
        {{ cleaned }}
    {%- elif contract_type == 'enum' -%}
        lower({{ cleaned }})
    {%- elif contract_type == 'timestamp' -%}
        {#- ISO 8601: a date, optionally a time (fraction to nanoseconds) and an
            offset (Z, +hh, +hhmm, +hh:mm, hours below 24); naive text is UTC. -#}
        case
            when {{ regexp_full_match(cleaned, iso_date ~ '([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,9})?)?(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)?)?') }}
                then {{ parse_timestamp_utc(cleaned) }}
        end
    {%- elif contract_type == 'date' -%}
        case
            when {{ regexp_full_match(cleaned, iso_date) }}
                then {{ try_cast_text(cleaned, 'date') }}
        end
    {%- elif contract_type == 'integer' -%}
        {#- Whole numbers only ('12' or '12.0'); engines would round '12.5'. -#}
        case
            when {{ regexp_full_match(cleaned, '[+-]?[0-9]+([.]0*)?') }}
                then {{ try_cast_text(try_cast_text(cleaned, 'decimal(38, 6)'), api.Column.translate_type('bigint')) }}
        end
    {%- elif contract_type == 'decimal' -%}
        {#- A finite number, scientific notation allowed; no nan, inf or overflow. -#}
        case
            when {{ regexp_full_match(cleaned, '[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?') }}
                and abs({{ try_cast_text(cleaned, type_double()) }}) <= 1.7976931348623157e308
                then {{ try_cast_text(cleaned, type_double()) }}
        end
    {%- elif contract_type == 'boolean' -%}
        {{ parse_boolean(cleaned) }}
    {%- elif contract_type == 'time' -%}
        {{ parse_time_of_day_seconds(cleaned) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("Unknown contract type " ~ contract_type) }}
    {%- endif -%}
{% endmacro %}


{#- A raw column that arrives typed (a Parquet landing file read in place):
    a value of the contract's type needs no text round trip; any other
    combination is parsed from its text, so the rules stay the text rules. -#}
{% macro contract_parse_typed_column(expression, contract_type, source_kind) %}
    {%- if contract_type == 'timestamp' and source_kind == 'timestamptz' -%}
        {{ timestamptz_to_utc(expression) }}
    {%- elif contract_type == 'timestamp' and source_kind == 'timestamp' -%}
        {{ expression }}
    {%- elif contract_type == 'date' and source_kind == 'date' -%}
        {{ expression }}
    {%- elif contract_type == 'integer' and source_kind == 'integer' -%}
        cast({{ expression }} as {{ api.Column.translate_type('bigint') }})
    {%- elif contract_type == 'decimal' and source_kind in ('integer', 'float') -%}
        {#- finite values only: NaN is not equal to itself -#}
        case
            when {{ expression }} = {{ expression }} and abs({{ expression }}) <= 1.7976931348623157e308
                then cast({{ expression }} as {{ type_double() }})
        end
    {%- elif contract_type == 'boolean' and source_kind == 'boolean' -%}
        {{ expression }}
    {%- else -%}
        {{ contract_parse_column('cast(' ~ expression ~ ' as ' ~ dbt.type_string() ~ ')', contract_type) }}
    {%- endif -%}
{% endmacro %}


{#- How a raw column arrives: 'text' (the loader's text, CSV) or, for a typed
    Parquet column read in place, timestamptz, timestamp, date, integer,
    float, boolean or other - from its data type in the relation. -#}
{% macro contract_source_kind(data_type) %}
    {%- set type_name = data_type | lower -%}
    {%- if 'char' in type_name or 'text' in type_name or 'string' in type_name -%}
        {{ return('text') }}
    {%- elif 'time zone' in type_name or type_name in ('timestamptz', 'timestamp_tz') -%}
        {{ return('timestamptz') }}
    {%- elif type_name.startswith('timestamp') or type_name == 'datetime' -%}
        {{ return('timestamp') }}
    {%- elif type_name == 'date' -%}
        {{ return('date') }}
    {%- elif type_name in ('boolean', 'bool') -%}
        {{ return('boolean') }}
    {%- elif type_name in ('tinyint', 'smallint', 'integer', 'int', 'bigint', 'hugeint', 'utinyint', 'usmallint', 'uinteger', 'ubigint', 'int2', 'int4', 'int8', 'long', 'short', 'byte') -%}
        {{ return('integer') }}
    {%- elif type_name in ('double', 'float', 'real', 'float4', 'float8', 'double precision') or type_name.startswith('decimal') or type_name.startswith('numeric') -%}
        {{ return('float') }}
    {%- else -%}
        {{ return('other') }}
    {%- endif -%}
{% endmacro %}
