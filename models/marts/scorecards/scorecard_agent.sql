{#- Agent scorecard: one row per agent, grain and period in which the agent
    has a value for at least one of the agent KPIs (contacts_per_hour,
    solved_per_agent_day, qa_score, csat, aht) at agent scope, with each
    KPI's value, target and status read from marts.kpi_values (nothing is
    recomputed). Identifiers only: no names or emails. -#}

{{ config(contract={'enforced': true}) }}

{%- set kpis = scorecard_kpis('agent') %}

with

kpi_values as (

    select * from {{ ref('kpi_values') }}

),

agents as (

    select * from {{ ref('dim_agents') }}

),

agent_rows as (

    select
        scope_value as agent_id,
        grain,
        period_start,
        kpi_id,
        value,
        target,
        status
    from kpi_values
    where scope_type = 'agent'

),

pivoted as (

    {{ kpi_scorecard_pivot('agent_rows', kpis, ['agent_id', 'grain', 'period_start']) }}

),

final as (

    select
        pivoted.agent_id,
        agents.team_id as current_team_id,
        pivoted.grain,
        pivoted.period_start,
        {{ kpi_scorecard_columns('pivoted', kpis) }}
    from pivoted
    left join agents
        on pivoted.agent_id = agents.agent_id

)

select * from final
