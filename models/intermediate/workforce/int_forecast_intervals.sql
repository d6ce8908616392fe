{#- One row per channel and 30-minute interval that has a forecast made by
    its start (docs/kpi_decisions.md, "Agent time and staffing"): the latest
    forecast version with created_at <= interval_start, the actual contacts
    of that channel anchored in [interval_start, interval_start + 30 min)
    (fct_contacts), the absolute (percentage) error, the required agents
    (the forecast's required_agents, else Erlang C from forecast contacts and
    AHT) and the agents staffed in the whole interval (sum of all agents'
    logged_in_seconds / 1800). Intervals are dated in the default schedule.

    Contacts are matched through 30-minute epoch buckets (an equi-join; an
    interval that does not start on a bucket boundary also looks in the next
    bucket) and the exact half-open range, so the join stays linear. -#}
{%- set epoch_origin = "cast('1970-01-01' as " ~ dbt.type_timestamp() ~ ")" %}

with

forecasts as (

    select * from {{ ref('stg_workforce__forecasts') }}

),

contacts as (

    select * from {{ ref('fct_contacts') }}

),

agent_intervals as (

    select * from {{ ref('fct_agent_intervals') }}

),

default_schedule as (

    select * from {{ ref('int_schedules__time_zones') }}
    where schedule_id = '{{ var("default_schedule_id") }}'

),

ranked_forecasts as (

    select
        interval_start,
        channel,
        created_at,
        forecast_contacts,
        forecast_aht_seconds,
        required_agents,
        row_number() over (
            partition by interval_start, channel
            order by created_at desc
        ) as version_rank
    from forecasts
    where created_at <= interval_start

),

latest_forecasts as (

    select
        interval_start,
        {{ dbt.dateadd('minute', 30, 'interval_start') }} as interval_end,
        channel,
        created_at as forecast_created_at,
        cast(forecast_contacts as {{ type_double() }}) as forecast_contacts,
        cast(forecast_aht_seconds as {{ type_double() }}) as forecast_aht_seconds,
        cast(required_agents as {{ type_double() }}) as forecast_required_agents,
        floor(
            {{ dbt.datediff(epoch_origin, 'interval_start', 'second') }}
            / 1800.0
        ) as interval_bucket
    from ranked_forecasts
    where version_rank = 1

),

erlang_c as (

    {{ erlang_c_agents('latest_forecasts', 'forecast_contacts', 'forecast_aht_seconds') }}

),

contact_buckets as (

    select
        contact_type,
        contact_id,
        channel,
        contact_at,
        floor(
            {{ dbt.datediff(epoch_origin, 'contact_at', 'second') }}
            / 1800.0
        ) as contact_bucket
    from contacts
    where contact_at is not null

),

forecast_buckets as (

    select
        interval_start,
        interval_end,
        channel,
        interval_bucket as join_bucket
    from latest_forecasts

    union all

    select
        interval_start,
        interval_end,
        channel,
        interval_bucket + 1 as join_bucket
    from latest_forecasts

),

actual_contacts as (

    select
        forecast_buckets.interval_start,
        forecast_buckets.channel,
        count(*) as actual_contacts
    from forecast_buckets
    inner join contact_buckets
        on
        forecast_buckets.channel = contact_buckets.channel
        and forecast_buckets.join_bucket = contact_buckets.contact_bucket
        and forecast_buckets.interval_start <= contact_buckets.contact_at
        and forecast_buckets.interval_end > contact_buckets.contact_at
    group by forecast_buckets.interval_start, forecast_buckets.channel

),

staffed_agents as (

    select
        interval_start,
        {#- in double precision: Spark reads 1800.0 as a decimal and rounds the
            quotient to 6 places -#}
        cast(sum(logged_in_seconds) as {{ type_double() }}) / 1800 as staffed_agents
    from agent_intervals
    group by interval_start

),

intervals as (

    select
        latest_forecasts.interval_start,
        latest_forecasts.interval_end,
        latest_forecasts.channel,
        {{ local_date_of('latest_forecasts.interval_start', 'default_schedule.time_zone') }} as interval_local_date,
        latest_forecasts.forecast_created_at,
        latest_forecasts.forecast_contacts,
        latest_forecasts.forecast_aht_seconds,
        latest_forecasts.forecast_required_agents,
        cast(erlang_c.erlang_c_agents as {{ type_double() }}) as erlang_c_required_agents,
        cast(coalesce(actual_contacts.actual_contacts, 0) as {{ type_double() }}) as actual_contacts,
        cast(coalesce(staffed_agents.staffed_agents, 0) as {{ type_double() }}) as staffed_agents,
        row_number() over (
            partition by latest_forecasts.interval_start
            order by latest_forecasts.channel
        ) as channel_number_in_interval
    from latest_forecasts
    cross join default_schedule
    left join erlang_c
        on
        latest_forecasts.forecast_contacts = erlang_c.forecast_contacts
        and latest_forecasts.forecast_aht_seconds = erlang_c.forecast_aht_seconds
    left join actual_contacts
        on
        latest_forecasts.interval_start = actual_contacts.interval_start
        and latest_forecasts.channel = actual_contacts.channel
    left join staffed_agents
        on latest_forecasts.interval_start = staffed_agents.interval_start

),

final as (

    select
        interval_start,
        interval_end,
        channel,
        interval_local_date,
        forecast_created_at,
        forecast_contacts,
        forecast_aht_seconds,
        forecast_required_agents,
        erlang_c_required_agents,
        coalesce(forecast_required_agents, erlang_c_required_agents) as required_agents,
        case
            when forecast_required_agents is not null then 'forecast'
            when erlang_c_required_agents is not null then 'erlang_c'
        end as required_agents_source,
        actual_contacts,
        abs(actual_contacts - forecast_contacts) as absolute_error_contacts,
        case
            when actual_contacts > 0 then 100.0 * abs(actual_contacts - forecast_contacts) / actual_contacts
        end as absolute_percentage_error_pct,
        staffed_agents,
        case when channel_number_in_interval = 1 then staffed_agents else 0 end as staffed_agents_counted
    from intervals

)

select * from final
