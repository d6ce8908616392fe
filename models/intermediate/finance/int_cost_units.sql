{#- The units of cost_per_contact and cost_per_resolution, one row each: a
    cost row (finance costs; team_id NULL = the whole centre), a handled
    contact (fct_contacts, on its local date and team), or a resolved
    non-merged ticket (fct_tickets, on its final-resolution local date and
    the solver's team). Each row carries only its own part; the KPIs sum them
    per month and scope, so no join is needed. Without any cost row loaded
    (the optional costs table absent) there are no units at all: the cost
    KPIs are unknown, not 0.

    A view: a projection of the facts, each incremental itself, costs less
    to read where the KPIs need it than to write again (28M rows at the 10M
    tier) in every build. `_refreshed_at` is the source row's, so tests read
    the rows of the facts' newest build (macros/incremental/get_where_subquery.sql). -#}
{{ config(materialized='view') }}

with

costs as (

    select * from {{ ref('stg_finance__costs') }}

),

contacts as (

    select * from {{ ref('fct_contacts') }}
    where is_handled

),

tickets as (

    select * from {{ ref('fct_tickets') }}
    where
        not is_merged
        and is_resolved

),

cost_presence as (

    select count(*) as cost_row_count
    from costs

),

cost_rows as (

    select
        cost_month,
        cast(cost_month as {{ dbt.type_string() }}) as cost_month_text,
        team_id,
        cost_type,
        amount,
        _refreshed_at
    from costs

),

final as (

    select
        'cost' as cost_unit_source,
        {{ dbt.concat(['cost_month_text', "'|'", "coalesce(team_id, '*')", "'|'", 'cost_type']) }} as cost_unit_id,
        cast(cost_month as date) as cost_unit_local_date,
        team_id,
        cast(amount as {{ type_double() }}) as cost_amount,
        0 as handled_contact_count,
        0 as resolved_ticket_count,
        _refreshed_at
    from cost_rows

    union all

    select
        'handled_contact' as cost_unit_source,
        {{ dbt.concat(['contact_type', "':'", 'contact_id']) }} as cost_unit_id,
        contact_local_date as cost_unit_local_date,
        team_id,
        cast(0 as {{ type_double() }}) as cost_amount,
        1 as handled_contact_count,
        0 as resolved_ticket_count,
        contacts._refreshed_at
    from contacts
    cross join cost_presence
    where cost_presence.cost_row_count > 0

    union all

    select
        'resolved_ticket' as cost_unit_source,
        ticket_id as cost_unit_id,
        resolved_local_date as cost_unit_local_date,
        resolved_by_team_id as team_id,
        cast(0 as {{ type_double() }}) as cost_amount,
        0 as handled_contact_count,
        1 as resolved_ticket_count,
        tickets._refreshed_at
    from tickets
    cross join cost_presence
    where cost_presence.cost_row_count > 0

)

select * from final
