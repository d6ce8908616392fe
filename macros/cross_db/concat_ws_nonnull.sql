{#- Joins the non-NULL expressions with a separator; NULL when all are NULL. -#}
{% macro concat_ws_nonnull(separator, expressions) %}
    {%- if expressions | length == 0 -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        nullif(concat_ws({{ separator }}, {{ expressions | join(',\n            ') }}), '')
    {%- endif -%}
{% endmacro %}
