{#- A full build of a large model in parts of its key, so that the engine
    holds one part's join state at a time. A chain of hash joins keeps every
    build side and its payload in memory at once and DuckDB does not spill
    it: fct_tickets on 10M tickets fails in one statement at a 5 GB DuckDB
    limit and passes in nine (BENCHMARKS.md).

    The model configures full_build_parts={'rows_of': <model>} and filters
    every keyed input with full_build_part_filter(<key column>) (the ticket
    models get it from touched_ticket_filter). A full build splits the rows of
    `rows_of` into ceil(rows * var('full_build_bytes_per_row') / (the
    engine's memory limit - var('full_build_reserved_bytes'))) parts: the
    filter keeps the keys of hash bucket 0, the model's statement creates the
    table from them, and the project's post-hook (full_build_remaining_parts)
    inserts each further bucket by the same SQL with that bucket's number.
    Each part is the whole model's rows of its keys, so the table equals a
    build in one statement. An incremental build, a unit test, an engine
    without a memory limit (Postgres and Spark spill joins to disk) and a
    model that fits are one statement, as without the config. -#}
{% macro full_build_part_count() %}
    {%- set parts_config = config.get('full_build_parts') -%}
    {%- if not (parts_config and execute and this is not none) or is_incremental() -%}
        {{ return(1) }}
    {%- endif -%}
    {%- set memory_bytes = engine_memory_limit_bytes() -%}
    {%- if memory_bytes is none -%}
        {{ return(1) }}
    {%- endif -%}
    {#- What the engine uses besides the statement's join state (its scans'
        buffers), at least a tenth of the limit left for the statement. -#}
    {%- set statement_bytes = [memory_bytes - var('full_build_reserved_bytes'), memory_bytes / 10] | max -%}
    {#- Not built yet (a compile of an empty warehouse, such as the linter's). -#}
    {%- set rows_of = load_relation(ref(parts_config.rows_of)) -%}
    {%- if rows_of is none -%}
        {{ return(1) }}
    {%- endif -%}
    {%- set rows = run_query('select count(*) from ' ~ rows_of).columns[0].values()[0] -%}
    {{ return([1, ((rows * var('full_build_bytes_per_row') / statement_bytes) | round(0, 'ceil') | int)] | max) }}
{% endmacro %}


{#- The memory a query may use, in bytes, on an engine that holds hash
    join state in memory up to a limit; none on engines that spill it. -#}
{% macro engine_memory_limit_bytes() %}
    {{ return(adapter.dispatch('engine_memory_limit_bytes', 'switchboard')()) }}
{% endmacro %}

{#- DuckDB: its memory_limit setting, which it reports in binary units
    ('5.5 GiB' for 6GB; no limit reads '16383.9 PiB'). -#}
{% macro duckdb__engine_memory_limit_bytes() %}
    {%- set setting = run_query("select current_setting('memory_limit')").columns[0].values()[0] -%}
    {%- set number, unit = setting.split(' ') -%}
    {%- set unit_bytes = {
        'bytes': 1, 'KiB': 1024, 'MiB': 1024 ** 2, 'GiB': 1024 ** 3,
        'TiB': 1024 ** 4, 'PiB': 1024 ** 5, 'EiB': 1024 ** 6,
    } -%}
    {%- if unit not in unit_bytes -%}
    {{ exceptions.raise_compiler_error("DuckDB's memory_limit '" ~ setting ~ "' has a unit this project does not read") }}
    {%- endif -%}
    {{ return(number | float * unit_bytes[unit]) }}
{% endmacro %}

{% macro default__engine_memory_limit_bytes() %}
    {{ return(none) }}
{% endmacro %}


{#- `where <hash bucket of column> = 0 /* full build part 0 of n */`, keeping
    the first part's keys of a full build in n parts; nothing in a build of
    one statement. full_build_remaining_parts replaces the marker. -#}
{% macro full_build_part_filter(column) %}
    {%- set part_count = full_build_part_count() -%}
    {%- if part_count > 1 %}
    where {{ hash_bucket(column, part_count) }} {{ full_build_part_marker(0, part_count) }}
    {%- endif -%}
{% endmacro %}

{% macro full_build_part_marker(part, part_count) -%}
    = {{ part }} /* full build part {{ part }} of {{ part_count }} */
{%- endmacro %}


{#- The project's post-hook of every model (dbt_project.yml): when the
    model's SQL keeps the first part of a full build in parts, an insert of
    each further part (the same SQL, that part's number in each condition);
    nothing otherwise. -#}
{% macro full_build_remaining_parts() %}
    {%- set first = modules.re.search('/\* full build part 0 of (\d+) \*/', sql or '') if execute else none -%}
    {%- if first %}
    {%- set part_count = first.group(1) | int %}
    {%- for part in range(1, part_count) %}
    insert into {{ this }}
    {{ sql | replace(full_build_part_marker(0, part_count), full_build_part_marker(part, part_count)) }};
    {%- endfor %}
    {%- endif -%}
{% endmacro %}
