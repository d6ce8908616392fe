{#- Erlang C staffing requirement (docs/spec/kpis.md, "Vars with defaults"):
    for each distinct (contacts, aht_seconds) pair of a relation, the smallest
    whole number of agents N > A = contacts x AHT / 1800 whose service level

        1 - P_wait(N, A) * exp(-(N - A) * threshold_seconds / AHT)

    reaches var('staffing_target_service_level_pct') / 100, with
    threshold = var('service_level_threshold_seconds').

    A query (not a CTE) returning `contacts_column`, `aht_column` and
    `erlang_c_agents`. Engine-portable: no recursion and no engine
    functions, only a dbt.generate_series spine of candidate agent counts k,
    window sums and ln/exp/sqrt/floor.

    P_wait in Poisson form (numerically stable for traffic in the hundreds):
      p_k      = exp(k ln A - ln k! - A)        Poisson probability of k,
                 ln k! = running sum of ln j over the spine
      cdf_N-1  = sum over k < N of p_k          (running window sum)
      c_N      = p_N * N / (N - A)
      P_wait   = c_N / (cdf_N-1 + c_N)
    which is the textbook A^N/N! * N/(N-A) / (sum_{k<N} A^k/k! + A^N/N! * N/(N-A))
    with numerator and denominator multiplied by e^-A.

    A = 0 (no contacts or AHT 0) needs no queue: N = 1. Pairs with a NULL
    input give no row. Candidates are searched up to
    floor(A) + 10 * sqrt(A) + 50 (far beyond any reachable target) and at most
    var('erlang_c_max_agents', 2000); a pair without a solution there gets
    NULL. -#}
{% macro erlang_c_agents(relation, contacts_column='forecast_contacts', aht_column='forecast_aht_seconds') %}
    {%- set max_agents = var('erlang_c_max_agents', 2000) -%}
    {%- set target = var('staffing_target_service_level_pct') -%}
    {%- set threshold = var('service_level_threshold_seconds') -%}

with erlang_c__workloads as (

    select distinct
        {{ contacts_column }},
        {{ aht_column }},
        cast({{ contacts_column }} as {{ type_double() }}) * {{ aht_column }} / 1800.0 as traffic_erlangs
    from {{ relation }}
    where {{ contacts_column }} is not null
        and {{ aht_column }} is not null

),

erlang_c__spine as (

    {{ dbt.generate_series(max_agents + 1) }}

),

erlang_c__candidates as (

    select
        generated_number - 1 as agent_count,
        sum(case when generated_number - 1 > 0 then ln(generated_number - 1) else 0 end)
            over (order by generated_number rows between unbounded preceding and current row) as ln_factorial
    from erlang_c__spine

),

erlang_c__poisson_terms as (

    select
        erlang_c__workloads.{{ contacts_column }},
        erlang_c__workloads.{{ aht_column }},
        erlang_c__workloads.traffic_erlangs,
        erlang_c__candidates.agent_count,
        case
            when erlang_c__candidates.agent_count * ln(erlang_c__workloads.traffic_erlangs)
                - erlang_c__candidates.ln_factorial - erlang_c__workloads.traffic_erlangs < -700 then 0
            else exp(
                erlang_c__candidates.agent_count * ln(erlang_c__workloads.traffic_erlangs)
                - erlang_c__candidates.ln_factorial - erlang_c__workloads.traffic_erlangs
            )
        end as poisson_probability
    from erlang_c__workloads
    inner join erlang_c__candidates
        on erlang_c__candidates.agent_count <= floor(erlang_c__workloads.traffic_erlangs)
            + 10 * sqrt(erlang_c__workloads.traffic_erlangs) + 50
    where erlang_c__workloads.traffic_erlangs > 0

),

erlang_c__cumulative as (

    select
        {{ contacts_column }},
        {{ aht_column }},
        traffic_erlangs,
        agent_count,
        poisson_probability,
        coalesce(
            sum(poisson_probability) over (
                partition by {{ contacts_column }}, {{ aht_column }}
                order by agent_count
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as poisson_cdf_below
    from erlang_c__poisson_terms

),

erlang_c__wait_probabilities as (

    select
        {{ contacts_column }},
        {{ aht_column }},
        traffic_erlangs,
        agent_count,
        poisson_probability * agent_count / (agent_count - traffic_erlangs)
            / (poisson_cdf_below + poisson_probability * agent_count / (agent_count - traffic_erlangs))
            as wait_probability
    from erlang_c__cumulative
    where agent_count > traffic_erlangs

),

erlang_c__service_levels as (

    select
        {{ contacts_column }},
        {{ aht_column }},
        agent_count,
        1 - wait_probability * case
            when -(agent_count - traffic_erlangs) * {{ threshold }} / {{ aht_column }} < -700 then 0
            else exp(-(agent_count - traffic_erlangs) * {{ threshold }} / {{ aht_column }})
        end as service_level_fraction
    from erlang_c__wait_probabilities

),

erlang_c__queued as (

    select
        erlang_c__workloads.{{ contacts_column }},
        erlang_c__workloads.{{ aht_column }},
        min(erlang_c__service_levels.agent_count) as erlang_c_agents
    from erlang_c__workloads
    left join erlang_c__service_levels
        on erlang_c__workloads.{{ contacts_column }} = erlang_c__service_levels.{{ contacts_column }}
        and erlang_c__workloads.{{ aht_column }} = erlang_c__service_levels.{{ aht_column }}
        and erlang_c__service_levels.service_level_fraction >= {{ target }} / 100.0
    where erlang_c__workloads.traffic_erlangs > 0
    group by erlang_c__workloads.{{ contacts_column }}, erlang_c__workloads.{{ aht_column }}

),

erlang_c__idle as (

    select
        {{ contacts_column }},
        {{ aht_column }},
        1 as erlang_c_agents
    from erlang_c__workloads
    where traffic_erlangs <= 0

)

select * from erlang_c__queued
union all
select * from erlang_c__idle

{%- endmacro %}
