with base as (

    select * from {{ ref('base_finance__costs') }}

),

staged as (

    select * from base
    where
        _quarantine_reason is null
        and not _is_superseded

),

final as (

    select
        cost_month,
        team_id,
        cost_type,
        amount,
        currency,
        {{ contract_extra_columns('finance', 'costs') }}
        _load_id,
        _refreshed_at
    from staged

)

select * from final
