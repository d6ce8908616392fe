with base as (

    select * from {{ ref('base_surveys__survey_responses') }}

),

staged as (

    select * from base
    where
        _quarantine_reason is null
        and not _is_superseded

),

final as (

    select
        response_id,
        survey_type,
        contact_type,
        contact_id,
        customer_id,
        agent_id,
        sent_at,
        responded_at,
        score,
        resolved as is_resolved,
        resolved_first_contact as is_resolved_first_contact,
        root_cause,
        comment,
        updated_at,
        {{ contract_extra_columns('surveys', 'survey_responses') }}
        _load_id,
        _refreshed_at
    from staged

)

select * from final
