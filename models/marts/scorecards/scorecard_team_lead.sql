{#- Team lead scorecard: one row per team, grain and period in which the
    team has a value for at least one of its KPIs at team scope: the agent
    set (contacts_per_hour, solved_per_agent_day, qa_score, csat, aht) plus
    turnaround_time, resolution_time, sla_first_reply_compliance and
    sla_resolution_compliance, each with value, target and status read from
    marts.kpi_values (nothing is recomputed). -#}

{{ config(contract={'enforced': true}) }}

{%- set kpis = scorecard_kpis('team_lead') %}

with

kpi_values as (

    select * from {{ ref('kpi_values') }}

),

team_rows as (

    select
        scope_value as team_id,
        grain,
        period_start,
        kpi_id,
        value,
        target,
        status
    from kpi_values
    where scope_type = 'team'

),

pivoted as (

    {{ kpi_scorecard_pivot('team_rows', kpis, ['team_id', 'grain', 'period_start']) }}

),

final as (

    select
        pivoted.team_id,
        pivoted.grain,
        pivoted.period_start,
        {{ kpi_scorecard_columns('pivoted', kpis) }}
    from pivoted

)

select * from final
