{#- Value range of a column: returns rows outside [min_value, max_value]
    (either bound optional). -#}
{% test value_between(model, column_name, min_value=none, max_value=none) %}

select * from {{ model }}
where {{ column_name }} is not null
    and (
        {%- if min_value is not none %}
        {{ column_name }} < {{ min_value }}
        {%- else %}
        1 = 0
        {%- endif %}
        {%- if max_value is not none %}
        or {{ column_name }} > {{ max_value }}
        {%- endif %}
    )

{% endtest %}
