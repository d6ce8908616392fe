{#- The units of self_service_ratio, one row each: an article view (topic =
    the article's topic) or a non-merged ticket created (topic = the ticket's
    topic), both dated in the default schedule's time zone. Each row carries
    only its own count; the KPI sums them per period and scope. Without any
    article view loaded (the optional article_views table absent) there are
    no ticket units either: the ratio is unknown, not 0.

    A view: a projection of two incremental models, cheaper to read where
    the KPI needs it than to write again (39M rows at the 10M tier) in every
    build. `_refreshed_at` is the source row's, so tests read the rows of the
    sources' newest build (macros/incremental/get_where_subquery.sql). -#}
{{ config(materialized='view') }}

with

views as (

    select * from {{ ref('int_article_views__deflection') }}

),

tickets as (

    {#- No ticket unit without any article view. The relation, not the
        `views` CTE: a CTE read twice is materialized whole (DuckDB), and a
        filter on this view (the scoped tests' `_refreshed_at`) then no
        longer reaches the table's zone maps (10M tier: 8 s against 2 s for
        the key test). #}
    select * from {{ ref('fct_tickets') }}
    where
        not is_merged
        and exists (select view_id from {{ ref('int_article_views__deflection') }})

),

default_schedule as (

    select * from {{ ref('int_schedules__time_zones') }}
    where schedule_id = '{{ var("default_schedule_id") }}'

),

final as (

    select
        'article_view' as self_service_unit_source,
        view_id as self_service_unit_id,
        viewed_local_date as self_service_local_date,
        topic,
        1 as article_view_count,
        0 as ticket_count,
        _refreshed_at
    from views

    union all

    select
        'ticket' as self_service_unit_source,
        tickets.ticket_id as self_service_unit_id,
        {{ local_date_of('tickets.created_at', 'default_schedule.time_zone') }} as self_service_local_date,
        tickets.topic,
        0 as article_view_count,
        1 as ticket_count,
        tickets._refreshed_at
    from tickets
    cross join default_schedule

)

select * from final
