{#- The engine's spelling of a portable type name. Contracts (column
    data_type in the YAML) and seed column types are written once, in the
    names DuckDB and Postgres share (varchar, bigint, double, ...); an engine
    without one of them translates it here. -#}
{% macro engine_type(data_type) %}
    {{- return(adapter.dispatch('engine_type', 'switchboard')(data_type)) -}}
{% endmacro %}

{% macro default__engine_type(data_type) -%}
    {{- return(data_type) -}}
{%- endmacro %}

{#- Spark: text is STRING (VARCHAR needs a length and then enforces it). -#}
{% macro spark__engine_type(data_type) -%}
    {%- set name = data_type | trim | lower -%}
    {%- if name in ('varchar', 'text', 'character varying') or name.startswith('varchar(') -%}
        {{- return('string') -}}
    {%- elif name == 'double precision' -%}
        {{- return('double') -}}
    {%- endif -%}
    {{- return(data_type) -}}
{%- endmacro %}


{#- dbt.cast on Spark with the type translated: model contracts are checked
    by casting NULL to each declared data_type (dbt's get_empty_schema_sql).
    Found by the `dispatch` search order of dbt_project.yml. -#}
{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ engine_type(type) }})
{%- endmacro %}
