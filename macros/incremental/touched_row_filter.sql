{#- The where clause of the incremental models keyed by a row that names an
    agent and maybe a ticket (delete+insert on its key: calls, survey
    responses, agent intervals), as touched_ticket_filter is for tickets: in
    an incremental run the keys that the rows the base models rewrote since
    the calling model's newest `_refreshed_at` touch; nothing in a full
    build.

    A key is touched when the base models rewrote
      - a version of its row in `versions` (every version of a key with a new
        one; a row quarantined for an unknown parent is rewritten when the
        parent arrives);
      - a version of the ticket one of its versions links to (`ticket_link`,
        an expression over `versions`, if given: a call's topic and a survey
        response's team and channel are its ticket's);
      - a row of a `via_agents` model for its agent (`agent_link`: the agent's
        team at the row's instant).
    Every key is touched when one of `recompute_all_when` (teams, schedules:
    every row's schedule and local dates) has a load newer than the model's
    newest `_load_id`. Seeds change only with the project's code, which needs
    a full build anyway. `key` may name several columns ('agent_id,
    interval_start'): the filter compares them as a row. -#}
{% macro touched_row_filter(
    versions,
    key,
    ticket_link=none,
    agent_link='agent_id',
    column=none,
    via_agents=['base_helpdesk__agents', 'base_helpdesk__agent_team_history'],
    recompute_all_when=['base_helpdesk__teams', 'base_reference__schedules']
) %}
    {%- set incremental = execute and this is not none and is_incremental() -%}
    {%- if not execute or incremental -%}
    {%- set rows = ref(versions) -%}
    {%- set tickets = ref('base_helpdesk__tickets') -%}
    {%- set agent_models = refs(via_agents) -%}
    {%- set whole_models = refs(recompute_all_when) -%}
    {%- endif -%}
    {%- if incremental -%}
    {%- set refreshed = refreshed_since_watermark() -%}
    {%- set newer_load = loaded_since_watermark() if whole_models else none %}
    where ({{ column or key }}) in (
        select {{ key }} from {{ rows }} where {{ refreshed }}
        {%- if ticket_link %}
        union
        select {{ key }} from {{ rows }}
        where {{ ticket_link }} in (select ticket_id from {{ tickets }} where {{ refreshed }})
        {%- endif %}
        {%- for relation in agent_models %}
        union
        select {{ key }} from {{ rows }}
        where {{ agent_link }} in (select agent_id from {{ relation }} where {{ refreshed }})
        {%- endfor %}
        {%- for relation in whole_models %}
        union
        select {{ key }} from {{ rows }}
        where exists (select 1 from {{ relation }} where {{ newer_load }})
        {%- endfor %}
    )
    {%- endif -%}
{% endmacro %}
