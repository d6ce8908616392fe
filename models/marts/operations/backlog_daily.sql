{#- One row per local date and scope (overall, channel, team, topic,
    priority) with a backlog at the end of that local day: the backlog and
    its four age buckets, read from the day rows of int_kpi_values__backlog
    (the one definition: macros/metrics/metric_backlog.sql; day-end and age
    rules in that model's header). Days and scopes with an empty backlog
    have no row; an empty age bucket is 0. Local dates are on each ticket's
    schedule; days run up to the as-of date. -#}

{{ config(contract={'enforced': true}) }}

{%- set bucket_metrics = [
    metric_backlog(0, 1),
    metric_backlog(1, 3),
    metric_backlog(3, 7),
    metric_backlog(7, none),
] -%}
{%- set backlog_metric = metric_backlog() %}

with

backlog_rows as (

    select * from {{ ref('int_kpi_values__backlog') }}
    where grain = 'day'

),

pivoted as (

    select
        period_start as backlog_local_date,
        scope_type,
        scope_value,
        max(case when kpi_id = '{{ backlog_metric.kpi_id }}' then numerator end) as backlog_tickets,
    {%- for metric in bucket_metrics %}
        max(case when kpi_id = '{{ metric.kpi_id }}' then numerator end)
            as {{ metric.kpi_id }}_tickets{{ ',' if not loop.last }}  -- noqa: LT02
    
{%- endfor %}
    from backlog_rows
    group by period_start, scope_type, scope_value

),

final as (

    select
        cast(backlog_local_date as date) as backlog_local_date,
        cast(scope_type as {{ dbt.type_string() }}) as scope_type,
        cast(scope_value as {{ dbt.type_string() }}) as scope_value,
        cast(backlog_tickets as {{ dbt.type_bigint() }}) as backlog_tickets,
    {%- for metric in bucket_metrics %}
        cast(coalesce({{ metric.kpi_id }}_tickets, 0) as {{ dbt.type_bigint() }})
            as {{ metric.kpi_id }}_tickets{{ ',' if not loop.last }}  -- noqa: LT02
    
{%- endfor %}
    from pivoted
    where backlog_tickets > 0

)

select * from final
