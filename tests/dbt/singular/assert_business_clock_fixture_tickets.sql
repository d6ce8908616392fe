{#- Business seconds through the business_clock macro, end to end on the
    hand-made landing directory tests/fixtures/landing_small (README.md there).
    Scoped to that fixture: the cases apply only when ticket K1 exists with
    the fixture's creation instant, so the test passes vacuously on other
    landing directories. Both tickets belong to team T1, whose schedule is
    `default` (the schedule is taken as given here: resolving a row's owning
    schedule is not what this test checks). `default` = Europe/Berlin, Mon-Fri
    08:00-18:00, Sat 09:00-13:00, holidays from seeds/holidays.csv.

    a. K1 created Fri 2025-03-28 16:00Z (17:00 CET), first public reply Mon
       2025-03-31 07:00Z (09:00 CEST), across the DST change of Sun 03-30:
       Fri 17-18 3 600 + Sat 09-13 14 400 + Mon 08-09 3 600 = 21 600.
    b. K2 created Thu 2025-04-17 15:30Z (17:30 CEST), first public reply Tue
       2025-04-22 06:30Z (08:30 CEST), Good Friday 04-18 and Easter Monday
       04-21 are holidays: Thu 17:30-18 1 800 + Sat 09-13 14 400 + Tue
       08-08:30 1 800 = 18 000.
    c. Inside opening hours on one day: Fri 2025-03-28 09:00Z (10:00 CET) ->
       10:30Z (11:30 CET) = 5 400; and K1 created 16:00Z -> assigned 16:05Z
       (event E02) = 300.
    d. Closed day: Sun 2025-03-30 08:00Z -> 15:00Z = 0; Sun 2025-03-30 08:00Z
       -> Mon 2025-03-31 07:00Z (09:00 CEST) = Mon 08-09 = 3 600.
    Fails with one row per case whose business seconds differ (or are NULL). -#}
{%- set default_schedule = "'" ~ var('default_schedule_id') ~ "'" -%}

with tickets as (

    select * from {{ ref('stg_helpdesk__tickets') }}

),

ticket_events as (

    select * from {{ ref('stg_helpdesk__ticket_events') }}

),

fixture_tickets as (

    select 'a: K1 across DST weekend' as case_name, 'K1' as ticket_id,
        cast('2025-03-28 16:00:00' as {{ dbt.type_timestamp() }}) as fixture_created_at,
        21600 as expected_business_seconds
    union all
    select 'b: K2 across Easter holidays', 'K2',
        cast('2025-04-17 15:30:00' as {{ dbt.type_timestamp() }}),
        18000

),

first_public_replies as (

    select
        ticket_id,
        min(event_at) as replied_at
    from ticket_events
    where event_type = 'agent_reply'
        and is_public
    group by ticket_id

),

ticket_pairs as (

    select
        fixture_tickets.case_name,
        {{ default_schedule }} as schedule_id,
        tickets.created_at as started_at,
        first_public_replies.replied_at as ended_at,
        fixture_tickets.expected_business_seconds
    from fixture_tickets
    inner join tickets
        on fixture_tickets.ticket_id = tickets.ticket_id
            and fixture_tickets.fixture_created_at = tickets.created_at
    left join first_public_replies
        on tickets.ticket_id = first_public_replies.ticket_id

),

literal_pairs as (

    select 'c: inside opening hours, one day' as case_name,
        cast('2025-03-28 09:00:00' as {{ dbt.type_timestamp() }}) as started_at,
        cast('2025-03-28 10:30:00' as {{ dbt.type_timestamp() }}) as ended_at,
        5400 as expected_business_seconds
    union all
    select 'c: K1 created -> assigned',
        cast('2025-03-28 16:00:00' as {{ dbt.type_timestamp() }}),
        cast('2025-03-28 16:05:00' as {{ dbt.type_timestamp() }}),
        300
    union all
    select 'd: within a closed Sunday',
        cast('2025-03-30 08:00:00' as {{ dbt.type_timestamp() }}),
        cast('2025-03-30 15:00:00' as {{ dbt.type_timestamp() }}),
        0
    union all
    select 'd: closed Sunday -> Monday 09:00 CEST',
        cast('2025-03-30 08:00:00' as {{ dbt.type_timestamp() }}),
        cast('2025-03-31 07:00:00' as {{ dbt.type_timestamp() }}),
        3600

),

pairs as (

    select * from ticket_pairs

    union all

    {# Literal cases only when the fixture is loaded (K1 found). #}
    select
        literal_pairs.case_name,
        {{ default_schedule }} as schedule_id,
        literal_pairs.started_at,
        literal_pairs.ended_at,
        literal_pairs.expected_business_seconds
    from literal_pairs
    where exists (
        select 1 from ticket_pairs
        where ticket_pairs.case_name = 'a: K1 across DST weekend'
    )

),

instants as (

    select schedule_id, started_at as instant_at from pairs
    union
    select schedule_id, ended_at as instant_at from pairs

),

clocked as (

    {{ business_clock('instants', 'schedule_id', 'instant_at') }}

),

measured as (

    select
        pairs.case_name,
        pairs.schedule_id,
        pairs.started_at,
        pairs.ended_at,
        pairs.expected_business_seconds,
        end_clock.business_clock_seconds - start_clock.business_clock_seconds as actual_business_seconds
    from pairs
    left join clocked as start_clock
        on pairs.schedule_id = start_clock.schedule_id
            and pairs.started_at = start_clock.instant_at
    left join clocked as end_clock
        on pairs.schedule_id = end_clock.schedule_id
            and pairs.ended_at = end_clock.instant_at

),

final as (

    select * from measured
    where actual_business_seconds is null
        or actual_business_seconds <> expected_business_seconds

)

select * from final
