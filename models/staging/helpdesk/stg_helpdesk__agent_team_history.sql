with base as (

    select * from {{ ref('base_helpdesk__agent_team_history') }}

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
        team_id,
        valid_from,
        valid_to,
        {{ contract_extra_columns('helpdesk', 'agent_team_history') }}
        _load_id,
        _refreshed_at
    from staged

)

select * from final
