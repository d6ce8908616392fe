{#- The relation a reference table is read from: the landing directory's copy
    (written by the loader to the raw schema) when there is one, else the
    project's seed default. Both are read as text and typed by the contract. -#}
{% macro reference_relation(table_name) %}
    {%- set seed_relation = ref(table_name) -%}
    {%- set override = source('reference', table_name) -%}
    {%- if execute -%}
        {%- set found = adapter.get_relation(database=override.database, schema=override.schema, identifier=override.identifier) -%}
        {%- if found is not none -%}
            {{ return(found) }}
        {%- endif -%}
    {%- endif -%}
    {{ return(seed_relation) }}
{% endmacro %}
