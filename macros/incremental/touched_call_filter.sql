{#- The where clause of the call-keyed incremental models (delete+insert on
    call_id), as touched_ticket_filter is for tickets: in an incremental run
    the calls that loads newer than the calling model's newest `_load_id`
    touched; nothing in a full build.

    A call is touched when a newer load brought
      - a version of the call;
      - a version of the ticket one of its versions links to (the call's topic
        is its ticket's; a call quarantined for an unknown ticket becomes
        valid when the ticket arrives);
      - a row of a `via_agents` model for its agent (its team at the call;
        a call quarantined for an unknown agent becomes valid when the agent
        arrives).
    Every call is touched when one of `recompute_all_when` (teams, schedules:
    every call's schedule and local dates) has a newer load. Seeds change only
    with the project's code, which needs a full build anyway. -#}
{% macro touched_call_filter(
    column='call_id',
    via_agents=['base_helpdesk__agents', 'base_helpdesk__agent_team_history'],
    recompute_all_when=[]
) %}
    {%- set incremental = execute and this is not none and is_incremental() -%}
    {%- if not execute or incremental -%}
    {%- set calls = ref('base_telephony__calls') -%}
    {%- set tickets = ref('base_helpdesk__tickets') -%}
    {%- set agent_models = [] -%}
    {%- set whole_models = [] -%}
    {%- for model in via_agents -%}{%- do agent_models.append(ref(model)) -%}{%- endfor -%}
    {%- for model in recompute_all_when -%}{%- do whole_models.append(ref(model)) -%}{%- endfor -%}
    {%- endif -%}
    {%- if incremental -%}
    {%- set newer -%}
        _load_id > (select coalesce(max(_load_id), '') from {{ this }}) and _load_id <> 'seed'
    {%- endset %}
    where {{ column }} in (
        select call_id from {{ calls }} where {{ newer }}
        union
        select call_id from {{ calls }}
        where ticket_id in (select ticket_id from {{ tickets }} where {{ newer }})
        {%- for relation in agent_models %}
        union
        select call_id from {{ calls }}
        where agent_id in (select agent_id from {{ relation }} where {{ newer }})
        {%- endfor %}
        {%- for relation in whole_models %}
        union
        select call_id from {{ calls }}
        where exists (select 1 from {{ relation }} where {{ newer }})
        {%- endfor %}
    )
    {%- endif -%}
{% endmacro %}
