{#- Aggregates one metric definition (a dict returned by a macro in
    macros/metrics/) into kpi_values rows: every grain (day, ISO week, month)
    and every scope the metric lists, in one pass over its fact. With a
    measure (p50/p90) that pass is GROUPING SETS of every grain by every
    scope, since a percentile needs every observation of its period. A
    sums-only metric groups its observations by day and scope only, and its
    week and month rows sum those day rows: only the day grain hashes every
    observation (at 10M tickets the day grain is a third of the sets).

    A metric dict has
      kpi_id       the id in marts.kpi_values
      fact         the model it reads (a ref name)
      filter       row filter (SQL), optional
      anchor_date  the local date column that dates a row
      scopes       {scope_type: column}; `overall` is always added (unless
                   var('kpi_scope_types') leaves it out)
      numerator    per-row SQL expression, summed
      denominator  per-row SQL expression, summed; none for counts
      measure      per-row duration for p50/p90, optional
      value        SQL over `numerator`/`denominator` (the sums); default
                   numerator / denominator
      grains       optional subset of ['day', 'week', 'month']
    A model configured with kpi_incremental_by (kpi_incremental_periods.sql)
    also carries `_refreshed_at`, the facts' newest, and in an incremental
    build reads only the rows anchored on or after the recompute-from date.
    Rows are kept where the numerator or denominator sum is non-zero (a zero
    denominator gives value NULL, so day rows always re-aggregate to weeks
    and months) and the scope value is not NULL (each grouping set groups at
    most one scope, so scope_value is NULL exactly when that scope's value
    is).

    The project vars `kpi_grains` and `kpi_scope_types` (dbt_project.yml)
    narrow the output to those grains and scope types (kpi_output_grains,
    kpi_output_scopes); the defaults produce everything. Unit tests override
    them to check just the rows they mean. -#}
{% macro kpi_rollup(metric) %}
    {%- set grains = kpi_output_grains(metric.get('grains', ['day', 'week', 'month'])) -%}
    {%- set scopes = kpi_output_scopes(metric.get('scopes', {})) -%}
    {%- set with_overall = kpi_output_overall() -%}
    {#- Nothing selected (e.g. a month-only KPI with kpi_grains [day]): the
        same columns, no rows. -#}
    {%- set is_empty = grains | length == 0 or (not with_overall and scopes | length == 0) -%}
    {%- if is_empty -%}
        {%- set grains = metric.get('grains', ['day', 'week', 'month'])[:1] -%}
        {%- set with_overall = true -%}
    {%- endif -%}
    {%- set has_denominator = metric.get('denominator') is not none -%}
    {%- set measure = metric.get('measure') -%}
    {%- set value_expression = metric.get('value', 'numerator / denominator') -%}
    {%- set incremental_by = config.get('kpi_incremental_by') -%}
    {%- set day_grouping_sets = ['(day_start)'] if with_overall else [] -%}
    {%- for scope_type in scopes -%}
        {%- do day_grouping_sets.append('(day_start, scope_' ~ scope_type ~ ')') -%}
    {%- endfor -%}
    {%- set grouping_sets = [] -%}
    {%- for grain in grains -%}
        {%- if with_overall -%}
            {%- do grouping_sets.append('(' ~ grain ~ '_start)') -%}
        {%- endif -%}
        {%- for scope_type in scopes -%}
            {%- do grouping_sets.append('(' ~ grain ~ '_start, scope_' ~ scope_type ~ ')') -%}
        {%- endfor -%}
    {%- endfor %}

select
    '{{ metric.kpi_id }}' as kpi_id,
    grain,
    period_start,
    scope_type,
    scope_value,
    numerator,
    denominator,
    {{ kpi_safe_value(value_expression, has_denominator) }} as value,
    {%- if measure %}
    cast({{ array_element('percentiles', 1) }} as {{ type_double() }}) as p50,
    cast({{ array_element('percentiles', 2) }} as {{ type_double() }}) as p90
    {%- else %}
    cast(null as {{ type_double() }}) as p50,
    cast(null as {{ type_double() }}) as p90
    {%- endif %}
    {%- if incremental_by %},
    {{ kpi_refreshed_at(incremental_by) }} as _refreshed_at
    {%- endif %}
from (
    {%- if measure %}

    {#- Percentiles need every observation of a period: one pass of
        GROUPING SETS over the observations, every grain by every scope. -#}
    select
        {{ kpi_grain_columns(grains) }},
        {{ kpi_scope_columns(scopes) }},
        sum(numerator_part) as numerator,
        {{ percentiles_continuous('measure_part', [0.5, 0.9]) }} as percentiles,
        {{ kpi_denominator_sum(has_denominator) }}
    from (
        {{ kpi_observations(metric, scopes, grains, is_empty) }}
    ) as observations
    group by grouping sets ({{ grouping_sets | join(', ') }})
    {%- else %}

    {#- Sums only: each observation is summed once per scope into its day,
        and the week and month rows sum those day rows (as the
        re-aggregation test checks), so only the day grain hashes every
        observation. -#}
    select
        {{ kpi_grain_columns(grains) }},
        scope_type,
        scope_value,
        sum(numerator_part) as numerator,
        {{ kpi_denominator_sum(has_denominator) }}
    from (

        select
            {%- for grain in grains %}
            {{ kpi_period_start('day_start', grain) }} as {{ grain }}_start,
            {%- endfor %}
            scope_type,
            scope_value,
            numerator_part,
            denominator_part
        from (

            select
                day_start,
                {{ kpi_scope_columns(scopes) }},
                sum(numerator_part) as numerator_part,
                sum(denominator_part) as denominator_part
            from (
                {{ kpi_observations(metric, scopes, ['day'], is_empty) }}
            ) as observations
            group by grouping sets ({{ day_grouping_sets | join(', ') }})

        ) as day_rows

    ) as day_rows_by_period
    group by grouping sets (
        {%- for grain in grains %}
        ({{ grain }}_start, scope_type, scope_value){{ ',' if not loop.last }}
        {%- endfor %}
    )
    {%- endif %}
    having
        {%- if has_denominator %}
        (coalesce(sum(numerator_part), 0) <> 0 or coalesce(sum(denominator_part), 0) <> 0)
        {%- else %}
        coalesce(sum(numerator_part), 0) <> 0
        {%- endif %}

) as aggregated
{#- a NULL scope value (e.g. no team) is no scope row; in the outer query
    because Spark cannot resolve a grouping column in HAVING #}
{%- set kept = [] %}
{%- if scopes %}{% do kept.append('scope_value is not null') %}{% endif %}
{%- if kpi_incremental_periods() %}{% do kept.append(kpi_recomputed_period()) %}{% endif %}
{%- if kept %}
where {{ kept | join('\n    and ') }}
{%- endif %}

{% endmacro %}


{#- The observations of a metric: per fact row passing its filter, the first
    day of each grain's period, each scope's value as text, and the
    numerator, denominator and measure parts (in an incremental build by
    periods only the rows anchored on or after the recompute-from date). -#}
{% macro kpi_observations(metric, scopes, grains, is_empty) %}
        select
            {%- for grain in grains %}
            {{ kpi_period_start(metric.anchor_date, grain) }} as {{ grain }}_start,
            {%- endfor %}
            {%- for scope_type, column in scopes.items() %}
            cast({{ column }} as {{ dbt.type_string() }}) as scope_{{ scope_type }},
            {%- endfor %}
            cast({{ metric.numerator }} as {{ type_double() }}) as numerator_part,
            cast({{ metric.get('denominator') or 'null' }} as {{ type_double() }}) as denominator_part,
            cast({{ metric.get('measure') or 'null' }} as {{ type_double() }}) as measure_part
        from {{ ref(metric.fact) }}
        where {{ metric.anchor_date }} is not null
            {%- if is_empty %}
            and false
            {%- endif %}
            {%- if metric.get('filter') %}
            and ({{ metric.filter }})
            {%- endif %}
            {%- if kpi_incremental_periods() %}
            and {{ metric.anchor_date }} >= (select observed_from from {{ kpi_recompute_from_relation() }})
            {%- endif %}
{% endmacro %}


{#- grain and period_start of a GROUPING SETS row over `<grain>_start`
    columns. -#}
{% macro kpi_grain_columns(grains) %}
        case
            {%- for grain in grains %}
            when grouping({{ grain }}_start) = 0 then '{{ grain }}'
            {%- endfor %}
        end as grain,
        case
            {%- for grain in grains %}
            when grouping({{ grain }}_start) = 0 then {{ grain }}_start
            {%- endfor %}
        end as period_start
{%- endmacro %}


{#- scope_type and scope_value of a GROUPING SETS row over `scope_<type>`
    columns ('overall' and '*' when it groups none). -#}
{% macro kpi_scope_columns(scopes) %}
        {%- if scopes %}
        case
            {%- for scope_type in scopes %}
            when grouping(scope_{{ scope_type }}) = 0 then '{{ scope_type }}'
            {%- endfor %}
            else 'overall'
        end as scope_type,
        case
            {%- for scope_type in scopes %}
            when grouping(scope_{{ scope_type }}) = 0 then scope_{{ scope_type }}
            {%- endfor %}
            else '*'
        end as scope_value
        {%- else %}
        'overall' as scope_type,
        '*' as scope_value
        {%- endif %}
{%- endmacro %}


{#- The denominator of an aggregated row: the sum of its parts, or NULL for a
    count. -#}
{% macro kpi_denominator_sum(has_denominator) %}
        {%- if has_denominator -%}
        sum(denominator_part) as denominator
        {%- else -%}
        cast(null as {{ type_double() }}) as denominator
        {%- endif -%}
{%- endmacro %}


{#- The grains of `metric_grains` that var('kpi_grains') lets through, in
    the metric's order. -#}
{% macro kpi_output_grains(metric_grains) %}
    {%- set allowed = var('kpi_grains', ['day', 'week', 'month']) -%}
    {%- set grains = [] -%}
    {%- for grain in metric_grains if grain in allowed -%}
        {%- do grains.append(grain) -%}
    {%- endfor -%}
    {{ return(grains) }}
{% endmacro %}


{#- The {scope_type: column} entries of `scopes` that var('kpi_scope_types')
    lets through ('all', the default, lets every one through). -#}
{% macro kpi_output_scopes(scopes) %}
    {%- set allowed = var('kpi_scope_types', 'all') -%}
    {%- if allowed == 'all' -%}
        {{ return(scopes) }}
    {%- endif -%}
    {%- set selected = {} -%}
    {%- for scope_type, column in scopes.items() if scope_type in allowed -%}
        {%- do selected.update({scope_type: column}) -%}
    {%- endfor -%}
    {{ return(selected) }}
{% endmacro %}


{#- Whether var('kpi_scope_types') lets the implicit `overall` scope through. -#}
{% macro kpi_output_overall() %}
    {%- set allowed = var('kpi_scope_types', 'all') -%}
    {{ return(allowed == 'all' or 'overall' in allowed) }}
{% endmacro %}


{#- The first local date of the period of `grain` containing a date. -#}
{% macro kpi_period_start(date_expression, grain) %}
    {%- if grain == 'day' -%}
        cast({{ date_expression }} as date)
    {%- else -%}
        cast({{ dbt.date_trunc(grain, date_expression) }} as date)
    {%- endif -%}
{% endmacro %}


{#- value from the aggregated numerator and denominator; NULL instead of a
    division by zero. -#}
{% macro kpi_safe_value(value_expression, has_denominator) %}
    {%- if has_denominator -%}
        case when denominator <> 0 then {{ value_expression }} end
    {%- else -%}
        {{ value_expression if value_expression != 'numerator / denominator' else 'numerator' }}
    {%- endif -%}
{% endmacro %}


{#- kpi_values rows of several metric definitions, unioned. -#}
{% macro kpi_union(metrics) %}
    {%- for metric in metrics %}
select * from (
    {{ kpi_rollup(metric) }}
) as {{ metric.kpi_id }}_rows
{{ table_part_separator() if not loop.last }}
    {%- endfor %}
{% endmacro %}
