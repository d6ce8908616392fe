"""The floor: the nine-KPI subset as one hand-written DuckDB query over the landing files.

The same readings as the pandas baseline (switchboard/bench/baselines/pandas_baseline.py)
and the warehouse: dedupe by greatest updated_at (ties: the last row of the last file),
merged tickets excluded, inbound calls only, local dates in the owning schedule's zone,
final resolution, backlog at each local day end. No quarantine and no dedupe of the
append-only tables; team at time is an ASOF join (history periods assumed not to overlap).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from switchboard.bench.baselines import landing as spec

QUERY = """
with

-- Reference: schedules' zones, teams' zones, agents and their team history.
zones as (
    select schedule_id, max(time_zone) as time_zone
    from {schedules}
    group by schedule_id
),

default_zone as (
    select time_zone from zones where schedule_id = '{default_schedule}'
),

team_zones as (
    select teams.team_id, coalesce(zones.time_zone, default_zone.time_zone) as time_zone
    from {teams} as teams
    cross join default_zone
    left join zones on teams.schedule_id = zones.schedule_id
),

agents as (
    select agent_id, team_id
    from {agents}
),

history as (
    select
        agent_id,
        team_id,
        cast(valid_from as timestamptz) as valid_from,
        cast(valid_to as timestamptz) as valid_to
    from {agent_team_history}
),

-- Tickets and their events.
all_tickets as (
    select
        ticket_id,
        lower(trim(channel)) as channel,
        cast(created_at as timestamptz) as created_at,
        team_id,
        merged_into_ticket_id
    from {tickets}
),

tickets as (
    select
        all_tickets.ticket_id,
        all_tickets.channel,
        all_tickets.created_at,
        coalesce(team_zones.time_zone, default_zone.time_zone) as time_zone
    from all_tickets
    cross join default_zone
    left join team_zones on all_tickets.team_id = team_zones.team_id
    where all_tickets.merged_into_ticket_id is null
),

all_events as (
    select
        ticket_id,
        event_id,
        cast(event_at as timestamptz) as event_at,
        lower(trim(event_type)) as event_type,
        cast(is_public as boolean) as is_public,
        cast(handle_seconds as bigint) as handle_seconds,
        lower(trim(new_status)) as new_status
    from {ticket_events}
),

events as (
    select * from all_events semi join tickets using (ticket_id)
),

first_replies as (
    select ticket_id, min(event_at) as first_reply_at
    from events
    where event_type = 'agent_reply' and is_public
    group by ticket_id
),

status_changes as (
    select
        ticket_id,
        event_at,
        new_status,
        row_number() over by_ticket as sequence,
        coalesce(lag(new_status) over by_ticket in ('solved', 'closed'), false) as was_done
    from events
    where event_type = 'status_changed' and new_status is not null
    window by_ticket as (partition by ticket_id order by event_at, event_id)
),

last_reopens as (
    select ticket_id, max(sequence) as last_reopen
    from status_changes
    where new_status in ('new', 'open', 'pending', 'on_hold') and was_done
    group by ticket_id
),

resolutions as (
    select
        status_changes.ticket_id,
        case when arg_max(status_changes.new_status, status_changes.sequence)
            in ('solved', 'closed') then coalesce(
            max(status_changes.event_at) filter (
                where status_changes.new_status = 'solved'
                and status_changes.sequence > coalesce(last_reopens.last_reopen, 0)
            ),
            min(status_changes.event_at) filter (
                where status_changes.new_status = 'closed'
                and status_changes.sequence > coalesce(last_reopens.last_reopen, 0)
            )
        ) end as resolved_at
    from status_changes
    left join last_reopens on status_changes.ticket_id = last_reopens.ticket_id
    group by status_changes.ticket_id
),

