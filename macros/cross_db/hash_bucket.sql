{#- Which of `bucket_count` buckets (0 to bucket_count - 1) a value falls in,
    by the engine's hash of it: the same value always lands in the same
    bucket, and distinct values spread evenly. Only engines that build in
    parts (full_build_parts.sql: those with a memory limit) need it. -#}
{% macro hash_bucket(expression, bucket_count) %}
    {{ return(adapter.dispatch('hash_bucket', 'switchboard')(expression, bucket_count)) }}
{% endmacro %}

{#- DuckDB: hash() is an unsigned 64-bit integer. -#}
{% macro duckdb__hash_bucket(expression, bucket_count) -%}
    hash({{ expression }}) % {{ bucket_count }}
{%- endmacro %}

{% macro default__hash_bucket(expression, bucket_count) -%}
    {{ exceptions.raise_compiler_error('hash_bucket: no implementation for ' ~ target.type) }}
{%- endmacro %}
