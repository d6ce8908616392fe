{#- The where clause of the view-keyed incremental model (deflection,
    delete+insert on view_id): in an incremental run the article views whose
    row the build may change; nothing in a full build. Rows written since the
    model's newest `_refreshed_at` (this build's) say what changed.

    A view is touched when
      - its own row was rewritten (a new version, or a view quarantined for an
        unknown article or customer that became valid);
      - its article was (the view's topic);
      - a contact of its customer was: a ticket fct_tickets or a call
        fct_calls rewrote, under the customer of every version of that ticket
        or call (a contact that moves to another customer, or stops being a
        contact, changes the follow-up of both customers' views).
    Every view is touched when the schedules changed (the default schedule's
    time zone dates every view). -#}
{% macro touched_view_filter(column='view_id') %}
    {%- set incremental = execute and this is not none and is_incremental() -%}
    {%- if not execute or incremental -%}
    {%- set views = ref('stg_knowledge_base__article_views') -%}
    {%- set articles = ref('stg_knowledge_base__help_articles') -%}
    {%- set tickets = ref('fct_tickets') -%}
    {%- set calls = ref('fct_calls') -%}
    {%- set ticket_versions = ref('base_helpdesk__tickets') -%}
    {%- set call_versions = ref('base_telephony__calls') -%}
    {%- set schedules = ref('base_reference__schedules') -%}
    {%- endif -%}
    {%- if incremental -%}
    {%- set newer -%}
        _refreshed_at > (select coalesce(max(_refreshed_at), cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }})) from {{ this }})
    {%- endset %}
    where {{ column }} in (
        select view_id from {{ views }} where {{ newer }}
        union
        select view_id from {{ views }}
        where article_id in (select article_id from {{ articles }} where {{ newer }})
        union
        select view_id from {{ views }}
        where customer_id in (
            select customer_id from {{ ticket_versions }}
            where ticket_id in (select ticket_id from {{ tickets }} where {{ newer }})
            union
            select customer_id from {{ call_versions }}
            where call_id in (select call_id from {{ calls }} where {{ newer }})
        )
        union
        select view_id from {{ views }}
        where exists (select 1 from {{ schedules }} where {{ newer }})
    )
    {%- endif -%}
{% endmacro %}
