{#- Schemas are named exactly as configured (`staging`, `marts`, `audit` ...),
    never prefixed with the target schema: analysts and BI tools rely on the
    names in docs/spec/outputs.md. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
