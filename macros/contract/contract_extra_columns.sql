{#- The landing file's extra (non-contract) columns of a contract table, each
    followed by a comma: staging keeps them, the KPIs ignore them. Read from
    the table's base model, which carries them through as text. -#}
{% macro contract_extra_columns(source_name, table_name) %}
    {%- if execute -%}
        {%- set contract = contract_table(source_name, table_name) -%}
        {%- set known = contract.columns | map(attribute='name') | list
            + ['_source_file', '_line_number', '_load_id', '_loaded_at', '_refreshed_at', '_quarantine_reason', '_is_superseded', '_raw_row'] -%}
        {%- for column in adapter.get_columns_in_relation(ref('base_' ~ source_name ~ '__' ~ table_name)) if column.name | lower not in known -%}
            {{ adapter.quote(column.name | lower) }},
        {% endfor -%}
    {%- endif -%}
{% endmacro %}
