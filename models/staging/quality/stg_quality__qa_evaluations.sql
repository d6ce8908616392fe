with base as (

    select * from {{ ref('base_quality__qa_evaluations') }}

),

staged as (

    select * from base
    where
        _quarantine_reason is null
        and not _is_superseded

),

final as (

    select
        evaluation_id,
        contact_type,
        contact_id,
        agent_id,
        evaluator_id,
        evaluated_at,
        score_pct,
        is_calibration,
        calibration_session_id,
        is_benchmark,
        critical_error as has_critical_error,
        error_category,
        updated_at,
        {{ contract_extra_columns('quality', 'qa_evaluations') }}
        _load_id,
        _refreshed_at
    from staged

)

select * from final
