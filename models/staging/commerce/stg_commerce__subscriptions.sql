with base as (

    select * from {{ ref('base_commerce__subscriptions') }}

),

staged as (

    select * from base
    where
        _quarantine_reason is null
        and not _is_superseded

),

final as (

    select
        subscription_id,
        customer_id,
        product,
        term_start,
        term_end,
        renewed as is_renewed,
        updated_at,
        {{ contract_extra_columns('commerce', 'subscriptions') }}
        _load_id,
        _refreshed_at
    from staged

)

select * from final
