{#- The where clause of the view-keyed incremental model (deflection,
    delete+insert on view_id): in an incremental run the article views whose
    row the build may change; nothing in a full build. Rows written since the
    model's newest `_refreshed_at` (this build's) say what changed.

    A view is touched when
      - its own row was rewritten (a new version, or a view quarantined for an
        unknown article or customer that became valid);
      - its article was (the view's topic);
      - a contact of its customer in its window was: a ticket or call whose
        versions the base models rewrote, under the customer and at the
        instant of every version (a contact that moves to another customer or
        instant, or stops being a contact, changes the follow-up of the views
        of both), when that instant lies in (viewed_at, viewed_at +
        deflection_window_hours], the window the model's follow-up search
        reads (both through deflection_follow_up_condition). A view's older
        or later contacts say nothing about it: a correction to a ticket
        touches the views of the day before it, not every view of its
        customer. What makes a ticket or call a contact of a customer at an
        instant (customer_id, created_at and merged_into_ticket_id;
        customer_id, direction and offered_at) is on its own row, so the
        facts' re-reads of tickets whose SLA is pending touch nothing here.
    Every view is touched when a load newer than the model's newest
    `_load_id` brought schedules (the default schedule's time zone dates every
    view): by `_load_id`, as touched_ticket_filter does, because the base
    model of a reference table rewrites its rows (seed defaults included) in
    every build. -#}
{% macro touched_view_filter(column='view_id') %}
    {%- set incremental = execute and this is not none and is_incremental() -%}
    {%- if not execute or incremental -%}
    {%- set views = ref('stg_knowledge_base__article_views') -%}
    {%- set articles = ref('stg_knowledge_base__help_articles') -%}
    {%- set ticket_versions = ref('base_helpdesk__tickets') -%}
    {%- set call_versions = ref('base_telephony__calls') -%}
    {%- set schedules = ref('base_reference__schedules') -%}
    {%- endif -%}
    {%- if incremental -%}
    {%- set newer = refreshed_since_watermark() %}
    where {{ column }} in (
        select view_id from {{ views }} where {{ newer }}
        union
        select view_id from {{ views }}
        where article_id in (select article_id from {{ articles }} where {{ newer }})
        union
        select touched_views.view_id
        from {{ views }} as touched_views
        inner join (
            select customer_id, created_at as contacted_at from {{ ticket_versions }}
            where ticket_id in (select ticket_id from {{ ticket_versions }} where {{ newer }})
            union all
            select customer_id, offered_at as contacted_at from {{ call_versions }}
            where call_id in (select call_id from {{ call_versions }} where {{ newer }})
        ) as contact_versions
            on {{ deflection_follow_up_condition('touched_views', 'contact_versions') }}
        union
        select view_id from {{ views }}
        where exists (
            select 1 from {{ schedules }}
            where {{ loaded_since_watermark() }}
        )
    )
    {%- endif -%}
{% endmacro %}
