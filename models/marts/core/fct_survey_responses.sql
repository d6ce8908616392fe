{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy="delete+insert",
    unique_key=["response_id"],
    on_schema_change="fail",
) }}
{#- One row per customer survey response (csat, nps, ces), with the rated
    agent's team at responded_at (else the ticket's team), the contact's
    channel (`phone` for calls) and the local response date. The comment text
    (may hold PII) stays in staging.

    Incremental by response (touched_row_filter): a response is re-read when
    it, its ticket, or its agent and the agent's team history change; every
    response when teams or schedules change. -#}

with

responses as (

    select * from {{ ref('stg_surveys__survey_responses') }}
    {{ touched_row_filter(
        'base_surveys__survey_responses',
        'response_id',
        ticket_link="case when contact_type = 'ticket' then contact_id end",
    ) }}

),

tickets as (

    select * from {{ ref('stg_helpdesk__tickets') }}

),

teams as (

    select * from {{ ref('int_teams__schedules') }}

),

default_schedule as (

    select * from {{ ref('int_schedules__time_zones') }}
    where schedule_id = '{{ var("default_schedule_id") }}'

),

attributed as (

    select
        responses.*,
        coalesce(
            response_teams.team_id,
            case when responses.contact_type = 'ticket' then tickets.team_id end
        ) as attributed_team_id,
        case
            when responses.contact_type = 'call' then 'phone'
            when responses.contact_type = 'ticket' then tickets.channel
        end as channel,
        tickets._load_id as ticket_load_id
    from responses
    {{ agent_team_join('response_teams', 'responses.agent_id', 'responses.responded_at') }}
    left join tickets
        on
        responses.contact_type = 'ticket'
        and responses.contact_id = tickets.ticket_id

),

final as (

    select
        attributed.response_id,
        attributed.survey_type,
        attributed.contact_type,
        attributed.contact_id,
        attributed.customer_id,
        attributed.agent_id,
        attributed.attributed_team_id as team_id,
        attributed.channel,
        attributed.sent_at,
        attributed.responded_at,
        {{ local_date_of('attributed.responded_at', 'coalesce(teams.time_zone, default_schedule.time_zone)') }}
            as responded_local_date,
        attributed.score,
        attributed.is_resolved,
        attributed.is_resolved_first_contact,
        attributed.root_cause,
        greatest(attributed._load_id, coalesce(attributed.ticket_load_id, '')) as _load_id,
        {{ build_started_at() }} as _refreshed_at
    from attributed
    left join teams
        on attributed.attributed_team_id = teams.team_id
    cross join default_schedule

)

select * from final
