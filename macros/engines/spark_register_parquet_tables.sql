{#- Registers Parquet folders as tables of the current Spark session's
    metastore: `{{ schema }}.{{ name }} using parquet location '<path>'`,
    replacing a table of that name. Run by switchboard/engines/spark.py as
    `dbt run-operation spark_register_parquet_tables --args '{tables: [...],
    schemas: [raw, loader]}'` so that the raw and loader schemas hold exactly
    the loaded tables before `dbt build` (the schemas are dropped first; the
    tables are external, so their files stay). Column types come from the
    Parquet files (text, bigint, timestamp). -#}
{% macro spark_register_parquet_tables(tables, schemas) %}
    {%- for schema in schemas %}
        {%- do run_query('drop schema if exists ' ~ schema ~ ' cascade') -%}
        {%- do run_query('create schema ' ~ schema) -%}
    {%- endfor %}
    {%- for table in tables %}
        {%- do run_query("create table " ~ table.schema ~ "." ~ table.name ~ " using parquet location '" ~ table.location ~ "'") -%}
    {%- endfor %}
    {{ log('Registered ' ~ tables | length ~ ' Parquet tables in ' ~ schemas | join(', '), info=true) }}
{% endmacro %}
