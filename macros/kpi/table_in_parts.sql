{#- A table built one part at a time: the model's SQL is split at
    table_part_separator() (a `union all` that kpi_union writes between
    metrics), the first part creates the table and each further part is
    inserted by its own statement. The rows are those of the whole union, but
    the engine holds one part's aggregation state at a time: DuckDB keeps a
    percentile state per group and cannot spill it, and a union of fifteen
    GROUPING SETS rollups held all fifteen at once (16.7 GiB for the ticket
    KPIs at 10M tickets). A model without the separator is one part, the same
    as `table`. Unit tests and `dbt show` run the SQL as written, a union.

    Built under a temporary name and renamed over the old table at the end,
    like dbt's `table`, so a failed part leaves the previous table in place.

    A model with config kpi_incremental_by (kpi_incremental_periods.sql) is
    built in place in an incremental build instead: the periods from the
    run's recompute-from date on (kpi_recomputed_rows) are deleted and each
    part inserts its rows of those periods. -#}
{% materialization table_in_parts, default %}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set intermediate_relation = make_intermediate_relation(target_relation) -%}
    {%- set preexisting_intermediate_relation = load_cached_relation(intermediate_relation) -%}
    {%- set backup_relation_type = 'table' if existing_relation is none else existing_relation.type -%}
    {%- set backup_relation = make_backup_relation(target_relation, backup_relation_type) -%}
    {%- set preexisting_backup_relation = load_cached_relation(backup_relation) -%}
    {%- set parts = sql.split(table_part_separator() | trim) -%}

    {{ drop_relation_if_exists(preexisting_intermediate_relation) }}
    {{ drop_relation_if_exists(preexisting_backup_relation) }}
    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {%- if kpi_incremental_periods() -%}
        {{ return(table_in_parts_recompute_periods(target_relation, parts)) }}
    {%- endif -%}

    {%- call statement('main') -%}
        {{ get_create_table_as_sql(False, intermediate_relation, parts[0]) }}
    {%- endcall -%}
    {%- for part in parts[1:] -%}
        {%- call statement('part_' ~ loop.index) -%}
            insert into {{ intermediate_relation }}
            {{ part }}
        {%- endcall -%}
    {%- endfor -%}

    {%- if existing_relation is not none -%}
        {%- set existing_relation = load_cached_relation(existing_relation) -%}
        {%- if existing_relation is not none -%}
            {{ adapter.rename_relation(existing_relation, backup_relation) }}
        {%- endif -%}
    {%- endif -%}
    {{ adapter.rename_relation(intermediate_relation, target_relation) }}

    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {%- do persist_docs(target_relation, model) -%}
    {{ adapter.commit() }}
    {{ drop_relation_if_exists(backup_relation) }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}
    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}


{#- Where table_in_parts splits a model: a `union all` carrying a marker
    comment, so the SQL stays one valid union everywhere else. -#}
{% macro table_part_separator() -%}
union all -- table_in_parts: next part
{% endmacro %}


{#- The incremental path of table_in_parts: compute the recompute-from date
    once (the parts read it from a one-row table), delete the periods from it
    on, insert each part's rows of those periods, drop the one-row table. -#}
{% macro table_in_parts_recompute_periods(target_relation, parts) %}
    {%- set recompute_from = kpi_recompute_from_relation() -%}
    {{ drop_relation_if_exists(recompute_from) }}
    {#- A plain `create table as`: the model's contract (get_create_table_as_sql
        would apply it) is not this one-row table's. -#}
    {%- call statement('recompute_from') -%}
        create table {{ recompute_from }} as
        {{ kpi_recompute_from_sql(config.get('kpi_incremental_by'), config.get('kpi_incremental_inputs') or []) }}
    {%- endcall -%}
    {%- call statement('main') -%}
        delete from {{ target_relation }}
        where {{ kpi_recomputed_rows() }}
    {%- endcall -%}
    {%- for part in parts -%}
        {%- call statement('part_' ~ loop.index) -%}
            insert into {{ target_relation }}
            {{ part }}
        {%- endcall -%}
    {%- endfor -%}
    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {{ adapter.commit() }}
    {{ drop_relation_if_exists(recompute_from) }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}
    {{ return({'relations': [target_relation]}) }}
{% endmacro %}
