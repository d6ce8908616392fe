{#- Returns the contract of one source table as a dict, read from the source's
    YAML `meta.contract` and column `meta` (models/staging/*/_*__sources.yml).
    Only meaningful at execution time, when `graph` is populated. dbt's unit
    tests compile against a manifest without the graph: a unit test of a base
    model gives the contract as `overrides: macros: contract_table:` (a copy
    that tests/python/test_project_checks.py keeps equal to the YAML). -#}
{% macro contract_table(source_name, table_name) %}
    {%- if graph.sources is not defined -%}
        {{ exceptions.raise_compiler_error("contract_table(" ~ source_name ~ ", " ~ table_name ~ "): no dbt graph here (a unit test?); override contract_table with the table's contract") }}
    {%- endif -%}
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
