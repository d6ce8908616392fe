{#- The refreshed rows of int_subscription_months (replace_refreshed_keys), as
    a key set on customer_id (of a subscription in the model's input, of a
    row in the delete): the customers of every version of the subscriptions
    base_commerce__subscriptions rewrote since the model's newest
    `_refreshed_at` (a new version, a subscription moved to another customer,
    a subscription quarantined for an unknown customer that became valid).
    A customer's rows read all of its terms and nothing of another customer,
    so recomputing those customers equals a full rebuild, unless the months
    of the loaded data (int_load__months, rebuilt in every build) changed:
    then every customer is (none: no key set). The months are compared with
    those the model holds, by a query of their own when the model runs (a
    month in which no customer was active nor churned holds no row, so such
    a month recomputes every customer: slower, never wrong). The pre-hook,
    the filter and the delete all ask before any row is deleted, so they get
    the same answer. -#}
{% macro refreshed_subscription_customers_key_sets() %}
    {%- set months_changed_sql -%}
        select count(*) from (
            (
                select month_start from {{ ref('int_load__months') }}
                {{ dbt.except() }}
                select distinct month_start from {{ this }}
            )
            union all
            (
                select distinct month_start from {{ this }}
                {{ dbt.except() }}
                select month_start from {{ ref('int_load__months') }}
            )
        ) as changed_months
    {%- endset -%}
    {%- if run_query(months_changed_sql).columns[0].values()[0] > 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set customers -%}
        select distinct customer_id from {{ ref('base_commerce__subscriptions') }}
        where {{ refreshed_since_watermark() }} and customer_id is not null
    {%- endset -%}
    {{ return([{'columns': ['customer_id'], 'sql': customers}]) }}
{%- endmacro %}
