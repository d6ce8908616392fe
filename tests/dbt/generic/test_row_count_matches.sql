{#- Reconciliation between layers: the model has exactly as many rows as
    `compare_model` (optionally filtered by `compare_filter`). A broken or
    fanning-out join between staging and marts fails here. -#}
{% test row_count_matches(model, compare_model, compare_filter='1 = 1') %}

with

model_rows as (

    select count(*) as row_count from {{ model }}

),

compare_rows as (

    select count(*) as row_count from {{ compare_model }}
    where {{ compare_filter }}

)

select
    model_rows.row_count as model_row_count,
    compare_rows.row_count as compare_row_count
from model_rows
cross join compare_rows
where model_rows.row_count <> compare_rows.row_count

{% endtest %}
