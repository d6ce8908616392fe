{#- KPIs that pull against each other, side by side: one row per pair
    (pair_id), grain (week, month), period_start and scope (overall, team,
    agent), where both KPIs of the pair have a value. The pairs are declared
    once in macros/kpi/kpi_balance_pairs.sql; values, targets and statuses
    come from marts.kpi_values. -#}

{{ config(contract={'enforced': true}) }}

with

kpi_values as (

    select * from {{ ref('kpi_values') }}

),

balance_pairs as (

    {{ kpi_balance_pairs_relation() }}

),

balance_values as (

    select * from kpi_values
    where
        grain in ('week', 'month')
        and scope_type in ('overall', 'team', 'agent')
        and value is not null

),

paired_values as (

    select
        balance_pairs.pair_id,
        balance_pairs.kpi_id_a,
        balance_pairs.kpi_id_b,
        values_a.grain,
        values_a.period_start,
        values_a.scope_type,
        values_a.scope_value,
        values_a.value as value_a,
        values_a.target as target_a,
        values_a.status as status_a,
        values_b.value as value_b,
        values_b.target as target_b,
        values_b.status as status_b
    from balance_pairs
    inner join balance_values as values_a
        on balance_pairs.kpi_id_a = values_a.kpi_id
    inner join balance_values as values_b
        on
        balance_pairs.kpi_id_b = values_b.kpi_id
        and values_a.grain = values_b.grain
        and values_a.period_start = values_b.period_start
        and values_a.scope_type = values_b.scope_type
        and values_a.scope_value = values_b.scope_value

),

final as (

    select
        cast(pair_id as {{ dbt.type_string() }}) as pair_id,
        cast(kpi_id_a as {{ dbt.type_string() }}) as kpi_id_a,
        cast(kpi_id_b as {{ dbt.type_string() }}) as kpi_id_b,
        cast(grain as {{ dbt.type_string() }}) as grain,
        cast(period_start as date) as period_start,
        cast(scope_type as {{ dbt.type_string() }}) as scope_type,
        cast(scope_value as {{ dbt.type_string() }}) as scope_value,
        cast(value_a as {{ type_double() }}) as value_a,
        cast(target_a as {{ type_double() }}) as target_a,
        cast(status_a as {{ dbt.type_string() }}) as status_a,
        cast(value_b as {{ type_double() }}) as value_b,
        cast(target_b as {{ type_double() }}) as target_b,
        cast(status_b as {{ dbt.type_string() }}) as status_b
    from paired_values

)

select * from final
