{#- Returns the contract of one source table as a dict, read from the source's
    YAML `meta.contract` and column `meta` (models/staging/*/_*__sources.yml).
    Only meaningful at execution time, when `graph` is populated. -#}
{% macro contract_table(source_name, table_name) %}
    {%- for node in graph.sources.values() -%}
        {%- if node.source_name == source_name and node.name == table_name -%}
            {%- set columns = [] -%}
            {%- for column in node.columns.values() -%}
                {%- do columns.append({'name': column.name, 'meta': column.meta}) -%}
            {%- endfor -%}
            {{ return({'meta': node.meta.contract, 'columns': columns, 'relation': source(source_name, table_name)}) }}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("No contract for source " ~ source_name ~ "." ~ table_name) }}
{% endmacro %}
