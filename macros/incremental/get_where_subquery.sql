{#- The relation a generic test reads (dbt wraps every generic test's `model`
    in get_where_subquery). This project's override adds one rule: a test on a
    model that documents a `_refreshed_at` column checks what the latest build
    wrote, the rows whose `_refreshed_at` is the model's newest.

    - Row tests (not_null, accepted_values, relationships, expression_is_true,
      value_between) read only those rows.
    - Key tests (unique, unique_combination) read every row whose key occurs
      among them, so a new row that repeats an older row's key still fails.
    - Other tests (row counts, recency) read the whole table.

    Sound because a build publishes only when every test passes: the rows an
    earlier build wrote passed then, and an incremental model's delete+insert
    stamps every row it rewrites. A full build stamps every row alike, so its
    tests read whole tables, unfiltered (one query per test compares the
    oldest and newest stamp). `--vars '{test_whole_tables: true}'` reads whole
    tables in any build. A test's own `where` config still applies. In a
    `dbt build`, a model whose newest stamp predates the build wrote nothing
    in it and its scoped tests read no row (an incremental build with no new
    data tests what it wrote: nothing); `dbt test` on its own keeps reading
    the newest stamp's rows.

    Self-contained: dbt gives a test's namespace only the macros it depends
    on, so this macro calls no other project macro. -#}
{% macro default__get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- set row_tests = ['not_null', 'accepted_values', 'relationships', 'expression_is_true', 'value_between'] -%}
    {%- set key_tests = {'unique': 'column_name', 'unique_combination': 'columns'} -%}
    {%- set test_name = model.test_metadata.name if model.test_metadata is not none else none -%}
    {%- set tested = graph.nodes.get(model.attached_node) if model.attached_node else none -%}
    {%- set scoped = tested is not none
        and '_refreshed_at' in tested.get('columns', {})
        and test_name in row_tests + (key_tests | list)
        and not var('test_whole_tables', false) -%}
    {%- set wrote_nothing = false -%}
    {%- set existing = adapter.get_relation(relation.database, relation.schema, relation.identifier)
        if scoped and execute else none -%}
    {%- if existing is none -%}
        {#- Not built yet (`dbt compile` of a bare warehouse): nothing to ask. -#}
        {%- set scoped = false -%}
    {%- else -%}
        {#- Rows of one stamp only (a full build): the whole table, without
            the filter's extra pass. -#}
        {%- set stamps = adapter.execute(
            'select min(_refreshed_at) < max(_refreshed_at), max(_refreshed_at) from ' ~ relation,
            fetch=True,
        )[1] -%}
        {%- set scoped = stamps.rows[0][0] -%}
        {%- set newest = stamps.rows[0][1] -%}
        {%- set build_start = run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') -%}
        {%- set wrote_nothing = flags.WHICH == 'build' and newest is not none
            and newest.strftime('%Y-%m-%d %H:%M:%S.%f') < build_start -%}
    {%- endif -%}
    {%- set conditions = ['(' ~ where ~ ')'] if where else [] -%}
    {%- if wrote_nothing -%}
        {#- A `dbt build` whose model wrote no row (every stamp predates the
            build): its rows passed when they were written. -#}
        {%- do conditions.append('1 = 0') -%}
    {%- elif scoped -%}
        {#- The newest stamp as a literal: the engine reads only the row groups
            that hold it (zone maps), where a subquery is compared row by row. -#}
        {%- set latest = "_refreshed_at = cast('" ~ newest.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as " ~ api.Column.translate_type('timestamp') ~ ")" -%}
        {%- if test_name in key_tests -%}
            {%- set key = model.test_metadata.kwargs[key_tests[test_name]] -%}
            {%- set key_columns = (key if key is not string else [key]) | join(', ') -%}
            {%- do conditions.append('(' ~ key_columns ~ ') in (select ' ~ key_columns ~ ' from ' ~ relation ~ ' where ' ~ latest ~ ')') -%}
        {%- else -%}
            {%- do conditions.append(latest) -%}
        {%- endif -%}
    {%- endif -%}
    {%- if conditions -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ conditions | join(' and ') }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
