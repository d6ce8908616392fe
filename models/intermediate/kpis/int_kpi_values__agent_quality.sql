{#- kpi_values rows of the agent_quality KPIs: one row per kpi, grain, period and scope.
    (No rows yet: the agent_quality KPIs are built in the next change.) -#}
select
    cast(null as {{ dbt.type_string() }}) as kpi_id,
    cast(null as {{ dbt.type_string() }}) as grain,
    cast(null as date) as period_start,
    cast(null as {{ dbt.type_string() }}) as scope_type,
    cast(null as {{ dbt.type_string() }}) as scope_value,
    cast(null as {{ type_double() }}) as numerator,
    cast(null as {{ type_double() }}) as denominator,
    cast(null as {{ type_double() }}) as value,
    cast(null as {{ type_double() }}) as p50,
    cast(null as {{ type_double() }}) as p90
where 1 = 0
