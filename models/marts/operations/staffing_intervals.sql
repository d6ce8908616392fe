{#- One row per 30-minute interval and channel with a forecast made by the
    interval's start: forecast and actual contacts, forecast AHT, required
    agents and where they come from (the forecast, or Erlang C when the
    forecast has none), and the agents staffed in the interval (all agents'
    logged_in_seconds / 1800, the same on every channel row of the interval;
    staffed_agents_counted carries it on one row per interval so that sums
    over channels count it once). -#}

{{ config(contract={'enforced': true}) }}

with

forecast_intervals as (

    select * from {{ ref('int_forecast_intervals') }}

),

final as (

    select
        interval_start,
        interval_end,
        channel,
        interval_local_date,
        forecast_created_at,
        forecast_contacts,
        actual_contacts,
        forecast_aht_seconds,
        forecast_required_agents,
        erlang_c_required_agents,
        required_agents,
        required_agents_source,
        staffed_agents,
        staffed_agents_counted
    from forecast_intervals

)

select * from final
