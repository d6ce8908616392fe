{#- The refreshed rows of int_interactions (replace_refreshed_keys), as key
    sets on its columns interaction_source, interaction_id and ticket_id: the
    calls fct_calls rewrote, and the events of the tickets fct_ticket_events
    rewrote, by ticket (an event that stops being a handled interaction, or a
    ticket merged away) and by event (an event moved to another ticket leaves
    a row under its former one). -#}
{% macro refreshed_interactions_key_sets() %}
    {%- set since = refreshed_since_watermark() -%}
    {%- set by_interaction -%}
        select 'call' as interaction_source, call_id as interaction_id from {{ ref('fct_calls') }}
        where {{ since }}
        union
        select 'ticket', event_id from {{ ref('fct_ticket_events') }}
        where {{ since }}
    {%- endset -%}
    {%- set by_ticket -%}
        select distinct 'ticket' as interaction_source, ticket_id from {{ ref('fct_ticket_events') }}
        where {{ since }}
    {%- endset -%}
    {{ return([
        {'columns': ['interaction_source', 'interaction_id'], 'sql': by_interaction},
        {'columns': ['interaction_source', 'ticket_id'], 'sql': by_ticket},
    ]) }}
{%- endmacro %}
