{#- The median of a fixed list of SQL expressions (a scalar, per row): the
    middle value, or the mean of the two middle values. NULL inputs are not
    expected (callers pass complete lists). Used for a robust baseline over
    the trailing periods of a KPI, where a window of lags gives the values. -#}
{% macro median_of_values(expressions) %}
    {{ return(adapter.dispatch('median_of_values', 'switchboard')(expressions)) }}
{% endmacro %}

{% macro duckdb__median_of_values(expressions) -%}
    list_aggregate([{{ expressions | join(', ') }}], 'median')
{%- endmacro %}

{#- Spark: the middle element(s) of the sorted array (element_at is 1-based). -#}
{% macro spark__median_of_values(expressions) -%}
    {%- set sorted_array = 'array_sort(array(' ~ expressions | join(', ') ~ '))' -%}
    {%- set count = expressions | length -%}
    {%- if count % 2 == 1 -%}
        element_at({{ sorted_array }}, {{ (count + 1) // 2 }})
    {%- else -%}
        (element_at({{ sorted_array }}, {{ count // 2 }}) + element_at({{ sorted_array }}, {{ count // 2 + 1 }})) / 2.0
    {%- endif -%}
{%- endmacro %}

{% macro default__median_of_values(expressions) -%}
    (
        select percentile_cont(0.5) within group (order by median_input.value)
        from unnest(array[{{ expressions | join(', ') }}]) as median_input (value)
    )
{%- endmacro %}
