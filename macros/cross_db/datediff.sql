{#- dbt.datediff is the project's date arithmetic on every engine. On
    Postgres dbt's own version returns double precision for hours, minutes
    and seconds (date_part) and integer for days, where DuckDB and Spark
    return bigint, so the same model had other column types there (and its
    contract failed). This override of dbt's postgres__datediff is dbt's
    formula with every part cast to bigint: the same counts of boundaries
    crossed, as whole numbers. -#}
{% macro postgres__datediff(first_date, second_date, datepart) -%}
    {%- set part = datepart | lower -%}
    {%- if part == 'year' -%}
        ({{ postgres__datediff_part('year', second_date, 'date') }} - {{ postgres__datediff_part('year', first_date, 'date') }})
    {%- elif part == 'quarter' -%}
        ({{ postgres__datediff(first_date, second_date, 'year') }} * 4
            + {{ postgres__datediff_part('quarter', second_date, 'date') }} - {{ postgres__datediff_part('quarter', first_date, 'date') }})
    {%- elif part == 'month' -%}
        ({{ postgres__datediff(first_date, second_date, 'year') }} * 12
            + {{ postgres__datediff_part('month', second_date, 'date') }} - {{ postgres__datediff_part('month', first_date, 'date') }})
    {%- elif part == 'day' -%}
        cast(({{ second_date }})::date - ({{ first_date }})::date as bigint)
    {%- elif part == 'week' -%}
        ({{ postgres__datediff(first_date, second_date, 'day') }} / 7 + case
            when date_part('dow', ({{ first_date }})::timestamp) <= date_part('dow', ({{ second_date }})::timestamp) then
                case when {{ first_date }} <= {{ second_date }} then 0 else -1 end
            else
                case when {{ first_date }} <= {{ second_date }} then 1 else 0 end
        end)
    {%- elif part == 'hour' -%}
        ({{ postgres__datediff(first_date, second_date, 'day') }} * 24
            + {{ postgres__datediff_part('hour', second_date, 'timestamp') }} - {{ postgres__datediff_part('hour', first_date, 'timestamp') }})
    {%- elif part == 'minute' -%}
        ({{ postgres__datediff(first_date, second_date, 'hour') }} * 60
            + {{ postgres__datediff_part('minute', second_date, 'timestamp') }} - {{ postgres__datediff_part('minute', first_date, 'timestamp') }})
    {%- elif part == 'second' -%}
        ({{ postgres__datediff(first_date, second_date, 'minute') }} * 60
            + {{ postgres__datediff_part('second', second_date, 'timestamp') }} - {{ postgres__datediff_part('second', first_date, 'timestamp') }})
    {%- else -%}
        {{ exceptions.raise_compiler_error("Unsupported datepart for datediff on postgres: " ~ datepart) }}
    {%- endif -%}
{%- endmacro %}

{#- One field of a date or timestamp as a whole number (seconds floored). -#}
{% macro postgres__datediff_part(name, expression, as_type) -%}
    cast(floor(date_part('{{ name }}', ({{ expression }})::{{ as_type }})) as bigint)
{%- endmacro %}
