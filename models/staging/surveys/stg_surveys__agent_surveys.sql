with base as (

    select * from {{ ref('base_surveys__agent_surveys') }}

),

staged as (

    select * from base
    where
        _quarantine_reason is null
        and not _is_superseded

),

final as (

    select
        response_id,
        agent_id,
        team_id,
        survey_date,
        satisfaction,
        enps,
        {{ contract_extra_columns('surveys', 'agent_surveys') }}
        _load_id,
        _refreshed_at
    from staged

)

select * from final
