with base as (

    select * from {{ ref('base_commerce__orders') }}

),

staged as (

    select * from base
    where
        _quarantine_reason is null
        and not _is_superseded

),

final as (

    select
        order_id,
        customer_id,
        ordered_at,
        amount,
        contact_type,
        contact_id,
        {{ contract_extra_columns('commerce', 'orders') }}
        _load_id,
        _refreshed_at
    from staged

)

select * from final
