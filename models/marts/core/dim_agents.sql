{#- One row per agent: role, current team, employment dates and loaded cost.
    Names and emails stay in staging (privacy: nothing personal in marts). -#}

with

agents as (

    select * from {{ ref('stg_helpdesk__agents') }}

),

final as (

    select
        agent_id,
        team_id,
        agent_role,
        hire_date,
        termination_date,
        termination_date is null as is_employed,
        hourly_cost
    from agents

)

select * from final