-- Backlog: +1 on the local date a ticket is created or reopened (from solved/closed),
-- -1 on the local date it enters solved/closed (a change before created_at takes effect
-- at created_at); a spell opened and closed on one day nets to 0 that day.
backlog_changes as (
    select cast(timezone(time_zone, created_at) as date) as day, channel, 1 as change
    from tickets
    union all
    select
        cast(timezone(
            tickets.time_zone, greatest(status_changes.event_at, tickets.created_at)
        ) as date),
        tickets.channel,
        case when status_changes.new_status in ('solved', 'closed') then -1 else 1 end
    from status_changes
    inner join tickets on status_changes.ticket_id = tickets.ticket_id
    where (status_changes.new_status in ('solved', 'closed')) != status_changes.was_done
),

-- Calls: the answering agent's team at offered_at gives the schedule.
calls as (
    select
        call_id,
        lower(trim(direction)) as direction,
        agent_id,
        cast(offered_at as timestamptz) as offered_at,
        cast(answered_at as timestamptz) as answered_at,
        cast(abandoned_at as timestamptz) as abandoned_at,
        cast(ended_at as timestamptz) as ended_at,
        coalesce(cast(talk_seconds as bigint), 0) + coalesce(cast(hold_seconds as bigint), 0)
        + coalesce(cast(acw_seconds as bigint), 0) as handle_seconds
    from {calls}
),

inbound_calls as (
    select
        calls.*,
        coalesce(team_zones.time_zone, default_zone.time_zone) as time_zone,
        date_diff('second', calls.offered_at, calls.answered_at) as wait_seconds,
        coalesce(
            date_diff('second', calls.offered_at, calls.abandoned_at) < {short_abandon}, false
        ) as is_short_abandon
    from calls
    asof left join history
        on calls.agent_id = history.agent_id and calls.offered_at >= history.valid_from
    left join agents on calls.agent_id = agents.agent_id
    left join team_zones on coalesce(
        case when history.valid_to is null or calls.offered_at < history.valid_to
            then history.team_id end,
        agents.team_id
    ) = team_zones.team_id
    cross join default_zone
    where calls.direction = 'inbound'
),

-- Surveys: the rated agent's team at responded_at, else the ticket's team.
surveys as (
    select
        response_id,
        lower(trim(survey_type)) as survey_type,
        lower(trim(contact_type)) as contact_type,
        contact_id,
        agent_id,
        cast(responded_at as timestamptz) as responded_at,
        cast(score as bigint) as score
    from {survey_responses}
),

rated_surveys as (
    select
        surveys.*,
        case surveys.contact_type
            when 'call' then 'phone' when 'ticket' then all_tickets.channel
        end as channel,
        coalesce(team_zones.time_zone, default_zone.time_zone) as time_zone
    from surveys
    asof left join history
        on surveys.agent_id = history.agent_id and surveys.responded_at >= history.valid_from
    left join agents on surveys.agent_id = agents.agent_id
    left join all_tickets
        on surveys.contact_type = 'ticket' and surveys.contact_id = all_tickets.ticket_id
    left join team_zones on coalesce(
        case when history.valid_to is null or surveys.responded_at < history.valid_to
            then history.team_id end,
        agents.team_id,
        all_tickets.team_id
    ) = team_zones.team_id
    cross join default_zone
    where surveys.survey_type in ('csat', 'nps')
),

