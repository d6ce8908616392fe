with base as (

    select * from {{ ref('base_telephony__calls') }}

),

staged as (

    select * from base
    where
        _quarantine_reason is null
        and not _is_superseded

),

final as (

    select
        call_id,
        queue,
        direction,
        customer_id,
        ticket_id,
        agent_id,
        offered_at,
        answered_at,
        abandoned_at,
        ended_at,
        talk_seconds,
        hold_seconds,
        acw_seconds,
        transferred_to_queue,
        updated_at,
        {{ contract_extra_columns('telephony', 'calls') }}
        _load_id,
        _refreshed_at
    from staged

)

select * from final
