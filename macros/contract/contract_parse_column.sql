{#- Parses one raw text column into its contract type. Empty strings are NULL;
    enumerations are trimmed and lower-cased (docs/spec/raw_contract.md). -#}
{% macro contract_parse_column(expression, contract_type) %}
    {%- set cleaned = "nullif(trim(" ~ expression ~ "), '')" -%}
    {%- if contract_type == 'string' -%}
        {{ cleaned }}
    {%- elif contract_type == 'enum' -%}
        lower({{ cleaned }})
    {%- elif contract_type == 'timestamp' -%}
        {{ parse_timestamp_utc(cleaned) }}
    {%- elif contract_type == 'date' -%}
        {{ try_cast_text(cleaned, 'date') }}
    {%- elif contract_type == 'integer' -%}
        {#- Whole numbers only ('12' or '12.0'); engines would round '12.5'. -#}
        case
            when {{ regexp_full_match(cleaned, '[+-]?[0-9]+([.]0*)?') }}
                then {{ try_cast_text(try_cast_text(cleaned, 'decimal(38, 6)'), api.Column.translate_type('bigint')) }}
        end
    {%- elif contract_type == 'decimal' -%}
        {{ try_cast_text(cleaned, type_double()) }}
    {%- elif contract_type == 'boolean' -%}
        {{ parse_boolean(cleaned) }}
    {%- elif contract_type == 'time' -%}
        {{ parse_time_of_day_seconds(cleaned) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("Unknown contract type " ~ contract_type) }}
    {%- endif -%}
{% endmacro %}
