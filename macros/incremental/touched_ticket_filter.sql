{#- The one mechanism of the ticket-keyed incremental models: in an incremental
    run, a `where` clause keeping the rows of the tickets that loads newer than
    the calling model's newest `_load_id` touched; nothing in a full build.

    A ticket is touched when a newer load brought
      - a version of the ticket, or of one of its events (the ticket ids of every
        version of that event count, so an event moved to another ticket
        refreshes both);
      - a row of a `via_agents` model for an agent acting in one of its events:
        agents themselves (an event quarantined for an unknown agent becomes
        valid when the agent arrives, without a new version of its own; the
        events' other contract reference, tickets, is covered above) and
        whatever agent table the model reads, such as team history;
      - a version of a row of a `via_linked_rows` model (model: key column)
        linking to the ticket, such as a call (every version's ticket counts, as
        for events), or a new row of the agent such a row references (a call
        quarantined for an unknown agent becomes valid when the agent arrives);
    Every ticket is touched when one of `recompute_all_when` (small reference
    tables every ticket depends on, such as teams or schedules) has a newer load.
    `recompute_where` is a condition on the model's own rows that are re-read in
    every run whatever the loads: a status judged at the as-of time ('pending'
    until its deadline passes) changes without any new row.

    Seeds (`_load_id` 'seed') change only with the project's code, and code
    changes need a full build anyway. Refs are resolved at parse time too, so
    dbt knows the dependencies although only incremental runs use them. -#}
{% macro touched_ticket_filter(
    column='ticket_id',
    via_agents=['base_helpdesk__agents'],
    recompute_all_when=[],
    via_linked_rows={},
    recompute_where=none
) %}
    {#- Refs at parse time (dependencies) and in incremental runs only: a unit
        test of the calling model (no `this`) need not give these inputs. -#}
    {%- set incremental = execute and this is not none and is_incremental() -%}
    {%- if not execute or incremental -%}
    {%- set tickets = ref('base_helpdesk__tickets') -%}
    {%- set events = ref('base_helpdesk__ticket_events') -%}
    {%- set agents = ref('base_helpdesk__agents') -%}
    {%- set agent_models = [] -%}
    {%- set whole_models = [] -%}
    {%- set linked_models = [] -%}
    {%- for model in via_agents -%}{%- do agent_models.append(ref(model)) -%}{%- endfor -%}
    {%- for model in recompute_all_when -%}{%- do whole_models.append(ref(model)) -%}{%- endfor -%}
    {%- for model, key in via_linked_rows.items() -%}{%- do linked_models.append((ref(model), key)) -%}{%- endfor -%}
    {%- endif -%}
    {%- if incremental -%}
    {%- set newer -%}
        _load_id > (select coalesce(max(_load_id), '') from {{ this }}) and _load_id <> 'seed'
    {%- endset %}
    where {{ column }} in (
        select ticket_id from {{ tickets }} where {{ newer }}
        union
        select ticket_id from {{ events }}
        where event_id in (select event_id from {{ events }} where {{ newer }})
        {%- for relation, key in linked_models %}
        union
        select ticket_id from {{ relation }}
        where {{ key }} in (select {{ key }} from {{ relation }} where {{ newer }})
        union
        select ticket_id from {{ relation }}
        where agent_id in (select agent_id from {{ agents }} where {{ newer }})
        {%- endfor %}
        {%- for relation in agent_models %}
        union
        select ticket_id from {{ events }}
        where agent_id in (select agent_id from {{ relation }} where {{ newer }})
        {%- endfor %}
        {%- for relation in whole_models %}
        union
        select ticket_id from {{ tickets }}
        where exists (select 1 from {{ relation }} where {{ newer }})
        {%- endfor %}
        {%- if recompute_where %}
        union
        select ticket_id from {{ this }} where {{ recompute_where }}
        {%- endif %}
    )
    {%- endif -%}
{% endmacro %}
