with base as (

    select * from {{ ref('base_reference__corrective_actions') }}

),

staged as (

    select * from base
    where
        _quarantine_reason is null
        and not _is_superseded

),

final as (

    select
        action_id,
        kpi_id,
        scope_type,
        scope_value,
        root_cause,
        action,
        owner_role,
        opened_on,
        implemented_on,
        review_on,
        status,
        {{ contract_extra_columns('reference', 'corrective_actions') }}
        _load_id,
        _refreshed_at
    from staged

)

select * from final
