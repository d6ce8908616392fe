with base as (

    select * from {{ ref('base_knowledge_base__article_views') }}

),

staged as (

    select * from base
    where
        _quarantine_reason is null
        and not _is_superseded

),

final as (

    select
        view_id,
        article_id,
        customer_id,
        session_id,
        viewed_at,
        read_seconds,
        marked_helpful as is_marked_helpful,
        {{ contract_extra_columns('knowledge_base', 'article_views') }}
        _load_id,
        _refreshed_at
    from staged

)

select * from final
