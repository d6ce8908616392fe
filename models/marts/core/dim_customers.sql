{#- One row per customer known from the customers export or seen on a
    ticket or call: segment and country. Email stays in staging. -#}

{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy="replace_refreshed_keys",
    refreshed_keys={
        "column": "customer_id",
        "in": refreshed_keys_inputs(["base_helpdesk__customers", "base_helpdesk__tickets", "base_telephony__calls"]),
    },
    on_schema_change="fail",
) }}
{#- Incremental by customer (replace_refreshed_keys): an incremental build
    recomputes the customers of every version the base models rewrote of a
    customer, ticket or call (every version: a ticket moved to another
    customer may leave its former customer with no contact), from all their
    rows; a customer left with none leaves the dimension. The keys are
    computed once per build (the pre-hook) and read by each input's filter
    and by the delete. -#}

with

customers as (

    select * from {{ ref('stg_helpdesk__customers') }}
    {{ refreshed_keys_filter() }}

),

ticket_customers as (

    select distinct customer_id from {{ ref('stg_helpdesk__tickets') }}
    where customer_id is not null
    {{ refreshed_keys_filter('and') }}

),

call_customers as (

    select distinct customer_id from {{ ref('stg_telephony__calls') }}
    where customer_id is not null
    {{ refreshed_keys_filter('and') }}

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
        customers.customer_id is not null as is_in_customer_export,
        {{ build_started_at() }} as _refreshed_at
    from all_customers
    left join customers
        on all_customers.customer_id = customers.customer_id

)

select * from final