-- One row per observation: kpi, local day, channel (NULL: no channel scope), parts.
facts as (
    select
        'first_reply_time' as kpi_id,
        cast(timezone(tickets.time_zone, tickets.created_at) as date) as day,
        tickets.channel,
        date_diff('second', tickets.created_at, first_replies.first_reply_at) as numerator,
        1 as denominator
    from tickets
    inner join first_replies on tickets.ticket_id = first_replies.ticket_id
    union all
    select
        'resolution_time',
        cast(timezone(tickets.time_zone, resolutions.resolved_at) as date),
        tickets.channel,
        date_diff('second', tickets.created_at, resolutions.resolved_at),
        1
    from tickets
    inner join resolutions on tickets.ticket_id = resolutions.ticket_id
    where resolutions.resolved_at is not null
    union all
    select
        'aht',
        cast(timezone(tickets.time_zone, events.event_at) as date),
        null,
        events.handle_seconds,
        1
    from events
    inner join tickets on events.ticket_id = tickets.ticket_id
    where events.event_type in ('agent_reply', 'internal_note') and events.handle_seconds > 0
    union all
    select
        'aht', cast(timezone(time_zone, answered_at) as date), null, handle_seconds, 1
    from inbound_calls
    where answered_at is not null
    union all
    select 'asa', cast(timezone(time_zone, offered_at) as date), null, wait_seconds, 1
    from inbound_calls
    where answered_at is not null
    union all
    select
        'service_level',
        cast(timezone(time_zone, offered_at) as date),
        null,
        case when wait_seconds <= {service_level_threshold} then 1 else 0 end,
        case when is_short_abandon then 0 else 1 end
    from inbound_calls
    union all
    select
        'abandonment_rate',
        cast(timezone(time_zone, offered_at) as date),
        null,
        case when abandoned_at is not null and not is_short_abandon then 1 else 0 end,
        case when is_short_abandon then 0 else 1 end
    from inbound_calls
    union all
    select
        survey_type,
        cast(timezone(time_zone, responded_at) as date),
        channel,
        case
            when survey_type = 'csat' then (score >= 4)::int
            else (score >= 9)::int - (score <= 6)::int
        end,
        1
    from rated_surveys
),

kpi_rows as (
    select
        kpi_id,
        day,
        case when grouping(channel) = 0 then 'channel' else 'overall' end as scope_type,
        case when grouping(channel) = 0 then channel else '*' end as scope_value,
        cast(sum(numerator) as double) as numerator,
        cast(sum(denominator) as double) as denominator
    from facts
    group by grouping sets ((kpi_id, day), (kpi_id, day, channel))
    having
        (sum(numerator) != 0 or sum(denominator) != 0)
        and not (grouping(channel) = 0 and channel is null)
),

-- Backlog counts: a running sum of the changes per scope over every local day up to
-- the as-of date (the latest instant loaded, in the default schedule).
as_of as (
    select max(latest_at) as as_of_at
    from (
        select max(created_at) as latest_at from all_tickets
        union all select max(event_at) from all_events
        union all select max(offered_at) from calls
        union all select max(ended_at) from calls
    )
),

backlog_days as (
    select cast(unnest(generate_series(
        (select min(day) from backlog_changes),
        cast(timezone(default_zone.time_zone, as_of.as_of_at) as date),
        interval 1 day
    )) as date) as day
    from as_of
    cross join default_zone
),

backlog_net as (
    select
        day,
        case when grouping(channel) = 0 then 'channel' else 'overall' end as scope_type,
        case when grouping(channel) = 0 then channel else '*' end as scope_value,
        sum(change) as change
    from backlog_changes
    group by grouping sets ((day), (day, channel))
),

backlog_counts as (
    select
        scopes.scope_type,
        scopes.scope_value,
        backlog_days.day,
        sum(coalesce(backlog_net.change, 0)) over (
            partition by scopes.scope_type, scopes.scope_value order by backlog_days.day
        ) as tickets
    from (select distinct scope_type, scope_value from backlog_net) as scopes
    cross join backlog_days
    left join backlog_net
        on scopes.scope_type = backlog_net.scope_type
        and scopes.scope_value = backlog_net.scope_value
        and backlog_days.day = backlog_net.day
)

select
    kpi_id,
    day as period_start,
    scope_type,
    scope_value,
    numerator,
    denominator,
    case when denominator != 0 then
        (case when kpi_id in ({percent_kpis}) then 100.0 else 1.0 end) * numerator / denominator
    end as value
from kpi_rows
union all
select
    'backlog', day, scope_type, scope_value, cast(tickets as double), null, cast(tickets as double)
