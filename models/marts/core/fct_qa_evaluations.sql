{#- One row per QA evaluation, with the evaluated agent's team at
    evaluated_at, the local evaluation date and, for calibration
    evaluations, the session's benchmark score and the distance from it. -#}

with

evaluations as (

    select * from {{ ref('stg_quality__qa_evaluations') }}

),

teams as (

    select * from {{ ref('int_teams__schedules') }}

),

default_schedule as (

    select * from {{ ref('int_schedules__time_zones') }}
    where schedule_id = '{{ var("default_schedule_id") }}'

),

benchmarks as (

    select
        calibration_session_id,
        max(score_pct) as benchmark_score_pct
    from evaluations
    where
        is_calibration
        and coalesce(is_benchmark, false)
    group by calibration_session_id

),

final as (

    select
        evaluations.evaluation_id,
        evaluations.contact_type,
        evaluations.contact_id,
        evaluations.agent_id,
        evaluation_teams.team_id,
        evaluations.evaluator_id,
        evaluations.evaluated_at,
        {{ local_date_of('evaluations.evaluated_at', 'coalesce(teams.time_zone, default_schedule.time_zone)') }}
            as evaluated_local_date,
        evaluations.score_pct,
        evaluations.is_calibration,
        evaluations.calibration_session_id,
        coalesce(evaluations.is_benchmark, false) as is_benchmark,
        coalesce(evaluations.has_critical_error, false) as has_critical_error,
        evaluations.error_category,
        benchmarks.benchmark_score_pct,
        case
            when evaluations.is_calibration and not coalesce(evaluations.is_benchmark, false)
                then abs(evaluations.score_pct - benchmarks.benchmark_score_pct)
        end as calibration_difference_points
    from evaluations
    left join benchmarks
        on evaluations.calibration_session_id = benchmarks.calibration_session_id
    {{ agent_team_join('evaluation_teams', 'evaluations.agent_id', 'evaluations.evaluated_at') }}
    left join teams
        on evaluation_teams.team_id = teams.team_id
    cross join default_schedule

)

select * from final
