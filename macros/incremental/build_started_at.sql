{#- The instant (UTC) the dbt invocation started, as a timestamp literal: the
    `_refreshed_at` of the rows a model writes in this build. Later builds
    start later, so the newest `_refreshed_at` of a table says which of its
    rows are newer than what a downstream model has read. -#}
{% macro build_started_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}
