{#- The local calendar date of a naive UTC instant in a time zone (an SQL
    expression, typically the owning schedule's time_zone column). -#}
{% macro local_date_of(instant_expression, time_zone_expression) %}
    cast({{ utc_to_local(instant_expression, time_zone_expression) }} as date)
{%- endmacro %}
