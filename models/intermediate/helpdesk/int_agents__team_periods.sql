{#- When each agent belonged to which team: agent_team_history when it has
    rows for the agent, plus the agent's current team (agents.team_id) as the
    fallback for instants no history row covers. -#}

with

history as (

    select * from {{ ref('stg_helpdesk__agent_team_history') }}

),

agents as (

    select * from {{ ref('stg_helpdesk__agents') }}

),

final as (

    select
        agent_id,
        team_id,
        valid_from,
        valid_to,
        1 as attribution_priority
    from history

    union all

    select
        agent_id,
        team_id,
        cast(null as {{ dbt.type_timestamp() }}) as valid_from,
        cast(null as {{ dbt.type_timestamp() }}) as valid_to,
        2 as attribution_priority
    from agents
    where team_id is not null

)

select * from final
