{#- The as-of time of the loaded data: the latest instant loaded in tickets,
    ticket events and calls. SLA deadlines and the last backlog day are
    judged at this moment. One row. -#}

with

tickets as (

    select max(created_at) as latest_at from {{ ref('stg_helpdesk__tickets') }}

),

events as (

    select max(event_at) as latest_at from {{ ref('stg_helpdesk__ticket_events') }}

),

calls as (

    select
        max(offered_at) as latest_offered_at,
        max(ended_at) as latest_ended_at
    from {{ ref('stg_telephony__calls') }}

),

candidates as (

    select latest_at from tickets
    union all
    select latest_at from events
    union all
    select latest_offered_at from calls
    union all
    select latest_ended_at from calls

),

final as (

    select max(latest_at) as as_of_at
    from candidates

)

select * from final
