{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy="delete+insert",
    unique_key=["view_id"],
    on_schema_change="fail",
) }}
{#- One row per article view: the article's topic, the view's local date in
    the default schedule, its read seconds, and whether it was deflected
    (docs/kpi_decisions.md, "Cost, self-service, loyalty, workforce"): a view
    by an identified customer is deflected when that customer created no
    non-merged ticket and was offered no inbound call in
    (viewed_at, viewed_at + deflection_window_hours]. Views without a
    customer are not identified and never deflected.

    The follow-up search (deflection_follow_up_condition) equi-joins views
    to the customer's contacts on customer_id, then applies the time window:
    linear in views x contacts of the same customer, never views x all
    contacts.

    Incremental by view (touched_view_filter): a view is re-read when it, its
    article, or a ticket or call of its customer was rewritten; every view
    when the schedules change. -#}

with

views as (

    select * from {{ ref('stg_knowledge_base__article_views') }}
    {{ touched_view_filter() }}

),

articles as (

    select * from {{ ref('stg_knowledge_base__help_articles') }}

),

tickets as (

    select * from {{ ref('fct_tickets') }}
    where not is_merged

),

calls as (

    select * from {{ ref('fct_calls') }}
    where is_inbound

),

default_schedule as (

    select * from {{ ref('int_schedules__time_zones') }}
    where schedule_id = '{{ var("default_schedule_id") }}'

),

customer_contacts as (

    select
        customer_id,
        created_at as contacted_at
    from tickets
    where customer_id is not null

    union all

    select
        customer_id,
        offered_at as contacted_at
    from calls
    where customer_id is not null

),

followed_up_views as (

    select distinct views.view_id
    from views
    inner join customer_contacts
        on {{ deflection_follow_up_condition('views', 'customer_contacts') }}

),

final as (

    select
        views.view_id,
        views.article_id,
        articles.topic,
        views.customer_id,
        views.session_id,
        views.viewed_at,
        {{ local_date_of('views.viewed_at', 'default_schedule.time_zone') }} as viewed_local_date,
        views.read_seconds,
        views.is_marked_helpful,
        views.customer_id is not null as is_identified,
        followed_up_views.view_id is not null as is_followed_by_contact,
        views.customer_id is not null and followed_up_views.view_id is null as is_deflected,
        views._load_id,
        {{ build_started_at() }} as _refreshed_at
    from views
    cross join default_schedule
    left join articles
        on views.article_id = articles.article_id
    left join followed_up_views
        on views.view_id = followed_up_views.view_id

)

select * from final
