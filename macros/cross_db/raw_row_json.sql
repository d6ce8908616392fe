{#- A JSON object text from (key, expression) pairs: the raw row kept in
    audit.quarantined_rows. -#}
{% macro raw_row_json(pairs) %}
    {{ return(adapter.dispatch('raw_row_json', 'switchboard')(pairs)) }}
{% endmacro %}

{% macro default__raw_row_json(pairs) %}
    cast(json_object(
        {%- for key, expression in pairs %}
        '{{ key }}', {{ expression }}{{ ',' if not loop.last }}
        {%- endfor %}
    ) as {{ dbt.type_string() }})
{% endmacro %}

{#- Spark's to_json drops NULL fields unless told not to; kept as null, as
    the other engines do. -#}
{% macro spark__raw_row_json(pairs) %}
    to_json(named_struct(
        {%- for key, expression in pairs %}
        '{{ key }}', {{ expression }}{{ ',' if not loop.last }}
        {%- endfor %}
    ), map('ignoreNullFields', 'false'))
{% endmacro %}

{% macro postgres__raw_row_json(pairs) %}
    cast(json_build_object(
        {%- for key, expression in pairs %}
        '{{ key }}', {{ expression }}{{ ',' if not loop.last }}
        {%- endfor %}
    ) as text)
{% endmacro %}
