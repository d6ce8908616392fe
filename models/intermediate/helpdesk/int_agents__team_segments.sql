{#- The team of each agent over time as non-overlapping segments, so that a
    timestamp finds its team with one range join (macro agent_team_join):
    between consecutive history boundaries the covering agent_team_history
    period with the latest valid_from wins; before the first boundary, in
    gaps, and for agents without history, the agent's current team applies. -#}

with

history as (

    select * from {{ ref('stg_helpdesk__agent_team_history') }}

),

agents as (

    select * from {{ ref('stg_helpdesk__agents') }}

),

boundaries as (

    select
        agent_id,
        valid_from as boundary_at
    from history

    union

    select
        agent_id,
        valid_to as boundary_at
    from history
    where valid_to is not null

),

segments as (

    select
        agent_id,
        boundary_at as valid_from,
        lead(boundary_at) over (partition by agent_id order by boundary_at) as valid_to
    from boundaries

),

covering_periods as (

    select
        segments.agent_id,
        segments.valid_from,
        segments.valid_to,
        history.team_id,
        row_number() over (
            partition by segments.agent_id, segments.valid_from
            order by history.valid_from desc
        ) as covering_rank
    from segments
    inner join history
        on
        segments.agent_id = history.agent_id
        and segments.valid_from >= history.valid_from
        and (history.valid_to is null or segments.valid_from < history.valid_to)

),

history_segments as (

    select
        agent_id,
        team_id,
        valid_from,
        valid_to,
        false as covers_unknown_instant
    from covering_periods
    where covering_rank = 1

),

first_boundaries as (

    select
        agent_id,
        min(boundary_at) as first_boundary_at
    from boundaries
    group by agent_id

),

leading_segments as (

    select
        agents.agent_id,
        agents.team_id,
        cast(null as {{ dbt.type_timestamp() }}) as valid_from,
        first_boundaries.first_boundary_at as valid_to,
        true as covers_unknown_instant
    from agents
    left join first_boundaries
        on agents.agent_id = first_boundaries.agent_id
    where agents.team_id is not null

),

gap_segments as (

    select
        segments.agent_id,
        agents.team_id,
        segments.valid_from,
        segments.valid_to,
        false as covers_unknown_instant
    from segments
    inner join agents
        on segments.agent_id = agents.agent_id
    left join history_segments
        on
        segments.agent_id = history_segments.agent_id
        and segments.valid_from = history_segments.valid_from
    where
        history_segments.agent_id is null
        and agents.team_id is not null

),

final as (

    select * from history_segments
    union all
    select * from leading_segments
    union all
    select * from gap_segments

)

select * from final
