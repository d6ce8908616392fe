{#- The incremental strategy of the ticket-keyed models whose rows of a ticket
    can vanish: a model of one row per ticket event (an event moved to another
    ticket leaves its former ticket, which may keep no event at all), or of
    one row per ticket with an event. dbt's delete+insert deletes only the
    tickets of the new batch, so a touched ticket that now has no row would
    keep its old ones; this strategy deletes every touched ticket (the
    touched_ticket_filter() of the model's `touched_tickets`) and every ticket
    of the batch, then inserts the batch. A model may so read its input by
    another rule than its touched tickets (the lifecycle reads the events its
    input rewrote): whatever it recomputes replaces the old rows.

    The model configures
        incremental_strategy='replace_touched_tickets',
        touched_tickets={<touched_ticket_filter's arguments>}
    (none for the defaults). dbt builds the batch before this delete, and
    the filter reads the model's watermarks then, before any row is deleted
    or inserted. -#}
{% macro get_incremental_replace_touched_tickets_sql(arg_dict) %}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    {%- set touched_tickets = config.get('touched_tickets', {}) -%}
    {%- set column = touched_tickets.get('column', 'ticket_id') -%}
    delete from {{ target }}
    {{ touched_ticket_filter(**touched_tickets) }}
        or {{ column }} in (select {{ column }} from {{ arg_dict['temp_relation'] }});
    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
{% endmacro %}
