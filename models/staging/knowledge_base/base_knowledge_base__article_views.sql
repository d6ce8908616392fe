{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy="delete+insert",
    unique_key=["view_id"],
    on_schema_change="fail",
) }}
{{ contract_checked_source('knowledge_base', 'article_views') }}
