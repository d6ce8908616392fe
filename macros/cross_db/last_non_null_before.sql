{#- The value of `expression` on the latest earlier row (in `order_by`) of
    the partition where it is not NULL: "the previous status change's status".
    A window function over the rows before the current one, or with
    through_current_row also the current row ("the latest reply so far"). -#}
{% macro last_non_null_before(expression, partition_by, order_by, through_current_row=false) %}
    {{ return(adapter.dispatch('last_non_null_before', 'switchboard')(expression, partition_by, order_by, through_current_row)) }}
{% endmacro %}

{% macro window_frame_end(through_current_row) -%}
    {{ 'current row' if through_current_row else '1 preceding' }}
{%- endmacro %}

{% macro default__last_non_null_before(expression, partition_by, order_by, through_current_row) %}
    last_value({{ expression }} ignore nulls) over (
        partition by {{ partition_by }}
        order by {{ order_by }}
        rows between unbounded preceding and {{ window_frame_end(through_current_row) }}
    )
{% endmacro %}

{% macro spark__last_non_null_before(expression, partition_by, order_by, through_current_row) %}
    last_value({{ expression }}, true) over (
        partition by {{ partition_by }}
        order by {{ order_by }}
        rows between unbounded preceding and {{ window_frame_end(through_current_row) }}
    )
{% endmacro %}

{#- Postgres has no IGNORE NULLS: the non-NULL values so far as an array
    (a window aggregate with FILTER), and its last element. -#}
{% macro postgres__last_non_null_before(expression, partition_by, order_by, through_current_row) %}
    {%- set values_so_far -%}
    (array_agg({{ expression }}) filter (where ({{ expression }}) is not null) over (
        partition by {{ partition_by }}
        order by {{ order_by }}
        rows between unbounded preceding and {{ window_frame_end(through_current_row) }}
    ))
    {%- endset -%}
    {{ values_so_far }}[cardinality({{ values_so_far }})]
{% endmacro %}
