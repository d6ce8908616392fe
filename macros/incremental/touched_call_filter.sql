{#- The where clause of the call-keyed incremental models (delete+insert on
    call_id), as touched_ticket_filter is for tickets: in an incremental run
    the calls that the rows the base models rewrote since the calling model's
    newest `_refreshed_at` touch; nothing in a full build.

    A call is touched when the base models rewrote
      - a version of the call (every version of a call with a new one);
      - a version of the ticket one of its versions links to (the call's topic
        is its ticket's; a call quarantined for an unknown ticket becomes
        valid when the ticket arrives);
      - a row of a `via_agents` model for its agent (its team at the call;
        a call quarantined for an unknown agent becomes valid when the agent
        arrives).
    Every call is touched when one of `recompute_all_when` (teams, schedules:
    every call's schedule and local dates) has a load newer than the model's
    newest `_load_id`. Seeds change only with the project's code, which needs
    a full build anyway. -#}
{% macro touched_call_filter(
    column='call_id',
    via_agents=['base_helpdesk__agents', 'base_helpdesk__agent_team_history'],
    recompute_all_when=[]
) %}
    {%- set incremental = execute and this is not none and is_incremental() -%}
    {%- if not execute or incremental -%}
    {%- set calls = ref('base_telephony__calls') -%}
    {%- set tickets = ref('base_helpdesk__tickets') -%}
    {%- set agent_models = refs(via_agents) -%}
    {%- set whole_models = refs(recompute_all_when) -%}
    {%- endif -%}
    {%- if incremental -%}
    {%- set refreshed = refreshed_since_watermark() -%}
    {%- set newer_load = loaded_since_watermark() if whole_models else none %}
    where {{ column }} in (
        select call_id from {{ calls }} where {{ refreshed }}
        union
        select call_id from {{ calls }}
        where ticket_id in (select ticket_id from {{ tickets }} where {{ refreshed }})
        {%- for relation in agent_models %}
        union
        select call_id from {{ calls }}
        where agent_id in (select agent_id from {{ relation }} where {{ refreshed }})
        {%- endfor %}
        {%- for relation in whole_models %}
        union
        select call_id from {{ calls }}
        where exists (select 1 from {{ relation }} where {{ newer_load }})
        {%- endfor %}
    )
    {%- endif -%}
{% endmacro %}
