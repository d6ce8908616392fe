{#- One row per agent and month of the loaded data (int_load__months): the
    agent's team (agents.team_id), whether the agent was terminated in the
    month, and the agent's share of the month's mean headcount: (employed on
    the first day + employed on the last day) / 2, where employed on a day =
    hired on or before it and not terminated before it (termination_date >=
    day or NULL). The unit of agent_attrition_rate. -#}

with

agents as (

    select * from {{ ref('stg_helpdesk__agents') }}

),

months as (

    select * from {{ ref('int_load__months') }}

),

agent_month_days as (

    select
        agents.agent_id,
        agents.team_id,
        months.month_start,
        months.month_end,
        agents.hire_date,
        agents.termination_date,
        case
            when
                agents.hire_date <= months.month_start
                and (agents.termination_date is null or agents.termination_date >= months.month_start)
                then 1
            else 0
        end as is_employed_at_month_start,
        case
            when
                agents.hire_date <= months.month_end
                and (agents.termination_date is null or agents.termination_date >= months.month_end)
                then 1
            else 0
        end as is_employed_at_month_end
    from agents
    cross join months

),

final as (

    select
        agent_id,
        team_id,
        month_start,
        month_end,
        hire_date,
        termination_date,
        is_employed_at_month_start,
        is_employed_at_month_end,
        (is_employed_at_month_start + is_employed_at_month_end) / 2.0 as headcount_share,
        case
            when termination_date >= month_start and termination_date <= month_end then 1
            else 0
        end as is_terminated_in_month
    from agent_month_days

)

select * from final
