{{ config(materialized="table") }}
{{ contract_checked_source('knowledge_base', 'article_views') }}
