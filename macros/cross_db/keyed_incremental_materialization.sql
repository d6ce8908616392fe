{#- The materialization of a model kept incremental by delete+insert on its
    key (the staging base models): `incremental` where the engine can delete
    the touched keys' rows (DuckDB, Postgres), `table` on Spark, whose
    Parquet tables cannot delete rows (merge on Delta is no substitute: a base
    model keeps several rows per key, its superseded and quarantined
    versions). A full build gives the same rows on every engine. -#}
{% macro keyed_incremental_materialization() %}
    {{- return(adapter.dispatch('keyed_incremental_materialization', 'switchboard')()) -}}
{% endmacro %}

{% macro default__keyed_incremental_materialization() -%}
    {{- return('incremental') -}}
{%- endmacro %}

{% macro spark__keyed_incremental_materialization() -%}
    {{- return('table') -}}
{%- endmacro %}
