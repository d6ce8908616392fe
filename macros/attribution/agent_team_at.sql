{#- Team of an agent at an instant (docs/kpi_decisions.md, "Team at time"):
    the agent_team_history row covering the instant, else agents.team_id.
    Returns a scalar subquery-free SQL fragment: use as
        {{ agent_team_at('events', 'agent_id', 'event_at') }}
    which renders a left-joined lateral lookup as a CTE-friendly select.
    Implemented as a window over int_agents__team_periods joined on agent_id
    (linear in rows x periods of the same agent). -#}
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
