{#- Recency relative to the data: the newest value of a timestamp column is
    within `days` of the as-of time of the load (int_load__as_of), so a table
    that stopped arriving while others kept coming fails. -#}
{% test recent_within_days(model, column_name, days) %}

with

latest as (

    select max({{ column_name }}) as latest_at from {{ model }}

),

as_of as (

    select as_of_at from {{ ref('int_load__as_of') }}

)

select
    latest.latest_at,
    as_of.as_of_at
from latest
cross join as_of
where latest.latest_at is not null
    and {{ dbt.datediff('latest.latest_at', 'as_of.as_of_at', 'day') }} > {{ days }}

{% endtest %}
