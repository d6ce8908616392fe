with base as (

    select * from {{ ref('base_knowledge_base__help_articles') }}

),

staged as (

    select * from base
    where
        _quarantine_reason is null
        and not _is_superseded

),

final as (

    select
        article_id,
        title,
        topic,
        published_at,
        updated_at,
        {{ contract_extra_columns('knowledge_base', 'help_articles') }}
        _load_id,
        _refreshed_at
    from staged

)

select * from final
