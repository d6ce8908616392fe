with base as (

    select * from {{ ref('base_helpdesk__agents') }}

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
        agent_name,
        email,
        team_id,
        role as agent_role,
        hire_date,
        termination_date,
        hourly_cost,
        updated_at,
        {{ contract_extra_columns('helpdesk', 'agents') }}
        _load_id,
        _refreshed_at
    from staged

)

select * from final
