{#- Model contracts (the marts' YAML) and seed column types declare portable
    type names: varchar, bigint, integer, double, boolean, date, timestamp.
    Each engine states its own name for them; dbt's contract DDL and its column check read
    `data_type` as written, so the two dbt macros that do are overridden below
    to translate the declared names first (nothing else about them changes). -#}
{% macro contract_data_type(data_type) %}
    {{ return(adapter.dispatch('contract_data_type', 'switchboard')(data_type)) }}
{% endmacro %}

{% macro default__contract_data_type(data_type) %}
    {{ return(data_type) }}
{% endmacro %}

{% macro postgres__contract_data_type(data_type) %}
    {%- set names = {'double': 'double precision'} -%}
    {{ return(names.get(data_type | lower | trim, data_type)) }}
{% endmacro %}

{#- Spark: text is STRING (VARCHAR needs a length, and then enforces it). -#}
{% macro spark__contract_data_type(data_type) %}
    {%- set names = {'varchar': 'string', 'text': 'string', 'double precision': 'double'} -%}
    {{ return(names.get(data_type | lower | trim, data_type)) }}
{% endmacro %}


{#- A copy of a model's columns dict with every data_type translated. -#}
{% macro contract_translated_columns(columns) %}
    {%- set translated = {} -%}
    {%- for key, column in columns.items() -%}
        {%- set copy = dict(column) -%}
        {%- if copy.get('data_type') is not none -%}
            {%- do copy.update({'data_type': contract_data_type(copy['data_type'])}) -%}
        {%- endif -%}
        {%- do translated.update({key: copy}) -%}
    {%- endfor -%}
    {{ return(translated) }}
{% endmacro %}


{#- dbt's default__get_empty_schema_sql (the contract check's typed empty
    select), with the declared types translated. -#}
{% macro default__get_empty_schema_sql(columns) %}
    {{ return(dbt.default__get_empty_schema_sql(contract_translated_columns(columns))) }}
{% endmacro %}


{#- dbt's table_columns_and_constraints (the DDL of a contracted table), with
    the declared types translated. -#}
{% macro default__get_table_columns_and_constraints() %}
    {%- set raw_column_constraints = adapter.render_raw_columns_constraints(raw_columns=contract_translated_columns(model['columns'])) -%}
    {%- set raw_model_constraints = adapter.render_raw_model_constraints(raw_constraints=model['constraints']) -%}
    (
    {% for c in raw_column_constraints -%}
        {{ c }}{{ "," if not loop.last or raw_model_constraints }}
    {% endfor %}
    {% for c in raw_model_constraints -%}
        {{ c }}{{ "," if not loop.last }}
    {% endfor -%}
    )
{% endmacro %}
