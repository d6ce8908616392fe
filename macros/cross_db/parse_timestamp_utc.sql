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

{#- Postgres has no try_cast and reads many non-ISO forms ('now', 'epoch',
    'Jan 5 2025'), so the text is first matched against the ISO 8601 forms
    the contract names (docs/contract_readings.md, "Timestamps and dates"),
    then checked for a real calendar date, then cast: with an offset (or Z)
    as timestamptz shifted to UTC, otherwise as a naive timestamp (already
    UTC). Independent of the session TimeZone. Fractions beyond microseconds
    are truncated, as DuckDB does. -#}
{% macro postgres__parse_timestamp_utc(expression) %}
    case
        when {{ postgres__iso_datetime_is_valid(expression) }}
            then case
                when {{ expression }} ~ '{{ postgres__iso_offset_pattern() }}$'
                    then cast(regexp_replace({{ expression }}, '([.][0-9]{6})[0-9]+', '\1') as timestamp with time zone) at time zone 'UTC'
                else cast(regexp_replace({{ expression }}, '([.][0-9]{6})[0-9]+', '\1') as timestamp)
            end
    end
{% endmacro %}


{#- Postgres helpers of parse_timestamp_utc and try_cast_text (POSIX regular
    expressions, `~`). An ISO date, optionally a time of day (T or spaces),
    optionally an offset: Z, ' UTC', +HH, +HHMM, +HH:MM[:SS] up to 15:59. -#}
{% macro postgres__iso_date_pattern() -%}
    [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}
{%- endmacro %}

{% macro postgres__iso_offset_pattern() -%}
    (Z| UTC|[+-](0[0-9]|1[0-5])(:?[0-5][0-9]){0,2})
{%- endmacro %}

{% macro postgres__iso_datetime_pattern() -%}
    ^{{ postgres__iso_date_pattern() }}((T| +)(([01]?[0-9]|2[0-3]):[0-5]?[0-9](:[0-5]?[0-9]([.][0-9]*)?)?|24:00(:00([.]0*)?)?){{ postgres__iso_offset_pattern() }}?)?$
{%- endmacro %}

{#- True when the text has an ISO date (with optional time and offset) whose
    year, month and day exist (leap years included); NULL/false otherwise.
    Only then is a cast safe: Postgres raises on 2025-02-30 instead of
    returning NULL. -#}
{% macro postgres__iso_datetime_is_valid(expression) -%}
    {%- set year = "cast(substring(" ~ expression ~ " from '^([0-9]{4})-') as integer)" -%}
    {%- set month = "cast(substring(" ~ expression ~ " from '^[0-9]{4}-([0-9]{1,2})-') as integer)" -%}
    {%- set day = "cast(substring(" ~ expression ~ " from '^[0-9]{4}-[0-9]{1,2}-([0-9]{1,2})') as integer)" -%}
    (
        case
            when {{ expression }} ~ '{{ postgres__iso_datetime_pattern() }}'
                then {{ year }} >= 1
                    and {{ month }} between 1 and 12
                    and {{ day }} between 1 and case
                        when {{ month }} in (4, 6, 9, 11) then 30
                        when {{ month }} <> 2 then 31
                        when ({{ year }} % 4 = 0 and {{ year }} % 100 <> 0) or {{ year }} % 400 = 0 then 29
                        else 28
                    end
            else false
        end
    )
{%- endmacro %}


{#- A timestamp-with-time-zone value (a typed Parquet column read in place)
    -> the naive UTC timestamp the warehouse stores. -#}
{% macro timestamptz_to_utc(expression) %}
    {{ return(adapter.dispatch('timestamptz_to_utc', 'switchboard')(expression)) }}
{% endmacro %}

{% macro default__timestamptz_to_utc(expression) -%}
    cast(({{ expression }}) at time zone 'UTC' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro duckdb__timestamptz_to_utc(expression) -%}
    make_timestamp(epoch_us({{ expression }}))
{%- endmacro %}

{#- Spark timestamps are instants shown in the session zone (UTC here). -#}
{% macro spark__timestamptz_to_utc(expression) -%}
    {{ expression }}
{%- endmacro %}
