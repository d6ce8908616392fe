{#- The one mechanism of the ticket-keyed incremental models: in an incremental
    run, a `where` clause keeping the rows of the tickets that the rows the
    base models rewrote since the calling model's newest `_refreshed_at`
    touch; nothing in a full build.

    A base model rewrites every version of each key a newer load brought
    (it ranks them again), and each row it re-checks for an unknown parent
    key, so its rows stamped after the watermark are every version of what
    changed. A ticket is touched when the base models rewrote
      - a version of the ticket, or of one of its events (every version of an
        event counts, so an event moved to another ticket refreshes both);
      - a row of a `via_agents` model for an agent acting in one of its events:
        agents themselves (an event quarantined for an unknown agent becomes
        valid when the agent arrives, without a new version of its own; the
        events' other contract reference, tickets, is covered above) and
        whatever agent table the model reads, such as team history;
      - a version of a row of a `via_linked_rows` model linking to the
        ticket, such as a call, or a row of the agent such a row references
        (a call quarantined for an unknown agent becomes valid when the agent
        arrives).
    The watermark is a literal (incremental_watermark), so the engine reads
    only the row groups written after it (zone maps): no scan of every event
    version for the ticket ids of the new ones.

    Every ticket is touched when one of `recompute_all_when` (small reference
    tables every ticket depends on, such as teams or schedules) has a load
    newer than the model's newest `_load_id` (by load: a reference table's
    base model rewrites its rows in every build). `recompute_where` is a
    condition on the model's own rows that are re-read in every run whatever
    the loads: a status judged at the as-of time ('pending' until its deadline
    passes) changes without any new row.

    Seeds (`_load_id` 'seed') change only with the project's code, and code
    changes need a full build anyway. Refs are resolved at parse time too, so
    dbt knows the dependencies although only incremental runs use them.

    In a full build of a model built in parts (full_build_parts.sql), the
    condition keeping the first part's tickets; nothing otherwise. -#}
{% macro touched_ticket_filter(
    column='ticket_id',
    via_agents=['base_helpdesk__agents'],
    recompute_all_when=[],
    via_linked_rows=[],
    recompute_where=none
) %}
    {#- Refs at parse time (dependencies) and in incremental runs only: a unit
        test of the calling model (no `this`) need not give these inputs. -#}
    {%- set incremental = execute and this is not none and is_incremental() -%}
    {%- if not execute or incremental -%}
    {%- set tickets = ref('base_helpdesk__tickets') -%}
    {%- set events = ref('base_helpdesk__ticket_events') -%}
    {%- set agents = ref('base_helpdesk__agents') -%}
    {%- set agent_models = refs(via_agents) -%}
    {%- set whole_models = refs(recompute_all_when) -%}
    {%- set linked_models = refs(via_linked_rows) -%}
    {%- endif -%}
    {%- if incremental -%}
    {%- set refreshed = refreshed_since_watermark() -%}
    {%- set newer_load = loaded_since_watermark() if whole_models else none %}
    where {{ column }} in (
        select ticket_id from {{ tickets }} where {{ refreshed }}
        union
        select ticket_id from {{ events }} where {{ refreshed }}
        {%- for relation in linked_models %}
        union
        select ticket_id from {{ relation }} where {{ refreshed }}
        union
        select ticket_id from {{ relation }}
        where agent_id in (select agent_id from {{ agents }} where {{ refreshed }})
        {%- endfor %}
        {%- for relation in agent_models %}
        union
        select ticket_id from {{ events }}
        where agent_id in (select agent_id from {{ relation }} where {{ refreshed }})
        {%- endfor %}
        {%- for relation in whole_models %}
        union
        select ticket_id from {{ tickets }}
        where exists (select 1 from {{ relation }} where {{ newer_load }})
        {%- endfor %}
        {%- if recompute_where %}
        union
        select ticket_id from {{ this }} where {{ recompute_where }}
        {%- endif %}
    )
    {%- else -%}
    {{ full_build_part_filter(column) }}
    {%- endif -%}
{% endmacro %}
