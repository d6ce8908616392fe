{#- One row per customer known from the customers export or seen on a
    ticket or call: segment and country. Email stays in staging. -#}

with

customers as (

    select * from {{ ref('stg_helpdesk__customers') }}

),

ticket_customers as (

    select distinct customer_id from {{ ref('stg_helpdesk__tickets') }}
    where customer_id is not null

),

call_customers as (

    select distinct customer_id from {{ ref('stg_telephony__calls') }}
    where customer_id is not null

),

all_customers as (

    select customer_id from customers
    union
    select customer_id from ticket_customers
    union
    select customer_id from call_customers

),

final as (

    select
        all_customers.customer_id,
        customers.segment,
        customers.country,
        customers.created_at,
        customers.customer_id is not null as is_in_customer_export
    from all_customers
    left join customers
        on all_customers.customer_id = customers.customer_id

)

select * from final
