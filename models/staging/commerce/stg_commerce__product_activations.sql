with base as (

    select * from {{ ref('base_commerce__product_activations') }}

),

staged as (

    select * from base
    where
        _quarantine_reason is null
        and not _is_superseded

),

final as (

    select
        customer_id,
        product,
        purchased_at,
        activated_at,
        {{ contract_extra_columns('commerce', 'product_activations') }}
        _load_id,
        _refreshed_at
    from staged

)

select * from final
