{#- Fails for every combination of the columns that occurs more than once:
    the primary-key test of models keyed by several columns. -#}
{% test unique_combination(model, columns) %}

with grouped as (

    select
        {{ columns | join(', ') }},
        count(*) as occurrences
    from {{ model }}
    group by {{ columns | join(', ') }}

)

select * from grouped
where occurrences > 1

{% endtest %}
