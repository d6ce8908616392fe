{#- One row per KPI pair (pair_id), grain and scope (scope_type,
    scope_value): the Pearson correlation of the two KPIs across the periods
    of marts.kpi_balance where both have a value, and how many periods that
    is. correlation is NULL with fewer than 3 periods or when either KPI does
    not vary. -#}

{{ config(contract={'enforced': true}) }}

{%- set minimum_periods = 3 %}

with

kpi_balance as (

    select * from {{ ref('kpi_balance') }}

),

balance_pairs as (

    {{ kpi_balance_pairs_relation() }}

),

pair_statistics as (

    select
        pair_id,
        kpi_id_a,
        kpi_id_b,
        grain,
        scope_type,
        scope_value,
        count(*) as periods_counted,
        min(period_start) as first_period_start,
        max(period_start) as last_period_start,
        stddev_samp(value_a) as stddev_a,
        stddev_samp(value_b) as stddev_b,
        corr(value_a, value_b) as raw_correlation
    from kpi_balance
    group by pair_id, kpi_id_a, kpi_id_b, grain, scope_type, scope_value

),

final as (

    select
        cast(pair_statistics.pair_id as {{ dbt.type_string() }}) as pair_id,
        cast(pair_statistics.kpi_id_a as {{ dbt.type_string() }}) as kpi_id_a,
        cast(pair_statistics.kpi_id_b as {{ dbt.type_string() }}) as kpi_id_b,
        cast(balance_pairs.tension as {{ dbt.type_string() }}) as tension,
        cast(pair_statistics.grain as {{ dbt.type_string() }}) as grain,
        cast(pair_statistics.scope_type as {{ dbt.type_string() }}) as scope_type,
        cast(pair_statistics.scope_value as {{ dbt.type_string() }}) as scope_value,
        cast(pair_statistics.periods_counted as {{ dbt.type_int() }}) as periods_counted,
        cast(pair_statistics.first_period_start as date) as first_period_start,
        cast(pair_statistics.last_period_start as date) as last_period_start,
        cast(
            case
                when
                    pair_statistics.periods_counted >= {{ minimum_periods }}
                    and pair_statistics.stddev_a > 0
                    and pair_statistics.stddev_b > 0
                    then pair_statistics.raw_correlation
            end
            as {{ type_double() }}
        ) as correlation
    from pair_statistics
    left join balance_pairs
        on pair_statistics.pair_id = balance_pairs.pair_id

)

select * from final
