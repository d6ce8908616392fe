{#- The units of cost_per_contact and cost_per_resolution, one row each: a
    cost row (finance costs; team_id NULL = the whole centre), a handled
    contact (fct_contacts, on its local date and team), or a resolved
    non-merged ticket (fct_tickets, on its final-resolution local date and
    the solver's team). Each row carries only its own part; the KPIs sum them
    per month and scope, so no join is needed. -#}

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
    where not is_merged
        and is_resolved

),

final as (

    select
        'cost' as cost_unit_source,
        cast(cost_month as date) as cost_unit_local_date,
        team_id,
        cast(amount as {{ type_double() }}) as cost_amount,
        0 as handled_contact_count,
        0 as resolved_ticket_count
    from costs

    union all

    select
        'handled_contact' as cost_unit_source,
        contact_local_date as cost_unit_local_date,
        team_id,
        cast(0 as {{ type_double() }}) as cost_amount,
        1 as handled_contact_count,
        0 as resolved_ticket_count
    from contacts

    union all

    select
        'resolved_ticket' as cost_unit_source,
        resolved_local_date as cost_unit_local_date,
        resolved_by_team_id as team_id,
        cast(0 as {{ type_double() }}) as cost_amount,
        0 as handled_contact_count,
        1 as resolved_ticket_count
    from tickets

)

select * from final
