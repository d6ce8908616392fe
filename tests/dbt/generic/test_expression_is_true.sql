{#- Row-level rule: returns the rows where the expression is false (NULL
    counts as passing, so guard it with coalesce when NULL must fail). -#}
{% test expression_is_true(model, expression, where_clause='1 = 1') %}

select * from {{ model }}
where ({{ where_clause }})
    and not ({{ expression }})

{% endtest %}
