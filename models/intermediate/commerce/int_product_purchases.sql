{#- One row per product purchase (product_activations): its local date in
    the default schedule, whether its adoption window
    (purchased_at + adoption_window_days) has passed by the as-of time, and
    whether it was activated within that window. The unit of
    product_adoption_rate. -#}

with

purchases as (

    select * from {{ ref('stg_commerce__product_activations') }}
    where purchased_at is not null

),

as_of as (

    select * from {{ ref('int_load__as_of') }}

),

default_schedule as (

    select * from {{ ref('int_schedules__time_zones') }}
    where schedule_id = '{{ var("default_schedule_id") }}'

),

windows as (

    select
        purchases.customer_id,
        purchases.product,
        purchases.purchased_at,
        purchases.activated_at,
        {{ dbt.dateadd('day', var('adoption_window_days'), 'purchases.purchased_at') }} as adoption_window_end_at,
        {{ local_date_of('purchases.purchased_at', 'default_schedule.time_zone') }} as purchased_local_date,
        as_of.as_of_at
    from purchases
    cross join as_of
    cross join default_schedule

),

final as (

    select
        customer_id,
        product,
        purchased_at,
        purchased_local_date,
        activated_at,
        adoption_window_end_at,
        coalesce(adoption_window_end_at <= as_of_at, false) as is_adoption_window_passed,
        coalesce(activated_at <= adoption_window_end_at, false) as is_adopted
    from windows

)

select * from final
