{#- An incremental strategy for models whose rows of a key can vanish (a
    filtered or derived model: a ticket that is merged later has no
    assignments any more). dbt's delete+insert deletes only the keys of the
    new batch, so a key left with no rows would keep its old ones; this
    strategy deletes every refreshed key, then inserts the batch.

    The model configures
        incremental_strategy='replace_refreshed_keys',
        refreshed_keys={'column': <its key column>, 'in': refreshed_keys_inputs([<input models>])},
        pre_hook='{{ refreshed_keys_prepare() }}'
    and filters its input with refreshed_keys_filter(): the keys of the
    input rows written after the model's newest `_refreshed_at` (the inputs
    stamp every row they rewrite, and rewrite every row of a key they touch).
    The pre-hook computes those keys once, into a temporary table, before the
    batch is built: the filter (in as many input CTEs as the model has) and
    the delete read that table, so every one names the same keys.
    A model whose refreshed rows are not one key of its inputs names instead
    a macro that renders the condition on its own columns:
        refreshed_keys={'condition': <macro name>, 'in': refreshed_keys_inputs([<input models>])}
    rendered in the filter and again in the delete (no pre-hook). Both read
    the watermark before anything is deleted (dbt builds the batch first), so
    both name the same rows.

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
    {%- if config.get('refreshed_keys').get('column') %};
    drop table if exists {{ refreshed_keys_relation() }}
    {%- endif %}
{% endmacro %}


{#- The names of a replace_refreshed_keys model's inputs (config
    refreshed_keys.in), each ref'd when dbt parses the model: the model
    depends on them. -#}
{% macro refreshed_keys_inputs(model_names) %}
    {%- if not execute -%}
        {%- for model_name in model_names -%}
            {%- do ref(model_name) -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return(model_names) -}}
{% endmacro %}


{#- The temporary table of the refreshed keys while the calling model builds. -#}
{% macro refreshed_keys_relation() %}
    {{- return(api.Relation.create(identifier=this.identifier ~ '__refreshed_keys', type='table')) -}}
{% endmacro %}


{#- The pre-hook of a replace_refreshed_keys model keyed by one column: in an
    incremental run, the refreshed keys into a temporary table, read by the
    filter and the delete; nothing otherwise. -#}
{% macro refreshed_keys_prepare() %}
    {%- set keys = config.get('refreshed_keys') or {} -%}
    {%- if execute and keys.get('column') and is_incremental() %}
    drop table if exists {{ refreshed_keys_relation() }};
    create temporary table {{ refreshed_keys_relation() }} as
    {{ refreshed_keys_sql(keys.column, keys['in']) }}
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
    columns (its input's, or its own in the delete): the keys the pre-hook
    computed, or the model's condition macro. -#}
{% macro refreshed_keys_condition() %}
    {%- set keys = config.get('refreshed_keys') -%}
    {%- if keys.get('condition') -%}
    {{ switchboard[keys.condition]() }}
    {%- else -%}
    {%- if 'refreshed_keys_prepare' not in model.config.get('pre-hook', []) | map(attribute='sql') | join(' ') -%}
        {{ exceptions.raise_compiler_error(
            this.identifier ~ ": refreshed_keys.column needs pre_hook='{{ refreshed_keys_prepare() }}'") }}
    {%- endif -%}
    {{ keys.column }} in (select {{ keys.column }} from {{ refreshed_keys_relation() }})
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