from backlog_counts
where tickets > 0
order by kpi_id, period_start, scope_type, scope_value
"""

# Columns read from each landing table (ids, enumerations and times as in the contract).
READ_COLUMNS = {
    "schedules": ("schedule_id", "time_zone"),
    "teams": ("team_id", "schedule_id", "updated_at"),
    "agents": ("agent_id", "team_id", "updated_at"),
    "agent_team_history": ("agent_id", "team_id", "valid_from", "valid_to"),
    "tickets": (
        "ticket_id", "channel", "created_at", "team_id", "merged_into_ticket_id", "updated_at",
    ),
    "ticket_events": (
        "ticket_id", "event_id", "event_at", "event_type", "is_public", "handle_seconds",
        "new_status",
    ),
    "calls": (
        "call_id", "direction", "agent_id", "offered_at", "answered_at", "abandoned_at",
        "ended_at", "talk_seconds", "hold_seconds", "acw_seconds", "updated_at",
    ),
    "survey_responses": (
        "response_id", "survey_type", "contact_type", "contact_id", "agent_id", "responded_at",
        "score", "updated_at",
    ),
}  # fmt: skip


# Tables with re-exports (a version column) and their key.
LATEST_BY = {
    "teams": "team_id",
    "agents": "agent_id",
    "tickets": "ticket_id",
    "calls": "call_id",
    "survey_responses": "response_id",
}


def _quoted(paths: list[Path]) -> str:
    return "[" + ", ".join("'" + str(path).replace("'", "''") + "'" for path in paths) + "]"


def source(table: str, paths: list[Path]) -> str:
    """A subquery over a table's files: the columns read, one row per key when the table
    has re-exports (greatest updated_at, NULL last; ties: the last row of the last file).

    CSV is read as text (the query casts); a table without files is an empty relation
    (agent_team_history is optional)."""
    columns = ", ".join(f'"{name}"' for name in READ_COLUMNS[table])
    if not paths:
        return "(select " + ", ".join(
            f"cast(null as varchar) as {name}" for name in READ_COLUMNS[table]
        ) + " where false)"  # fmt: skip
    readers = []
    parquet = [path for path in paths if spec.is_parquet(path)]
    csv = [path for path in paths if not spec.is_parquet(path)]
    if parquet:
        readers.append(
            f"select {columns}, filename as _file, file_row_number as _row "
            f"from read_parquet({_quoted(parquet)}, filename = true, file_row_number = true, "
            "union_by_name = true)"
        )
    if csv:
        readers.append(
            f"select {columns}, filename as _file, ordinality as _row "
            f"from read_csv({_quoted(csv)}, header = true, all_varchar = true, "
            "filename = true, union_by_name = true) with ordinality"
        )
    rows = " union all by name ".join(readers)
    key = LATEST_BY.get(table)
    if key is None:
        return f"({rows})"
    return (
        f"(select * exclude (_file, _row) from ({rows}) qualify row_number() over ("
        f"partition by {key} order by cast(updated_at as timestamptz) desc nulls last, "
        "_file desc, _row desc) = 1)"
    )


def floor_query(landing: Path) -> str:
    """The query text for one landing directory (file lists spelled out)."""
    landing = Path(landing)
    sources = {
        table: source(table, spec.files(landing, table))
        for table in READ_COLUMNS
        if table != "schedules"
    }
    sources["schedules"] = source("schedules", spec.schedule_files(landing))
    return QUERY.format(
        **sources,
        default_schedule=spec.DEFAULT_SCHEDULE,
        short_abandon=spec.SHORT_ABANDON_SECONDS,
        service_level_threshold=spec.SERVICE_LEVEL_THRESHOLD_SECONDS,
        percent_kpis=", ".join(f"'{kpi}'" for kpi in sorted(spec.PERCENT_KPIS)),
    )


def duckdb_floor_kpis(landing: Path) -> pd.DataFrame:
    """The nine KPIs (grain day; overall, and channel where the KPI has it) from one
    DuckDB query, in the same shape as pandas_kpis."""
    con = duckdb.connect()
    try:
        con.execute("set TimeZone = 'UTC'")  # naive CSV timestamps are UTC
        con.execute("set enable_progress_bar = false")
        rows = con.execute(floor_query(landing)).df()
    finally:
        con.close()
    rows["period_start"] = rows["period_start"].dt.date
    return rows[spec.COLUMNS]
