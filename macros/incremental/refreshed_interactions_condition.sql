{#- The refreshed rows of int_interactions (replace_refreshed_keys), as a
    condition on its columns interaction_source, interaction_id and ticket_id:
    the calls fct_calls rewrote, and the events of the tickets
    fct_ticket_events rewrote, by ticket (an event that stops being a handled
    interaction, or a ticket merged away) and by event (an event moved to
    another ticket leaves a row under its former one). -#}
{% macro refreshed_interactions_condition() %}
    {%- set since = refreshed_since_watermark() -%}
    (
        (
            interaction_source = 'call'
            and interaction_id in (select call_id from {{ ref('fct_calls') }} where {{ since }})
        )
        or (
            interaction_source = 'ticket'
            and (
                ticket_id in (select ticket_id from {{ ref('fct_ticket_events') }} where {{ since }})
                or interaction_id in (select event_id from {{ ref('fct_ticket_events') }} where {{ since }})
            )
        )
    )
{%- endmacro %}
