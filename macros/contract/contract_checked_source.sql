{#- The one mechanism that turns a raw contract table into typed rows.

    For every row of source(source_name, table_name) it returns the contract
    columns parsed into their types, any extra (non-contract) columns as text,
    and the bookkeeping columns
      _quarantine_reason  NULL for a usable row, else every reason, '; '-joined
      _is_superseded      true for an older version of a primary key
      _raw_row            the raw row as JSON text (only for rows that are
                          quarantined or superseded: audit.quarantined_rows)
      _source_file, _line_number, _load_id  written by the loader (its
                          _loaded_at is for source freshness only)
      _refreshed_at       when the build that last wrote the row started
                          (an incremental build stamps the keys it rewrites)
    Reasons come from the contract meta: missing primary key or required
    value, unparseable value, unknown enumeration value, value below its
    minimum, reference to an unknown parent key, and the table's row checks.
    Dedupe: among usable rows, the greatest version column wins; ties go to
    the last row in the file. -#}
{% macro contract_checked_source(source_name, table_name, relation=none) %}
    {#- source() at parse time too: the base model declares its source (lineage,
        and a unit test can give the source as an input). -#}
    {%- set declared_relation = relation if relation is not none else source(source_name, table_name) -%}
    {%- if not execute -%}
        select 1 as _placeholder
    {%- else -%}
    {%- set contract = contract_table(source_name, table_name) -%}
    {%- set meta = contract.meta -%}
    {%- set source_relation = declared_relation -%}
    {%- set contract_names = contract.columns | map(attribute='name') | list -%}
    {%- set loader_columns = ['_source_file', '_line_number', '_load_id', '_loaded_at'] -%}
    {%- set extra_names = [] -%}
    {%- if source_relation.is_cte -%}
        {#- A unit-test fixture (a CTE, not in the catalog): it has the raw
            table's columns as text, loader columns included; extra columns
            are not carried. -#}
        {%- set relation_columns = [] -%}
        {%- set has_loader_columns = true -%}
    {%- else -%}
        {%- set relation_columns = adapter.get_columns_in_relation(source_relation) -%}
        {%- set has_loader_columns = '_line_number' in relation_columns | map(attribute='name') | map('lower') | list -%}
    {%- endif -%}
    {%- set source_kinds = {} -%}
    {%- for column in relation_columns -%}
        {%- do source_kinds.update({column.name | lower: contract_source_kind(column.data_type)}) -%}
    {%- endfor -%}
    {%- do contract.update({'source_kinds': source_kinds}) -%}
    {%- for column in relation_columns -%}
        {%- if column.name | lower not in contract_names and column.name | lower not in loader_columns -%}
            {%- do extra_names.append(column.name | lower) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set primary_key = meta.primary_key -%}
    {%- set nullable_key_columns = meta.get('nullable_key_columns', []) -%}
    {%- set references = contract_references(contract) -%}

{#- The source rows. A full build reads every row: a subquery each reader
    scans itself (a CTE read by several readers would be buffered whole,
    96M rows at 10M tickets; the readers need different columns, and scans of
    the raw view are cheap). -#}
{%- set source_rows -%}
    select
        *
        {%- if not has_loader_columns %},
        {#- a seed default: no loader bookkeeping columns -#}
        '{{ source_relation.identifier }}' as _source_file,
        {#- ordered by every column, so that each scan numbers rows alike -#}
        row_number() over (order by {% for name in contract_names %}{{ adapter.quote(name) }}{{ ', ' if not loop.last }}{% endfor %}) as _line_number,
        'seed' as _load_id
        {%- endif %}
    from {{ source_relation }}
{%- endset %}
{#- An incremental build reads the rows of the keys the new loads touch
    (compared parsed, as dedupe does), plus rows quarantined for an unknown
    parent key (the parent may have arrived since). With delete+insert on the
    primary key every version of those keys is ranked again, so the result
    equals a full rebuild. The new rows are the raw view's branches of the
    newer loads (the watermark is a literal, so the others are never read);
    the earlier raw rows of those keys are found in this model, which holds
    every raw row with its parsed key, and read back by file and line: no
    parse of every earlier raw row. The two sets are disjoint, a `union all`
    (an `or` of them would read every raw row to test the second). They are
    a CTE, found once for all readers (DuckDB and Postgres materialise a CTE
    with several readers; a few rows here), so no reader's filter reaches
    into the join that finds them. -#}
{%- if is_incremental() %}
{%- set watermark = incremental_watermark('_load_id') %}
{%- set source_rows -%}
    {{ source_rows }}
    where _load_id > {{ watermark }}

    union all

    {{ source_rows }}
    where _load_id <= {{ watermark }}
        and (_source_file, _line_number) in (
            select _source_file, _line_number
            from {{ this }}
            where ({{ primary_key | join(', ') }}) in (
                select {{ contract_parsed_keys(contract) | join(', ') }}
                from {{ source_relation }}
                where _load_id > {{ watermark }}

                union all

                select {{ primary_key | join(', ') }}
                from {{ this }}
                where _quarantine_reason like '%(not in %'
            )
        )
{%- endset %}
{%- endif %}
{%- set source_reader = 'incremental_source_rows' if is_incremental() else '(' ~ source_rows ~ ')' %}

with
{% if is_incremental() -%}
incremental_source_rows as (
    {{ source_rows }}
),
{% endif -%}
{% for reference in references %}
{%- set parent_source = contract_source_of(reference.table) %}

{#- The referenced keys missing from the parent (usually none): found from
    the one narrow column, so the wide rows are only probed against this
    small set. A conditional reference (`when`) applies to the rows where
    another column has the given value (a survey's contact_id is a ticket
    or a call, by contact_type). -#}
{{ reference.name }} as (

    select distinct source.{{ reference.column }} as unknown_key
    from (
        select
            {%- if reference.when_column %}
            {{ contract_parse_column(adapter.quote(reference.when_column), 'enum', contract.source_kinds.get(reference.when_column, 'text')) }} as {{ reference.when_column }},
            {%- endif %}
            {{ contract_parse_column(adapter.quote(reference.column), reference.type, contract.source_kinds.get(reference.column, 'text')) }} as {{ reference.column }}
        from {{ source_reader }} as source_rows
    ) as source
    {#- an anti join on every usable parent row: a key's versions may repeat
        it, which an anti join does not mind (a `distinct` of the 10M ticket
        keys cost more than the join) #}
    left join (
        select {{ reference.parent_column }} as known_key
        from {{ ref('base_' ~ parent_source ~ '__' ~ reference.table) }}
        where _quarantine_reason is null
    ) as known
        on source.{{ reference.column }} = known.known_key
    where
        source.{{ reference.column }} is not null
        and known.known_key is null
        {%- if reference.when_column %}
        and source.{{ reference.when_column }} = '{{ reference.when_value }}'
        {%- endif %}

),
{%- endfor %}

{#- Every row is parsed and checked once (`checked` has one reader). Dedupe
    works on the few keys that occur more than once: their rows are found
    from the parsed key alone, checked again (a handful of rows), ranked, and
    the ranks joined back by file and line. -#}
checked as (

    {{ contract_checked_rows(source_reader ~ ' as source', contract, extra_names, references, nullable_key_columns, raw_row_for='quarantined') }}

),

duplicate_keys as (

    select
        {%- for key in contract_parsed_keys(contract) %}
        {{ key }} as _duplicate_key_{{ loop.index }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ source_reader }} as source
    group by {{ contract_parsed_keys(contract) | join(', ') }}
    having count(*) > 1

),

duplicate_rows as (

    select source.*
    from {{ source_reader }} as source
    inner join duplicate_keys
        on {% for key in primary_key %}{{ null_safe_equals(contract_parsed_keys(contract)[loop.index0], 'duplicate_keys._duplicate_key_' ~ loop.index) }}{{ ' and ' if not loop.last }}{% endfor %}

),

duplicate_checked as (

    {{ contract_checked_rows('duplicate_rows', contract, extra_names, references, nullable_key_columns, raw_row_for='all') }}

),

duplicate_ranks as (

    select
        _source_file,
        _line_number,
        _raw_row,
        row_number() over (
            partition by {{ primary_key | join(', ') }}
            order by
                {%- if meta.get('version_column') %}
                {{ meta.version_column }} desc nulls last,
                {%- endif %}
                _source_file desc,
                _line_number desc
        ) as _version_rank
    from duplicate_checked
    where _quarantine_reason is null

),

final as (

    select
        {%- for column in contract.columns %}
        checked.{{ column.name }},
        {%- endfor %}
        {%- for name in extra_names %}
        checked.{{ adapter.quote(name) }},
        {%- endfor %}
        checked._quarantine_reason,
        coalesce(duplicate_ranks._version_rank > 1, false) as _is_superseded,
        case
            when checked._quarantine_reason is not null then checked._raw_row
            when duplicate_ranks._version_rank > 1 then duplicate_ranks._raw_row
        end as _raw_row,
        checked._source_file,
        checked._line_number,
        checked._load_id,
        {{ build_started_at() }} as _refreshed_at
    from checked
    left join duplicate_ranks
        on
        checked._source_file = duplicate_ranks._source_file
        and checked._line_number = duplicate_ranks._line_number

)

select * from final
    {%- endif -%}
{% endmacro %}


{#- The parsed and checked rows of `relation` (a CTE over the source): every
    contract column parsed, its raw text beside it (`<column>__raw`), extra
    columns as text, `_quarantine_reason`, and the loader bookkeeping. -#}
{% macro contract_checked_rows(relation, contract, extra_names, references, nullable_key_columns, raw_row_for) %}
    {%- set contract_names = contract.columns | map(attribute='name') | list -%}
    select
        {%- for column in contract.columns %}
        {{ column.name }},
        {%- endfor %}
        {%- for name in extra_names %}
        {{ adapter.quote(name) }},
        {%- endfor %}
        _quarantine_reason,
        {%- if raw_row_for == 'quarantined' %}
        case
            when _quarantine_reason is not null
                then {{ raw_row_json(contract_raw_pairs(contract, extra_names)) }}
        end as _raw_row,
        {%- else %}
        {{ raw_row_json(contract_raw_pairs(contract, extra_names)) }} as _raw_row,
        {%- endif %}
        _source_file,
        _line_number,
        _load_id
    from (

        select
            parsed.*,
            {{ concat_ws_nonnull("'; '", contract_reason_expressions(contract, references, nullable_key_columns)) }} as _quarantine_reason
        from (

            select
                {%- for column in contract.columns %}
                {{ contract_parse_column(adapter.quote(column.name), column.meta.type, contract.source_kinds.get(column.name, 'text')) }} as {{ column.name }},
                {{ adapter.quote(column.name) }} as {{ column.name }}__raw,
                {%- endfor %}
                {%- for name in extra_names %}
                {{ adapter.quote(name) }},
                {%- endfor %}
                _source_file,
                _line_number,
                _load_id
            from {{ relation }}

        ) as parsed

    ) as reasoned
{% endmacro %}


{#- The primary-key columns parsed as their contract types (SQL expressions
    over the raw columns). -#}
{% macro contract_parsed_keys(contract) %}
    {%- set keys = [] -%}
    {%- for key in contract.meta.primary_key -%}
        {%- set column = contract.columns | selectattr('name', 'equalto', key) | first -%}
        {%- set parsed = contract_parse_column(adapter.quote(key), column.meta.type, contract.source_kinds.get(key, 'text')) -%}
        {%- do keys.append(parsed) -%}
    {%- endfor -%}
    {{ return(keys) }}
{% endmacro %}


{#- Every quarantine reason of a contract table, as SQL expressions that are
    NULL when the reason does not apply. -#}
{% macro contract_reason_expressions(contract, references, nullable_key_columns) %}
    {%- set expressions = [] -%}
    {%- set primary_key = contract.meta.primary_key -%}
    {%- for column in contract.columns -%}
        {%- set name = column.name -%}
        {%- set type = column.meta.type -%}
        {%- set raw = contract_raw_text(contract, name) -%}
        {%- set present = contract_raw_present(contract, name) -%}
        {%- if name in primary_key and name not in nullable_key_columns -%}
            {%- do expressions.append("case when not (" ~ present ~ ") then 'missing primary key " ~ name ~ "' end") -%}
        {%- elif not column.meta.get('nullable', true) -%}
            {%- do expressions.append("case when not (" ~ present ~ ") then 'missing required " ~ name ~ "' end") -%}
        {%- endif -%}
        {%- if type == 'enum' -%}
            {%- set quoted = [] -%}
            {%- for value in column.meta['values'] -%}{%- do quoted.append("'" ~ value ~ "'") -%}{%- endfor -%}
            {%- do expressions.append("case when " ~ name ~ " is not null and " ~ name ~ " not in (" ~ quoted | join(', ') ~ ") then " ~ dbt.concat(["'unknown " ~ name ~ " value '''", raw, "''''"]) ~ " end") -%}
        {%- elif type not in ('string',) -%}
            {%- do expressions.append("case when " ~ present ~ " and " ~ name ~ " is null then " ~ dbt.concat(["'unparseable " ~ type ~ " in " ~ name ~ ": '''", raw, "''''"]) ~ " end") -%}
        {%- endif -%}
        {%- if column.meta.get('min') is not none -%}
            {%- set label = 'negative ' ~ name if column.meta['min'] == 0 else name ~ ' below ' ~ column.meta['min'] -%}
            {%- do expressions.append("case when " ~ name ~ " < " ~ column.meta['min'] ~ " then '" ~ label ~ "' end") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for reference in references -%}
        {#- a semi-join against the small set of unknown keys -#}
        {%- set applies = " and parsed." ~ reference.when_column ~ " = '" ~ reference.when_value ~ "'" if reference.when_column else "" -%}
        {%- do expressions.append("case when parsed." ~ reference.column ~ " in (select unknown_key from " ~ reference.name ~ ")" ~ applies ~ " then " ~ dbt.concat(["'unknown " ~ reference.column ~ " '''", "parsed." ~ reference.column, "''' (not in " ~ reference.table ~ ")'"]) ~ " end") -%}
    {%- endfor -%}
    {%- for check in contract.meta.get('checks', []) -%}
        {%- do expressions.append("case when (" ~ check.fails_when ~ ") then '" ~ check.reason | replace("'", "''") ~ "' end") -%}
    {%- endfor -%}
    {{ return(expressions) }}
{% endmacro %}


{#- (name, raw-text expression) pairs for the raw row JSON. -#}
{% macro contract_raw_pairs(contract, extra_names) %}
    {%- set pairs = [] -%}
    {%- for column in contract.columns -%}{%- do pairs.append((column.name, contract_raw_text(contract, column.name))) -%}{%- endfor -%}
    {%- for name in extra_names -%}{%- do pairs.append((name, adapter.quote(name))) -%}{%- endfor -%}
    {{ return(pairs) }}
{% endmacro %}


{#- The source name that declares a contract table (e.g. tickets -> helpdesk),
    from contract_sources. -#}
{% macro contract_source_of(table_name) %}
    {%- set sources = contract_sources() -%}
    {%- if table_name not in sources -%}
        {{ exceptions.raise_compiler_error("No source declares table " ~ table_name) }}
    {%- endif -%}
    {{ return(sources[table_name]) }}
{% endmacro %}


{#- Every source table's source name ({table: source}) from the dbt graph;
    unit tests (no graph) override it with the tables they reference. -#}
{% macro contract_sources() %}
    {%- set sources = {} -%}
    {%- for node in graph.sources.values() -%}
        {%- do sources.update({node.name: node.source_name}) -%}
    {%- endfor -%}
    {{ return(sources) }}
{% endmacro %}


{#- The raw value of a contract column as text (for reasons and the raw-row
    JSON), and whether it is present (not NULL, not blank text). -#}
{% macro contract_raw_text(contract, name) %}
    {{ return('cast(' ~ name ~ '__raw as ' ~ dbt.type_string() ~ ')') }}
{% endmacro %}


{% macro contract_raw_present(contract, name) %}
    {%- if contract.source_kinds.get(name, 'text') == 'text' -%}
        {{ return("nullif(trim(" ~ contract_raw_text(contract, name) ~ "), '') is not null") }}
    {%- endif -%}
    {{ return(name ~ '__raw is not null') }}
{% endmacro %}


{#- The references of a contract table, one dict per (column, parent):
    column, its contract type, parent table and key column, the optional
    condition (`when: {column: value}`), and the name of its unknown-keys CTE.
    A column's meta.references is one reference or a list of them. -#}
{% macro contract_references(contract) %}
    {%- set references = [] -%}
    {%- for column in contract.columns if column.meta.get('references') -%}
        {%- set declared = column.meta.references -%}
        {%- set declared = declared if declared is sequence and declared is not mapping else [declared] -%}
        {%- for parent in declared -%}
            {%- set when = parent.get('when') or {} -%}
            {%- do references.append({
                'column': column.name,
                'type': column.meta.type,
                'table': parent.table,
                'parent_column': parent.column,
                'when_column': (when.keys() | list | first) if when else none,
                'when_value': (when.values() | list | first) if when else none,
                'name': 'unknown_' ~ column.name ~ ('_' ~ loop.index if declared | length > 1 else ''),
            }) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(references) }}
{% endmacro %}
