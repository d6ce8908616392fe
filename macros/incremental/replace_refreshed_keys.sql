{#- An incremental strategy for models whose rows of a key can vanish (a
    filtered or derived model: a ticket that is merged later has no
    assignments any more). dbt's delete+insert deletes only the keys of the
    new batch, so a key left with no rows would keep its old ones; this
    strategy deletes every refreshed key, then inserts the batch.

    The model configures
        incremental_strategy='replace_refreshed_keys',
        refreshed_keys={'column': <its key column>, 'in': refreshed_keys_inputs([<input models>])}
    and filters its input with refreshed_keys_filter(): the keys of the
    input rows written after the model's newest `_refreshed_at` (the inputs
    stamp every row they rewrite, and rewrite every row of a key they touch).
    A model whose refreshed rows are not one key of its inputs names instead
    a macro returning its key sets:
        refreshed_keys={'key_sets': <macro name>, 'in': refreshed_keys_inputs([<input models>])}
    each set {'columns': [<columns of the model and its input>], 'sql': <a
    select of those columns, in that order>}, a row refreshed when any set holds its values
    of the set's columns; or none when every row is. A set's query may read
    the table of an earlier set (refreshed_keys_relation(index)).

    The project's pre-hook of every model (refreshed_keys_prepare, a no-op
    for other models) computes each set once, into a temporary table, before
    the batch is built: the filter (in as many input CTEs as the model has) and
    the delete read those tables, so both name the same rows, read at the same
    watermark (nothing is deleted before the batch is built).

    refreshed_keys_inputs() refs each input when dbt parses the model: dbt
    renders no config at parse time, so the strategy could not declare the
    dependencies itself, and a ref only at parse time spares the model's unit
    tests from giving an input the model does not read in its own SQL. -#}
{% macro get_incremental_replace_refreshed_keys_sql(arg_dict) %}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target }}
    where {{ refreshed_keys_condition() }};
    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
    {%- for key_set in refreshed_key_sets() or [] %};
    drop table if exists {{ refreshed_keys_relation(loop.index0) }}
    {%- endfor %}
{% endmacro %}


{#- The names of a replace_refreshed_keys model's inputs (config
    refreshed_keys.in), each ref'd when dbt parses the model: the model
    depends on them. -#}
{% macro refreshed_keys_inputs(model_names) %}
    {%- if not execute -%}
        {%- do refs(model_names) -%}
    {%- endif -%}
    {{- return(model_names) -}}
{% endmacro %}


{#- The key sets of the calling model in this run: its key_sets macro's, or
    the one set of its column; none when every row is refreshed. -#}
{% macro refreshed_key_sets() %}
    {%- set keys = config.get('refreshed_keys') -%}
    {%- if keys.get('key_sets') -%}
        {{- return(switchboard[keys.key_sets]()) -}}
    {%- endif -%}
    {{- return([{'columns': [keys.column], 'sql': refreshed_keys_sql(keys.column, keys['in'])}]) -}}
{% endmacro %}


{#- The temporary table of the calling model's key set `index` while it builds. -#}
{% macro refreshed_keys_relation(index) %}
    {{- return(api.Relation.create(identifier=this.identifier ~ '__refreshed_keys_' ~ index, type='table')) -}}
{% endmacro %}


{#- The project's pre-hook of every model (dbt_project.yml): for a
    replace_refreshed_keys model in an incremental run, each key set into a
    temporary table, read by the filter and the delete (the strategy drops
    them); nothing otherwise. -#}
{% macro refreshed_keys_prepare() %}
    {%- if execute and config.get('incremental_strategy') == 'replace_refreshed_keys' and is_incremental() %}
    {%- for key_set in refreshed_key_sets() or [] %}
    drop table if exists {{ refreshed_keys_relation(loop.index0) }};
    create temporary table {{ refreshed_keys_relation(loop.index0) }} as
    {{ key_set.sql }};
    {%- endfor %}
    {%- endif -%}
{% endmacro %}


{#- The keys (column) of the rows the inputs wrote after the calling model's
    newest `_refreshed_at`. -#}
{% macro refreshed_keys_sql(column, inputs) %}
    {%- set refreshed = refreshed_since_watermark() %}
    {%- for input in inputs %}
    select {{ column }} from {{ ref(input) }}
    where {{ refreshed }}
    {{- ' union' if not loop.last }}
    {%- endfor %}
{%- endmacro %}


{#- The rows of the refreshed keys, as a condition on the calling model's
    columns (its input's, or its own in the delete): in a key set's table
    (the pre-hook's), or every row.

    Each set is an `exists` on its table, whose columns are renamed
    (refreshed_key_<n>) so that the model's column names, unqualified, bind
    to the outer row. Not `(a, b) in (select ...)`: DuckDB evaluates an `or`
    of two such subqueries about 20 times slower than of two `exists` (10M
    tickets: int_interactions' two sets took over ten minutes in a day's
    build). -#}
{% macro refreshed_keys_condition() %}
    {%- set key_sets = refreshed_key_sets() -%}
    {%- if key_sets is none -%}
    1 = 1
    {%- else -%}
    (
        {%- for key_set in key_sets %}
        {%- set keys = 'refreshed_keys_' ~ loop.index0 %}
        exists (
            select 1
            from {{ refreshed_keys_relation(loop.index0) }}
                as {{ keys }} ({% for column in key_set.columns %}refreshed_key_{{ loop.index }}{{ ', ' if not loop.last }}{% endfor %})
            where
                {%- for column in key_set.columns %}
                {{ keys }}.refreshed_key_{{ loop.index }} = {{ column }}{{ ' and' if not loop.last }}
                {%- endfor %}
        )
        {{- ' or' if not loop.last }}
        {%- endfor %}
    )
    {%- endif -%}
{%- endmacro %}


{#- The condition on such a model's input (after `keyword`, `where` or
    `and`): in an incremental run, the rows of the refreshed keys; nothing in
    a full build or a unit test. -#}
{% macro refreshed_keys_filter(keyword='where') %}
    {%- if execute and this is not none and is_incremental() %}
    {{ keyword }} {{ refreshed_keys_condition() }}
    {%- endif -%}
{% endmacro %}
