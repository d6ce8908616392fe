{#- Team of each row's agent at the row's instant (docs/kpi_decisions.md,
    "Team at time"): the agent_team_history period covering the instant, else
    the agent's current team. Returns a select of (key columns, team) to join
    back on the key, e.g. inside a CTE:
        event_teams as ({{ agent_team_at('events', ['event_id'], 'agent_id', 'event_at') }})
    Joins int_agents__team_periods on agent_id only, so the cost grows with
    rows x periods of the same agent. -#}
{% macro agent_team_at(relation, key_columns, agent_column, instant_column, output_column='team_id') %}

    select
        {% for key in key_columns %}candidates.{{ key }},{% endfor %}
        candidates.{{ output_column }}
    from (
        select
            {% for key in key_columns %}rows_in.{{ key }},{% endfor %}
            periods.team_id as {{ output_column }},
            row_number() over (
                partition by {% for key in key_columns %}rows_in.{{ key }}{{ ', ' if not loop.last }}{% endfor %}
                order by periods.attribution_priority, periods.valid_from desc
            ) as candidate_rank
        from {{ relation }} as rows_in
        inner join {{ ref('int_agents__team_periods') }} as periods
            on rows_in.{{ agent_column }} = periods.agent_id
            and (
                periods.attribution_priority = 2
                or (
                    rows_in.{{ instant_column }} >= periods.valid_from
                    and (periods.valid_to is null or rows_in.{{ instant_column }} < periods.valid_to)
                )
            )
    ) as candidates
    where candidates.candidate_rank = 1

{% endmacro %}
