{#- The refreshed rows of fct_contacts (replace_refreshed_keys), as key sets
    on its columns contact_type, contact_id and customer_id.

    A contact's row reads its call or ticket, the orders that name it (or
    name the phone ticket a call is linked to), and, for is_repeated, the
    next contact of its customer on its topic. So the refreshed contacts are
        the calls fct_calls rewrote and the tickets fct_tickets rewrote,
        the contacts every version of a rewritten order names (base keeps
        each version: an order moved to another contact leaves the first),
        the calls linked to any of those tickets (its channel or its orders
        decide the call's order attribution),
    and every contact of their customers is recomputed, the customers of the
    new versions and of the rows the model holds for them (a ticket moved to
    another customer, or merged, leaves its former customer's repeats). A
    contact with no customer repeats nothing: its own row is enough. The
    customers' set reads the contacts' (the first table). -#}
{% macro refreshed_contacts_key_sets() %}
    {%- set since = refreshed_since_watermark() -%}
    {%- set contacts -%}
        with

        rewritten as (

            select 'call' as contact_type, call_id as contact_id from {{ ref('fct_calls') }}
            where {{ since }}
            union
            select 'ticket', ticket_id from {{ ref('fct_tickets') }}
            where {{ since }}
            union
            select contact_type, contact_id from {{ ref('base_commerce__orders') }}
            where {{ since }} and contact_id is not null

        )

        select contact_type, contact_id from rewritten
        union
        select 'call', call_id from {{ ref('fct_calls') }}
        where ticket_id in (select contact_id from rewritten where contact_type = 'ticket')
    {%- endset -%}
    {%- set refreshed = refreshed_keys_relation(0) -%}
    {%- set customers -%}
        select customer_id from {{ this }}
        where (contact_type, contact_id) in (select contact_type, contact_id from {{ refreshed }})
        union
        select customer_id from {{ ref('fct_calls') }}
        where call_id in (select contact_id from {{ refreshed }} where contact_type = 'call')
        union
        select customer_id from {{ ref('fct_tickets') }}
        where ticket_id in (select contact_id from {{ refreshed }} where contact_type = 'ticket')
    {%- endset -%}
    {{ return([
        {'columns': ['contact_type', 'contact_id'], 'sql': contacts},
        {'columns': ['customer_id'], 'sql': customers},
    ]) }}
{%- endmacro %}
