{#- Parses one raw text column into its contract type. Empty strings are NULL;
    enumerations are trimmed and lower-cased (docs/spec/raw_contract.md).
    Text is checked against the contract's form before an engine casts it, so
    that engine extras ('infinity', 'epoch', 'nan', '1_000', time zone names,
    a timestamp in a date column) are unparseable, not silently accepted. -#}
{% macro contract_parse_column(expression, contract_type) %}
    {%- set cleaned = "nullif(trim(" ~ expression ~ "), '')" -%}
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
