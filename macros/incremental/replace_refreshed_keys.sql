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
    The filter and the delete read that watermark before anything is
    deleted (dbt builds the batch first), so both name the same keys. -#}
{% macro get_incremental_replace_refreshed_keys_sql(arg_dict) %}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    {%- set keys = config.get('refreshed_keys') -%}
    delete from {{ target }}
    where {{ keys.column }} in ({{ refreshed_keys_sql(keys.column, keys['in']) }});
    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
{% endmacro %}


{#- The keys (column) of the rows the inputs wrote after the calling model's
    newest `_refreshed_at`. -#}
{% macro refreshed_keys_sql(column, inputs) %}
    {%- for input in inputs %}
    select {{ column }} from {{ ref(input) }}
    where _refreshed_at > (
        select coalesce(max(_refreshed_at), cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }}))
        from {{ this }}
    )
    {{- ' union' if not loop.last }}
    {%- endfor %}
{%- endmacro %}


{#- The condition on such a model's input (after `keyword`, `where` or
    `and`): in an incremental run, the rows of the refreshed keys; nothing in
    a full build or a unit test. -#}
{% macro refreshed_keys_filter(keyword='where') %}
    {%- set keys = config.get('refreshed_keys') -%}
    {%- if not execute -%}
        {#- The inputs are dependencies even where only the delete reads them. -#}
        {%- for input in keys['in'] %}{% do ref(input) %}{% endfor -%}
    {%- elif this is not none and is_incremental() %}
    {{ keyword }} {{ keys.column }} in ({{ refreshed_keys_sql(keys.column, keys['in']) }})
    {%- endif -%}
{% endmacro %}
