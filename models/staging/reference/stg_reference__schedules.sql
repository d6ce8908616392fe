with base as (

    select * from {{ ref('base_reference__schedules') }}

),

staged as (

    select * from base
    where
        _quarantine_reason is null
        and not _is_superseded

),

final as (

    select
        schedule_id,
        time_zone,
        weekday,
        open_time as open_second_of_day,
        close_time as close_second_of_day,
        {{ contract_extra_columns('reference', 'schedules') }}
        _load_id,
        _refreshed_at
    from staged

)

select * from final
