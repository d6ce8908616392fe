with base as (

    select * from {{ ref('base_helpdesk__teams') }}

),

staged as (

    select * from base
    where
        _quarantine_reason is null
        and not _is_superseded

),

final as (

    select
        team_id,
        team_name,
        schedule_id,
        updated_at,
        {{ contract_extra_columns('helpdesk', 'teams') }}
        _load_id,
        _refreshed_at
    from staged

)

select * from final
