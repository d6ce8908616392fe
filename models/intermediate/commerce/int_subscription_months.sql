{#- One row per customer and month of the loaded data (int_load__months)
    where the customer was active at month start or churned in the month
    (docs/kpi_decisions.md, churn_rate):
    - active at month start: a term with term_start <= month_start <= term_end;
    - churned: a term ending in the month with renewed = false and no other
      term of the customer active on the day after that term_end
      (term_start <= term_end + 1 <= term_end of the other term; the term
      itself can never match).
    Terms without a customer are ignored. Flags are 0/1 so that sums over
    the rows of a month count distinct customers.

    Incremental by customer (replace_refreshed_keys, with the key sets of
    macros/incremental/refreshed_subscription_customers_key_sets.sql): an
    incremental build recomputes the customers of every version of the
    subscriptions the base model rewrote, from all their terms; every
    customer when the months of the loaded data changed. -#}
{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy="replace_refreshed_keys",
    refreshed_keys={
        "key_sets": "refreshed_subscription_customers_key_sets",
        "in": refreshed_keys_inputs(["base_commerce__subscriptions", "int_load__months"]),
    },
    on_schema_change="fail",
) }}

with

subscriptions as (

    select * from {{ ref('stg_commerce__subscriptions') }}
    where customer_id is not null
    {{ refreshed_keys_filter('and') }}

),

months as (

    select * from {{ ref('int_load__months') }}

),

active_customers as (

    select distinct
        subscriptions.customer_id,
        months.month_start
    from subscriptions
    inner join months
        on
        subscriptions.term_start <= months.month_start
        and subscriptions.term_end >= months.month_start

),

lapsed_terms as (

    select
        customer_id,
        term_end,
        cast({{ dbt.dateadd('day', 1, 'term_end') }} as date) as day_after_term_end
    from subscriptions
    where is_renewed = false

),

continued_terms as (

    select distinct
        lapsed_terms.customer_id,
        lapsed_terms.term_end
    from lapsed_terms
    inner join subscriptions
        on
        lapsed_terms.customer_id = subscriptions.customer_id
        and lapsed_terms.day_after_term_end >= subscriptions.term_start
        and lapsed_terms.day_after_term_end <= subscriptions.term_end

),

churned_customers as (

    select distinct
        lapsed_terms.customer_id,
        months.month_start
    from lapsed_terms
    inner join months
        on
        lapsed_terms.term_end >= months.month_start
        and lapsed_terms.term_end <= months.month_end
    left join continued_terms
        on
        lapsed_terms.customer_id = continued_terms.customer_id
        and lapsed_terms.term_end = continued_terms.term_end
    where continued_terms.customer_id is null

),

customer_months as (

    select
        customer_id,
        month_start
    from active_customers
    union
    select
        customer_id,
        month_start
    from churned_customers

),

final as (

    select
        customer_months.customer_id,
        customer_months.month_start,
        case when active_customers.customer_id is not null then 1 else 0 end as is_active_at_month_start,
        case when churned_customers.customer_id is not null then 1 else 0 end as is_churned_in_month,
        {{ build_started_at() }} as _refreshed_at
    from customer_months
    left join active_customers
        on
        customer_months.customer_id = active_customers.customer_id
        and customer_months.month_start = active_customers.month_start
    left join churned_customers
        on
        customer_months.customer_id = churned_customers.customer_id
        and customer_months.month_start = churned_customers.month_start

)

select * from final
