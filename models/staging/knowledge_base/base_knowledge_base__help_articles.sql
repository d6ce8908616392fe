{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy="delete+insert",
    unique_key=["article_id"],
    on_schema_change="fail",
) }}
{{ contract_checked_source('knowledge_base', 'help_articles') }}
