with base as (

    select * from {{ ref('base_workforce__forecasts') }}

),

staged as (

    select * from base
    where
        _quarantine_reason is null
        and not _is_superseded

),

final as (

    select
        interval_start,
        channel,
        forecast_contacts,
        forecast_aht_seconds,
        required_agents,
        created_at,
        {{ contract_extra_columns('workforce', 'forecasts') }}
        _load_id,
        _refreshed_at
    from staged

)

select * from final
