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
