{#- Trainer scorecard: training_error_share and critical_error_rate, one
    row per scope (overall, team), grain and period in which one of them
    has a value, with value, target and status read from
    marts.kpi_values (nothing is recomputed). -#}

{{ config(contract={'enforced': true}) }}

{%- set kpis = scorecard_kpis('trainer') %}

with

kpi_values as (

    select * from {{ ref('kpi_values') }}

),

scoped_rows as (

    select * from kpi_values
    where scope_type in ('overall', 'team')

),

pivoted as (

    {{ kpi_scorecard_pivot('scoped_rows', kpis, ['scope_type', 'scope_value', 'grain', 'period_start']) }}

),

final as (

    select
        pivoted.scope_type,
        pivoted.scope_value,
        pivoted.grain,
        pivoted.period_start,
        {{ kpi_scorecard_columns('pivoted', kpis) }}
    from pivoted

)

select * from final
