with base as (

    select * from {{ ref('base_workforce__agent_intervals') }}

),

staged as (

    select * from base
    where
        _quarantine_reason is null
        and not _is_superseded

),

final as (

    select
        agent_id,
        interval_start,
        scheduled_seconds,
        logged_in_seconds,
        available_seconds,
        handling_seconds,
        aux_seconds,
        absent_seconds,
        {{ contract_extra_columns('workforce', 'agent_intervals') }}
        _load_id,
        _refreshed_at
    from staged

)

select * from final
