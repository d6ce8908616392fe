{#- One row per customer contact (docs/spec/kpis.md, "Contact"): every
    inbound call, every non-merged ticket on a non-phone channel, and every
    non-merged phone ticket with no linked inbound call. Carries the anchor,
    scopes, and the flags the contact KPIs count: handled, transferred,
    repeated within the window, and converted (an attributed order).

    Incremental by customer (replace_refreshed_keys, with the key sets of
    macros/incremental/refreshed_contacts_key_sets.sql): an incremental build
    replaces the contacts of the calls, tickets and orders the inputs rewrote,
    and every contact of their customers (the repeat window looks at the
    customer's other contacts). -#}
{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy="replace_refreshed_keys",
    refreshed_keys={
        "key_sets": "refreshed_contacts_key_sets",
        "in": refreshed_keys_inputs(["fct_calls", "fct_tickets", "base_commerce__orders"]),
    },
    on_schema_change="fail",
) }}

with

calls as (

    select * from {{ ref('fct_calls') }}
    where is_inbound

),

tickets as (

    select * from {{ ref('fct_tickets') }}
    where not is_merged

),

phone_tickets as (

    select * from {{ ref('fct_tickets') }}
    where channel = 'phone'

),

orders as (

    select * from {{ ref('stg_commerce__orders') }}

),

call_contacts as (

    select
        'call' as contact_type,
        call_id as contact_id,
        customer_id,
        'phone' as channel,
        topic,
        team_id,
        agent_id,
        offered_at as contact_at,
        offered_local_date as contact_local_date,
        is_answered as is_handled,
        is_transferred,
        ticket_id as linked_ticket_id
    from calls

),

ticket_contacts as (

    select
        'ticket' as contact_type,
        tickets.ticket_id as contact_id,
        tickets.customer_id,
        tickets.channel,
        tickets.topic,
        tickets.team_id,
        tickets.first_reply_agent_id as agent_id,
        tickets.created_at as contact_at,
        tickets.created_local_date as contact_local_date,
        tickets.agent_event_count > 0 as is_handled,
        tickets.transfer_count > 0 as is_transferred,
        cast(null as {{ dbt.type_string() }}) as linked_ticket_id
    from tickets
    where
        tickets.channel != 'phone'
        or tickets.linked_inbound_call_count = 0

),

every_contact as (

    select * from call_contacts
    union all
    select * from ticket_contacts

),

contacts as (

    select * from every_contact
    {{ refreshed_keys_filter() }}

),

{# Contacts with an attributed order: the order names the contact, or names
    the phone ticket a call is linked to (that ticket is the call's contact;
    a linked ticket on another channel is a contact of its own and keeps its
    orders). Two equi-joins (an OR in one join condition would compare every
    contact with every order). #}
order_matches as (

    select
        contacts.contact_type,
        contacts.contact_id
    from contacts
    inner join orders
        on
        contacts.contact_type = orders.contact_type
        and contacts.contact_id = orders.contact_id

    union all

    select
        contacts.contact_type,
        contacts.contact_id
    from contacts
    inner join phone_tickets
        on contacts.linked_ticket_id = phone_tickets.ticket_id
    inner join orders
        on contacts.linked_ticket_id = orders.contact_id
    where
        contacts.contact_type = 'call'
        and orders.contact_type = 'ticket'

),

ordered_contacts as (

    select distinct
        contact_type,
        contact_id
    from order_matches

),

contact_instants as (

    select distinct
        customer_id,
        topic,
        contact_at
    from contacts
    where
        customer_id is not null
        and topic is not null

),

next_contacts as (

    select
        customer_id,
        topic,
        contact_at,
        lead(contact_at) over (partition by customer_id, topic order by contact_at) as next_contact_at
    from contact_instants

),

final as (

    select
        contacts.contact_type,
        contacts.contact_id,
        contacts.customer_id,
        contacts.channel,
        contacts.topic,
        contacts.team_id,
        contacts.agent_id,
        contacts.contact_at,
        contacts.contact_local_date,
        contacts.is_handled,
        contacts.is_transferred,
        contacts.linked_ticket_id,
        ordered_contacts.contact_id is not null as has_attributed_order,
        coalesce(
            {{ dbt.datediff('contacts.contact_at', 'next_contacts.next_contact_at', 'second') }}
            <= {{ var('repeat_contact_window_days') }} * 86400,
            false
        ) as is_repeated,
        {{ build_started_at() }} as _refreshed_at
    from contacts
    left join ordered_contacts
        on
        contacts.contact_type = ordered_contacts.contact_type
        and contacts.contact_id = ordered_contacts.contact_id
    left join next_contacts
        on
        contacts.customer_id = next_contacts.customer_id
        and contacts.topic = next_contacts.topic
        and contacts.contact_at = next_contacts.contact_at

)

select * from final
