{#- 'HH:MM' or 'HH:MM:SS' -> seconds since midnight (24:00 allowed as the end
    of a day); anything else -> NULL. Engines disagree on a TIME type, so
    times of day are stored as integer seconds. -#}
{% macro parse_time_of_day_seconds(expression) %}
    {{ return(adapter.dispatch('parse_time_of_day_seconds', 'switchboard')(expression)) }}
{% endmacro %}

{% macro default__parse_time_of_day_seconds(expression) %}
    case
        when {{ regexp_full_match(expression, '([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?|24:00(:00)?') }}
            then cast({{ dbt.split_part(expression, "':'", 1) }} as {{ api.Column.translate_type('bigint') }}) * 3600
                + cast({{ dbt.split_part(expression, "':'", 2) }} as {{ api.Column.translate_type('bigint') }}) * 60
                + coalesce(cast(nullif({{ dbt.split_part(expression, "':'", 3) }}, '') as {{ api.Column.translate_type('bigint') }}), 0)
    end
{% endmacro %}
