{#- Team of each row's agent at the row's instant (docs/kpi_decisions.md,
    "Team at time"): the agent_team_history period covering the instant, else
    the agent's current team. Returns a select of (key columns, team) to join
    back on the key, e.g. inside a CTE:
        event_teams as ({{ agent_team_at('events', ['event_id'], 'agent_id', 'event_at') }})
    Cost: hash joins on the agent (history periods of the same agent only)
    and one aggregate over the rows an agent's history covers. -#}
{% macro agent_team_at(relation, key_columns, agent_column, instant_column, output_column='team_id') %}
    {%- set periods = ref('int_agents__team_periods') -%}
    {%- set same_key = [] -%}
    {%- for key in key_columns -%}
        {%- do same_key.append('rows_in.' ~ key ~ ' = covering.' ~ key) -%}
    {%- endfor %}

    select
        {% for key in key_columns %}rows_in.{{ key }},{% endfor %}
        coalesce(history_periods.team_id, current_periods.team_id) as {{ output_column }}
    from {{ relation }} as rows_in
    left join (
        {#- the latest-starting history period covering the instant; a hash join
            on the agent plus an aggregate, so no window over every row -#}
        select
            {% for key in key_columns %}rows_in.{{ key }},{% endfor %}
            max(periods.valid_from) as valid_from
        from {{ relation }} as rows_in
        inner join {{ periods }} as periods
            on rows_in.{{ agent_column }} = periods.agent_id
            and periods.attribution_priority = 1
            and rows_in.{{ instant_column }} >= periods.valid_from
            and (periods.valid_to is null or rows_in.{{ instant_column }} < periods.valid_to)
        group by {% for key in key_columns %}rows_in.{{ key }}{{ ', ' if not loop.last }}{% endfor %}
    ) as covering
        on {{ same_key | join(' and ') }}
    left join {{ periods }} as history_periods
        on rows_in.{{ agent_column }} = history_periods.agent_id
        and history_periods.attribution_priority = 1
        and covering.valid_from = history_periods.valid_from
    left join {{ periods }} as current_periods
        on rows_in.{{ agent_column }} = current_periods.agent_id
        and current_periods.attribution_priority = 2
    where coalesce(history_periods.team_id, current_periods.team_id) is not null

{% endmacro %}
