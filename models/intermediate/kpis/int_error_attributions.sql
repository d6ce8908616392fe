{#- One row per attributed error: a non-calibration QA evaluation with an
    error category, or a DSAT (csat score <= 2) response with a root cause.
    The unit of training_error_share. -#}

with

evaluations as (

    select * from {{ ref('fct_qa_evaluations') }}
    where
        not is_calibration
        and error_category is not null

),

responses as (

    select * from {{ ref('fct_survey_responses') }}
    where
        survey_type = 'csat'
        and score <= 2
        and root_cause is not null

),

final as (

    select
        'qa_evaluation' as attribution_source,
        evaluation_id as attribution_id,
        error_category as error_cause,
        evaluated_local_date as attributed_local_date,
        agent_id,
        team_id
    from evaluations

    union all

    select
        'survey_response' as attribution_source,
        response_id as attribution_id,
        root_cause as error_cause,
        responded_local_date as attributed_local_date,
        agent_id,
        team_id
    from responses

)

select * from final
