{#- ISO 8601 text -> naive UTC timestamp; offsets honoured, naive text read as
    UTC, unparseable text -> NULL. The warehouse stores every instant as a
    naive UTC timestamp so that all engines agree. -#}
{% macro parse_timestamp_utc(expression) %}
    {{ return(adapter.dispatch('parse_timestamp_utc', 'switchboard')(expression)) }}
{% endmacro %}

{% macro default__parse_timestamp_utc(expression) %}
    cast({{ expression }} as timestamp)
{% endmacro %}

{% macro duckdb__parse_timestamp_utc(expression) %}
    {#- The profile pins TimeZone = UTC, so a naive string is read as UTC; the
        instant's epoch gives the naive UTC value without a time-zone lookup
        (about twice as fast as timezone('UTC', ...)). -#}
    make_timestamp(epoch_us(try_cast({{ expression }} as timestamptz)))
{% endmacro %}

{% macro spark__parse_timestamp_utc(expression) %}
    {#- The profile pins spark.sql.session.timeZone = UTC, so a naive string is
        read as UTC and an offset is honoured. Spark would also read '2025' or
        '2025-03' as timestamps: only text starting with a full date is cast. -#}
    case when {{ regexp_full_match(expression, '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([T ].*)?') }}
        then try_cast({{ expression }} as timestamp) end
{% endmacro %}
