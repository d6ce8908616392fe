{#- The incremental strategy of the ticket-keyed models whose rows of a ticket
    can vanish: a model of one row per ticket event (an event moved to another
    ticket leaves its former ticket, which may keep no event at all), or of
    one row per ticket with an event. dbt's delete+insert deletes only the
    tickets of the new batch, so a touched ticket that now has no row would
    keep its old ones; this strategy deletes every touched ticket, the same
    touched_ticket_filter() the model reads its inputs with, then inserts the
    batch.

    The model configures
        incremental_strategy='replace_touched_tickets',
        touched_tickets={<touched_ticket_filter's arguments>}
    (none for the defaults) and filters its inputs with
    touched_ticket_filter(**touched_tickets). dbt builds the batch before this
    delete, and the filter reads the model's newest `_load_id` then, before
    any row is deleted or inserted, so both name the same tickets. -#}
{% macro get_incremental_replace_touched_tickets_sql(arg_dict) %}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target }}
    {{ touched_ticket_filter(**config.get('touched_tickets', {})) }};
    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
{% endmacro %}
