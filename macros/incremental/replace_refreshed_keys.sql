{#- An incremental strategy for models whose rows of a key can vanish (a
    filtered or derived model: a ticket that is merged later has no
    assignments any more). dbt's delete+insert deletes only the keys of the
    new batch, so a key left with no rows would keep its old ones; this
    strategy deletes every refreshed key, then inserts the batch.

    The model configures
        incremental_strategy='replace_refreshed_keys',
        refreshed_keys={'column': <its key column>, 'in': [<input models>]}
    and filters its input with refreshed_keys_filter(): the keys of the
    input rows written after the model's newest `_refreshed_at` (the inputs
    stamp every row they rewrite, and rewrite every row of a key they touch).
    A model whose refreshed rows are not one key of its inputs names instead
    a macro that renders the condition on its own columns:
        refreshed_keys={'condition': <macro name>, 'in': [<input models>]}
    (`in` still names the inputs the condition reads; the model refs each,
    with a `-- depends_on:` hint for one it does not read itself, or a
    parse-time-only ref, `{% if not execute %}{% do ref(...) %}{% endif %}`,
    when the model's unit tests should not have to give that input). The
    filter and the delete read the
    watermark before anything is deleted (dbt builds the batch first), so
    both name the same rows. -#}
{% macro get_incremental_replace_refreshed_keys_sql(arg_dict) %}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target }}
    where {{ refreshed_keys_condition() }};
    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
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
    columns (its input's, or its own in the delete). -#}
{% macro refreshed_keys_condition() %}
    {%- set keys = config.get('refreshed_keys') -%}
    {%- if keys.get('condition') -%}
    {{ switchboard[keys.condition]() }}
    {%- else -%}
    {{ keys.column }} in ({{ refreshed_keys_sql(keys.column, keys['in']) }})
    {%- endif -%}
{%- endmacro %}


{#- The condition on such a model's input (after `keyword`, `where` or
    `and`): in an incremental run, the rows of the refreshed keys; nothing in
    a full build or a unit test. -#}
{% macro refreshed_keys_filter(keyword='where') %}
    {#- Parsing renders no config value (config.get is empty), so an input the
        model does not ref in its own SQL needs a `-- depends_on:` hint (or a
        parse-time-only ref). -#}
    {%- if execute and this is not none and is_incremental() %}
    {{ keyword }} {{ refreshed_keys_condition() }}
    {%- endif -%}
{% endmacro %}
