{#- Incremental periods of a KPI group model (table_in_parts): an incremental
    build deletes the model's rows of every period that starts on or after a
    recompute-from date and re-aggregates those periods from the facts; the
    earlier periods stay as they are.

    The model opts in with kpi_incremental_by and the kinds of keys its
    metrics read (kpi_incremental_kinds): 'ticket' when they read only
    ticket-keyed facts (fct_tickets, and fct_ticket_events directly or through
    int_interactions' ticket rows and int_ticket_assignments), ['call',
    'ticket'] when they read calls too (fct_calls, int_interactions), 'survey'
    when they read survey responses (fct_survey_responses), 'interval' when
    they read agent intervals (fct_agent_intervals), 'article_view' when they
    read article views (int_article_views__deflection, and
    int_self_service_units' view rows). The rows of a ticket change only when
    fct_tickets re-writes it (fct_ticket_events re-reads a subset of the
    tickets fct_tickets does), those of a call, a response or an interval only
    when fct_calls, fct_survey_responses or fct_agent_intervals does, so the
    keys to account for are those the facts refreshed after the newest
    `_refreshed_at` the KPI model holds. Every anchor date such a key
    contributes, before and after the change, is the local date of an instant
    of one of its versions (a ticket's created_at or one of its events'
    event_at, a call's offered_at or later, a response's responded_at, an
    interval's start, a view's viewed_at): all of them are in the base models
    (which keep every version). A local date is at least the UTC date minus
    one day, so the earliest of those UTC dates minus one day bounds every
    anchor the change can add, move or remove. Periods starting on or after
    the start of that date's ISO week and month (the earlier of the two) hold
    no row of a key outside the refreshed ones that could differ, and every
    row of the refreshed ones. The latest day the model holds counts as such a
    date too, so the periods read at the as-of date (the backlog's current
    week and month) follow it when it moves (it only moves forward;
    docs/kpi_decisions.md, "SLA"). A fact whose every row this run refreshed,
    and which has rows (its first rows, or a rewrite of all of them), makes
    every period recomputed: what a KPI reads may depend on the fact's
    presence alone (the self-service ratio has no ticket units without any
    article view), and such a run re-reads every period anyway. Per grain, the
    periods recomputed are those starting on or after the period of the
    earliest date (kpi_recomputed_period): a week straddling the month start
    is recomputed whole or not at all.

    A code or seed change makes `switchboard build --incremental` build in
    full (README, "Incremental builds"): the periods are recomputed from the
    facts, not re-derived. -#}

{#- Makes the calling KPI model incremental by periods: sets its config, and
    declares the inputs of the recompute-from date as its dependencies (they
    are read only by the materialization).

    A model that copies the rows of KPI group models (kpi_values) names the
    groups that are themselves incremental by periods as `inputs`: it keeps
    their rows outside the recomputed periods, recomputes every row of every
    other KPI, and takes the latest day of each input (the earliest of them)
    as the day a KPI read at the as-of date moves from. -#}
{% macro kpi_incremental_by(incremental_by, inputs=[]) %}
    {%- do config(kpi_incremental_by=incremental_by, kpi_incremental_inputs=inputs) -%}
    {%- if not execute -%}
        {%- do kpi_recompute_from_sql(incremental_by, inputs) -%}
    {%- endif -%}
{% endmacro %}


{#- The incremental inputs of the calling model, as relations, checked: each
    must be incremental by periods itself, by kinds the model declares too
    (its recompute window then covers theirs). -#}
{% macro kpi_incremental_input_relations(incremental_by, inputs) %}
    {%- set relations = [] -%}
    {%- set kinds = kpi_incremental_kind_list(incremental_by) -%}
    {%- for name in inputs -%}
        {%- if execute -%}
            {%- set node = graph.nodes.get('model.' ~ project_name ~ '.' ~ name) -%}
            {%- set input_by = node.config.get('kpi_incremental_by') if node is not none else none -%}
            {%- if input_by is none -%}
                {{ exceptions.raise_compiler_error(
                    this.identifier ~ ": input " ~ name ~ " is not incremental by periods") }}
            {%- endif -%}
            {%- for kind in kpi_incremental_kind_list(input_by) if kind not in kinds -%}
                {{ exceptions.raise_compiler_error(
                    this.identifier ~ ": input " ~ name ~ " reads '" ~ kind ~ "', not in " ~ kinds | join(', ')) }}
            {%- endfor -%}
        {%- endif -%}
        {%- do relations.append(ref(name)) -%}
    {%- endfor -%}
    {{ return(relations) }}
{% endmacro %}


{#- The rows of the calling model an incremental build deletes: those of the
    recomputed periods, and for a model with incremental inputs every row of
    a KPI none of them produces. With lookback_periods, also the rows of that
    many same-grain periods before the first recomputed one: what a model
    comparing a period with earlier ones reads of its input. -#}
{% macro kpi_recomputed_rows(lookback_periods=0) %}
    {%- set inputs = kpi_incremental_input_relations(
        config.get('kpi_incremental_by'), config.get('kpi_incremental_inputs') or []) -%}
    ({{ kpi_recomputed_period(lookback_periods=lookback_periods) }}
    {%- if inputs %}
    or kpi_id not in (
        {%- for input in inputs %}
        select kpi_id from {{ input }}{{ ' union' if not loop.last }}
        {%- endfor %}
    )
    {%- endif %})
{%- endmacro %}


{#- True when the calling model builds incrementally by periods in this run. -#}
{% macro kpi_incremental_periods() %}
    {%- if not execute or model.resource_type != 'model' or config.get('kpi_incremental_by') is none
        or config.get('materialized') != 'table_in_parts' or should_full_refresh() -%}
        {{ return(false) }}
    {%- endif -%}
    {{ return(load_cached_relation(this) is not none) }}
{% endmacro %}


{#- The table that holds the run's recompute-from date while the model builds. -#}
{% macro kpi_recompute_from_relation() %}
    {{ return(this.incorporate(path={'identifier': this.identifier ~ '__recompute_from'}, type='table')) }}
{% endmacro %}


{#- The fact each kind of key names, and the base models whose every version
    holds the instants the fact's anchor dates are local dates of (every
    anchor of a call is at or after its offered_at: the contract quarantines
    a call answered, abandoned or ended before it was offered; a survey
    response's only anchor is its responded_at). An agent interval's key is
    (agent_id, interval_start) and its only instant its start, the same in
    every version: the start alone stands for the key. An article view's only
    anchor is its viewed_at (append-only: one version); its deflection row is
    rewritten when its article or a contact of its customer changes
    (touched_view_filter), and the self-service ratio's ticket units are
    tickets (kind 'ticket'). -#}
{% macro kpi_incremental_kinds() %}
    {{ return({
        'ticket': {
            'fact': 'fct_tickets',
            'key': 'ticket_id',
            'instants': [('base_helpdesk__tickets', 'created_at'), ('base_helpdesk__ticket_events', 'event_at')],
        },
        'call': {
            'fact': 'fct_calls',
            'key': 'call_id',
            'instants': [('base_telephony__calls', 'offered_at')],
        },
        'survey': {
            'fact': 'fct_survey_responses',
            'key': 'response_id',
            'instants': [('base_surveys__survey_responses', 'responded_at')],
        },
        'interval': {
            'fact': 'fct_agent_intervals',
            'key': 'interval_start',
            'instants': [('base_workforce__agent_intervals', 'interval_start')],
        },
        'article_view': {
            'fact': 'int_article_views__deflection',
            'key': 'view_id',
            'instants': [('base_knowledge_base__article_views', 'viewed_at')],
        },
    }) }}
{% endmacro %}


{#- The kinds a model is incremental by ('ticket', or a list such as
    ['call', 'ticket']), checked. -#}
{% macro kpi_incremental_kind_list(incremental_by) %}
    {%- set kinds = [incremental_by] if incremental_by is string else incremental_by -%}
    {%- for kind in kinds if kind not in kpi_incremental_kinds() -%}
        {{ exceptions.raise_compiler_error("kpi_incremental_by: unknown '" ~ kind ~ "'") }}
    {%- endfor -%}
    {{ return(kinds) }}
{% endmacro %}


{#- The newest `_refreshed_at` of the facts: the watermark the model's rows carry. -#}
{% macro kpi_refreshed_at(incremental_by) %}
    {%- set newest = [] -%}
    {%- for kind in kpi_incremental_kind_list(incremental_by) -%}
        {%- do newest.append('(select max(_refreshed_at) from ' ~ ref(kpi_incremental_kinds()[kind].fact) ~ ')') -%}
    {%- endfor -%}
    {{ newest[0] if newest | length == 1 else 'greatest(' ~ newest | join(', ') ~ ')' }}
{%- endmacro %}


{#- One row: per grain the first period this run recomputes (day_from,
    week_from, month_from: the periods of the earliest date and every later
    one), and observed_from, the first anchor date those periods read. NULL
    when nothing changed: nothing is recomputed. -#}
{% macro kpi_recompute_from_sql(incremental_by, inputs=[]) %}
    {%- do kpi_refreshed_at(incremental_by) -%}
    {%- set latest_day_models = kpi_incremental_input_relations(incremental_by, inputs) or [this] -%}
    {%- set earliest = 'cast(' ~ dbt.dateadd('day', -1, 'min(earliest_utc_date)') ~ ' as date)' %}
    {%- set refreshed = refreshed_since_watermark() %}
with
{% for kind in kpi_incremental_kind_list(incremental_by) %}
{%- set facts = kpi_incremental_kinds()[kind] %}
refreshed_{{ kind }}s as (

    select {{ facts.key }} from {{ ref(facts.fact) }}
    where {{ refreshed }}

),
{% endfor %}
earliest_dates as (
    {%- for kind in kpi_incremental_kind_list(incremental_by) %}
    {%- set facts = kpi_incremental_kinds()[kind] %}
    {%- for model, instant in facts.instants %}

    select min(cast({{ instant }} as date)) as earliest_utc_date
    from {{ ref(model) }}
    where {{ facts.key }} in (select {{ facts.key }} from refreshed_{{ kind }}s)

    union all
    {%- endfor %}

    -- every period when the fact's every row was refreshed (its first rows);
    -- the fact itself, not the CTE: DuckDB's plan of an exists on the CTE
    -- beside its other readers ran for minutes at 10M
    select cast('1900-01-01' as date) as earliest_utc_date
    from (select 1 as one) as one_row
    where
        exists (select 1 from {{ ref(facts.fact) }} where {{ refreshed }})
        and not exists (select 1 from {{ ref(facts.fact) }} where not ({{ refreshed }}))

    union all
    {%- endfor %}

    -- the latest day the model holds (of its inputs, the earliest): a KPI
    -- read at the as-of date (the backlog's current week and month) moves
    -- with it
    select min(latest_day) as earliest_utc_date
    from (
        {%- for model in latest_day_models %}
        select cast({{ dbt.dateadd('day', 1, 'max(period_start)') }} as date) as latest_day
        from {{ model }}
        where grain = 'day'
        {{- ' union all' if not loop.last }}
        {%- endfor %}
    ) as latest_days

),

bounds as (

    select {{ earliest }} as earliest_local_date
    from earliest_dates

),

final as (

    select
        {{ kpi_period_start('earliest_local_date', 'day') }} as day_from,
        {{ kpi_period_start('earliest_local_date', 'week') }} as week_from,
        {{ kpi_period_start('earliest_local_date', 'month') }} as month_from,
        least(
            {{ kpi_period_start('earliest_local_date', 'week') }},
            {{ kpi_period_start('earliest_local_date', 'month') }}
        ) as observed_from
    from bounds

)

select * from final
{%- endmacro %}


{#- True for a row of a recomputed period: its period starts on or after the
    first recomputed period of its grain. A week (month) that starts before
    the earliest date's week (month) ends before it, so it holds no refreshed
    row; the parts aggregate such partly read periods and this drops them. -#}
{% macro kpi_recomputed_period(grain_column='grain', period_start_column='period_start', lookback_periods=0) %}
    {%- set recompute_from = kpi_recompute_from_relation() -%}
    (
        {%- for grain in ['day', 'week', 'month'] %}
        {%- set first_period = '(select ' ~ grain ~ '_from from ' ~ recompute_from ~ ')' %}
        ({{ grain_column }} = '{{ grain }}'
            and {{ period_start_column }} >= {{ first_period if lookback_periods == 0
                else 'cast(' ~ dbt.dateadd(grain, -lookback_periods, first_period) ~ ' as date)' }})
        {{- ' or' if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}


{#- The KPI group models that are incremental by periods: the inputs of the
    models that copy or read kpi_values rows by period (kpi_values, alerts). -#}
{% macro kpi_incremental_groups() %}
    {{ return([
        'int_kpi_values__calls',
        'int_kpi_values__tickets',
        'int_kpi_values__backlog',
        'int_kpi_values__surveys',
        'int_kpi_values__agent_time',
        'int_kpi_values__self_service',
    ]) }}
{% endmacro %}


{#- Makes the calling model, which copies or reads kpi_values rows by period
    (kpi_values, the alerts), incremental by periods over every incremental
    KPI group: by every kind of key, so its window covers each group's. -#}
{% macro kpi_incremental_by_groups() %}
    {%- do kpi_incremental_by(kpi_incremental_kinds().keys() | sort, inputs=kpi_incremental_groups()) -%}
{% endmacro %}
