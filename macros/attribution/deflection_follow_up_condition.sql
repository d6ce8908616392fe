{#- The join condition of a deflection follow-up (docs/kpi_decisions.md,
    "Cost, self-service, loyalty, workforce"): a contact of the view's
    customer whose instant lies in (viewed_at, viewed_at +
    deflection_window_hours]. `view` and `contact` are the aliases of a
    relation with customer_id and viewed_at and of one with customer_id and
    contacted_at, e.g.
        from views
        inner join customer_contacts
            on {{ deflection_follow_up_condition('views', 'customer_contacts') }}
    The one definition of the window: int_article_views__deflection's
    follow-up search and touched_view_filter (the views a contact version can
    change) must agree, or an incremental build misses a view the model would
    change. An equi-join on the customer with a range filter: linear in views
    x contacts of the same customer. -#}
{% macro deflection_follow_up_condition(view, contact) %}
    {{ view }}.customer_id = {{ contact }}.customer_id
    and {{ view }}.viewed_at < {{ contact }}.contacted_at
    and {{ contact }}.contacted_at
    <= {{ dbt.dateadd('hour', var('deflection_window_hours'), view ~ '.viewed_at') }}
{%- endmacro %}
