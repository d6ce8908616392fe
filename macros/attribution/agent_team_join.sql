{#- The team of a row's agent at the row's instant (docs/kpi_decisions.md,
    "Team at time"): the agent_team_history period covering the instant
    (latest valid_from on overlap), else the agent's current team. Returns a
    left join to int_agents__team_segments under `alias`; the caller reads
    `alias.team_id` (NULL when the agent is unknown or has no team), e.g.
        from events
        {{ agent_team_join('event_teams', 'events.agent_id', 'events.event_at') }}
    Segments do not overlap, so each row matches at most one: one hash join on
    the agent with a range filter, linear in rows. -#}
{% macro agent_team_join(alias, agent_expression, instant_expression) %}
    left join {{ ref('int_agents__team_segments') }} as {{ alias }}
        on
        {{ agent_expression }} = {{ alias }}.agent_id
        and (
            ({{ instant_expression }} is null and {{ alias }}.covers_unknown_instant)
            or (
                ({{ alias }}.valid_from is null or {{ instant_expression }} >= {{ alias }}.valid_from)
                and ({{ alias }}.valid_to is null or {{ instant_expression }} < {{ alias }}.valid_to)
            )
        )
{%- endmacro %}
