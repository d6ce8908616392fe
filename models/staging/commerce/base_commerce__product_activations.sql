{{ config(materialized="table") }}
{{ contract_checked_source('commerce', 'product_activations') }}
