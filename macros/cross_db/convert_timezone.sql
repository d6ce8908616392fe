{#- Time-zone conversion of naive timestamps. Every instant in the warehouse is
    a naive UTC timestamp; a local wall-clock time is a naive timestamp read in
    an IANA time zone (DST rules of that zone applied). The time zone argument
    is an SQL expression (typically a column), not a Python string; quote a
    literal yourself: utc_to_local('created_at', "'Europe/Berlin'").
    A local time inside a DST gap or overlap resolves as the engine does. -#}

{#- Naive UTC timestamp -> naive local wall-clock timestamp in the zone. -#}
{% macro utc_to_local(timestamp_expression, time_zone_expression) %}
    {{ return(adapter.dispatch('utc_to_local', 'switchboard')(timestamp_expression, time_zone_expression)) }}
{% endmacro %}

{#- Naive local wall-clock timestamp in the zone -> naive UTC timestamp. -#}
{% macro local_to_utc(local_timestamp_expression, time_zone_expression) %}
    {{ return(adapter.dispatch('local_to_utc', 'switchboard')(local_timestamp_expression, time_zone_expression)) }}
{% endmacro %}


{#- ANSI-style `at time zone` (Postgres, Redshift, Trino...): a naive
    timestamp `at time zone z` is read in z and gives a timestamptz; a
    timestamptz `at time zone z` gives the naive wall-clock time in z. -#}
{% macro default__utc_to_local(timestamp_expression, time_zone_expression) %}
    cast((({{ timestamp_expression }}) at time zone 'UTC') at time zone ({{ time_zone_expression }}) as {{ dbt.type_timestamp() }})
{% endmacro %}

{% macro default__local_to_utc(local_timestamp_expression, time_zone_expression) %}
    cast((({{ local_timestamp_expression }}) at time zone ({{ time_zone_expression }})) at time zone 'UTC' as {{ dbt.type_timestamp() }})
{% endmacro %}


{#- DuckDB (ICU): timezone(z, naive) reads the naive value in z and gives a
    timestamptz; timezone(z, timestamptz) gives the naive wall-clock time in
    z. The UTC steps go through epoch microseconds, so the result does not
    depend on the session TimeZone. -#}
{% macro duckdb__utc_to_local(timestamp_expression, time_zone_expression) %}
    {#- make_timestamptz(epoch_us(...)) is the UTC instant without a time-zone
        lookup (about 40 % cheaper than timezone('UTC', ...)) -#}
    timezone({{ time_zone_expression }}, make_timestamptz(epoch_us(cast({{ timestamp_expression }} as timestamp))))
{% endmacro %}

{% macro duckdb__local_to_utc(local_timestamp_expression, time_zone_expression) %}
    make_timestamp(epoch_us(timezone({{ time_zone_expression }}, cast({{ local_timestamp_expression }} as timestamp))))
{% endmacro %}


{#- Spark: timestamps are session-zone instants; from_utc_timestamp /
    to_utc_timestamp shift a UTC wall-clock value to/from a zone's wall-clock
    value, which is exactly the naive-timestamp convention used here. -#}
{% macro spark__utc_to_local(timestamp_expression, time_zone_expression) %}
    from_utc_timestamp({{ timestamp_expression }}, {{ time_zone_expression }})
{% endmacro %}

{% macro spark__local_to_utc(local_timestamp_expression, time_zone_expression) %}
    to_utc_timestamp({{ local_timestamp_expression }}, {{ time_zone_expression }})
{% endmacro %}


{% macro postgres__utc_to_local(timestamp_expression, time_zone_expression) %}
    ((({{ timestamp_expression }})::timestamp at time zone 'UTC') at time zone ({{ time_zone_expression }}))
{% endmacro %}

{% macro postgres__local_to_utc(local_timestamp_expression, time_zone_expression) %}
    ((({{ local_timestamp_expression }})::timestamp at time zone ({{ time_zone_expression }})) at time zone 'UTC')
{% endmacro %}
