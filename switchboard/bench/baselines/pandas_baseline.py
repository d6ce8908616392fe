"""The nine-KPI subset in pandas, as an analyst would write it against the landing files.

Reads only the columns it needs, in chunks (ticket_events is filtered chunk by chunk
into three narrow subsets), with enumerations and time zones as categoricals and ids as
Arrow-backed strings; dedupes re-exported rows (greatest updated_at, ties the last row
read); and follows docs/kpi_decisions.md: merged tickets excluded, inbound calls only,
short abandons, owning schedules and local dates, final resolution, backlog at each
local day end. Lookups are merges: on Arrow-backed strings pandas factorizes both keys
in Arrow, while `Series.map` and `isin` would build a Python object for every id.

No quarantine: rows are assumed valid (the bench data is clean), and append-only
tables (ticket_events, agent_team_history) are not deduplicated. Team at time is an
as-of join on valid_from, which assumes an agent's history periods do not overlap (the
warehouse takes the latest valid_from on overlap).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from switchboard import contract
from switchboard.bench.baselines import landing as spec

TIMESTAMP, INTEGER, BOOLEAN, ENUM, TEXT = "timestamp", "integer", "boolean", "enum", "text"
CHUNK_ROWS = 2_000_000
# Arrow types read as pandas' nullable dtypes (strings stay in Arrow buffers).
NULLABLE = {
    pa.string(): pd.StringDtype("pyarrow"),
    pa.large_string(): pd.StringDtype("pyarrow"),
    pa.int64(): pd.Int64Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.bool_(): pd.BooleanDtype(),
    pa.float64(): pd.Float64Dtype(),
}

TICKET_COLUMNS = {
    "ticket_id": TEXT,
    "channel": ENUM,
    "created_at": TIMESTAMP,
    "team_id": TEXT,
    "merged_into_ticket_id": TEXT,
    "updated_at": TIMESTAMP,
}
EVENT_COLUMNS = {
    "event_id": TEXT,
    "ticket_id": TEXT,
    "event_at": TIMESTAMP,
    "event_type": ENUM,
    "is_public": BOOLEAN,
    "handle_seconds": INTEGER,
    "new_status": ENUM,
}
CALL_COLUMNS = {
    "call_id": TEXT,
    "direction": ENUM,
    "agent_id": TEXT,
    "offered_at": TIMESTAMP,
    "answered_at": TIMESTAMP,
    "abandoned_at": TIMESTAMP,
    "ended_at": TIMESTAMP,
    "talk_seconds": INTEGER,
    "hold_seconds": INTEGER,
    "acw_seconds": INTEGER,
    "updated_at": TIMESTAMP,
}
SURVEY_COLUMNS = {
    "response_id": TEXT,
    "survey_type": ENUM,
    "contact_type": ENUM,
    "contact_id": TEXT,
    "agent_id": TEXT,
    "responded_at": TIMESTAMP,
    "score": INTEGER,
    "updated_at": TIMESTAMP,
}


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


def _enum(values: pd.Series, categories: tuple[str, ...]) -> pd.Series:
    """Trimmed, lower-cased enumeration on the contract's categories (same for every file)."""
    if not isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype("category")
    found = values.cat.categories.astype(str).str.strip().str.lower()
    lookup = np.append(pd.Index(categories).get_indexer(found), -1)  # code -1 (NULL) stays
    codes = lookup[values.cat.codes.to_numpy()]
    return pd.Series(
        pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(categories)),
        index=values.index,
    )


def _boolean(values: pd.Series) -> pd.Series:
    if isinstance(values.dtype, pd.BooleanDtype):
        return values
    lowered = values.astype("string").str.strip().str.lower()
    parsed = pd.Series(pd.NA, index=values.index, dtype="boolean")
    parsed[lowered.isin(spec.BOOLEAN_TRUE)] = True
    parsed[lowered.isin(spec.BOOLEAN_FALSE)] = False
    return parsed


def _typed(frame: pd.DataFrame, table: str, columns: dict[str, str]) -> pd.DataFrame:
    """Contract types, whether the file was CSV (text) or typed Parquet."""
    for name, kind in columns.items():
        values = frame[name]
        if kind == TIMESTAMP:
            if not isinstance(values.dtype, pd.DatetimeTZDtype):
                values = pd.to_datetime(values, utc=True, format="ISO8601")
            frame[name] = values.astype("datetime64[us, UTC]")
        elif kind == INTEGER:
            frame[name] = pd.to_numeric(values).astype("Int64")
        elif kind == BOOLEAN:
            frame[name] = _boolean(values)
        elif kind == ENUM:
            frame[name] = _enum(values, contract.tables()[table].column(name).values)
        else:
            frame[name] = values.astype("string")
    return frame


def chunks(
    landing: Path, table: str, columns: dict[str, str], paths: list[Path] | None = None
) -> Iterator[pd.DataFrame]:
    """The needed columns of a table's files, typed, in chunks of CHUNK_ROWS rows in file
    order (Parquet batch by batch, CSV with chunksize): memory holds one raw chunk."""
    paths = spec.files(landing, table) if paths is None else paths
    enums = [name for name, kind in columns.items() if kind == ENUM]
    for path in paths:
        if spec.is_parquet(path):
            batches = pq.ParquetFile(path, read_dictionary=enums).iter_batches(
                batch_size=CHUNK_ROWS, columns=list(columns)
            )
            frames: Iterable[pd.DataFrame] = (
                batch.to_pandas(types_mapper=NULLABLE.get) for batch in batches
            )
        else:
            frames = pd.read_csv(
                path,
                usecols=list(columns),
                dtype={name: "category" if name in enums else "string" for name in columns},
                keep_default_na=False,
                na_values=[""],
                chunksize=CHUNK_ROWS,
            )
        for frame in frames:
            yield _typed(frame, table, columns)


def read(
    landing: Path, table: str, columns: dict[str, str], paths: list[Path] | None = None
) -> pd.DataFrame | None:
    """The needed columns of a table's files, typed, in file order; None if absent."""
    paths = spec.files(landing, table) if paths is None else paths
    if not paths:
        return None
    frames = list(chunks(landing, table, columns, paths))
    if not frames:  # files without rows
        empty = pd.DataFrame({name: pd.Series(dtype="string") for name in columns})
        return _typed(empty, table, columns)
    return pd.concat(frames, ignore_index=True)


def latest(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """One row per key: the greatest updated_at (NULL loses); ties, the last row read."""
    ordered = frame.sort_values("updated_at", kind="stable", na_position="first")
    return ordered.drop_duplicates(key, keep="last").drop(columns="updated_at")


def read_latest(landing: Path, table: str, columns: dict[str, str], key: str) -> pd.DataFrame:
    frame = read(landing, table, columns)
    if frame is None:
        raise FileNotFoundError(f"{landing}: required table {table} is missing")
    return latest(frame, key)


# ---------------------------------------------------------------------------
# Schedules, teams and local dates
# ---------------------------------------------------------------------------


class Zones:
    """Time zone of each team's schedule (schedule NULL or unknown: `default`)."""

    def __init__(self, landing: Path) -> None:
        schedules = read(
            landing,
            "schedules",
            {"schedule_id": TEXT, "time_zone": TEXT},
            paths=spec.schedule_files(landing),
        )
        assert schedules is not None
        zones = schedules.groupby("schedule_id")["time_zone"].max()
        self.default: str = zones[spec.DEFAULT_SCHEDULE]
        teams = read_latest(
            landing,
            "teams",
            {"team_id": TEXT, "schedule_id": TEXT, "updated_at": TIMESTAMP},
            "team_id",
        )
        teams = teams.merge(
            zones.rename("zone"), left_on="schedule_id", right_index=True, how="left"
        )
        teams["zone"] = teams["zone"].fillna(self.default)
        self.teams = teams[["team_id", "zone"]].astype(
            {"zone": pd.CategoricalDtype(zones.unique())}
        )

    def attach(self, frame: pd.DataFrame) -> pd.DataFrame:
        """frame with the zone of its team_id."""
        frame = frame.merge(self.teams, on="team_id", how="left")
        frame["zone"] = frame["zone"].fillna(self.default)
        return frame


def local_dates(instants: pd.Series, zones: pd.Series) -> pd.Series:
    """The local date (midnight, naive) of each UTC instant in its row's time zone."""
    days = pd.Series(pd.NaT, index=instants.index, dtype="datetime64[us]")
    for zone in zones.dropna().unique():
        here = zones == zone
        local = instants[here].dt.tz_convert(zone).dt.tz_localize(None)
        days[here] = local.dt.normalize()
    return days


class Teams:
    """Team of an agent at an instant: the covering agent_team_history period, else
    agents.team_id (docs/kpi_decisions.md, "Team at time")."""

    def __init__(self, landing: Path) -> None:
        agents = read_latest(
            landing,
            "agents",
            {"agent_id": TEXT, "team_id": TEXT, "updated_at": TIMESTAMP},
            "agent_id",
        )
        self.current = agents.rename(columns={"team_id": "current_team_id"})
        history = read(
            landing,
            "agent_team_history",
            {"agent_id": TEXT, "team_id": TEXT, "valid_from": TIMESTAMP, "valid_to": TIMESTAMP},
        )
        if history is not None:
            history = history.rename(columns={"team_id": "period_team_id"})
            history = history.sort_values("valid_from")
        self.history = history

    def attach(self, frame: pd.DataFrame, at: str) -> pd.DataFrame:
        """frame with team_id: the team of its agent_id at the instant in column `at`."""
        frame = frame.merge(self.current, on="agent_id", how="left")
        if self.history is None:
            return frame.rename(columns={"current_team_id": "team_id"})
        frame = pd.merge_asof(
            frame.sort_values(at), self.history, left_on=at, right_on="valid_from", by="agent_id"
        )
        covering = frame["valid_to"].isna() | (frame[at] < frame["valid_to"])
        team = frame["period_team_id"].where(covering).fillna(frame["current_team_id"])
        frame = frame.drop(columns=["current_team_id", "period_team_id", "valid_from", "valid_to"])
        return frame.assign(team_id=team)


# ---------------------------------------------------------------------------
# Rows of kpi_values
# ---------------------------------------------------------------------------


def rollup(kpi: str, facts: pd.DataFrame) -> pd.DataFrame:
    """Day rows (overall, and per channel when facts have one) from facts with day,
    numerator, denominator: kept where a sum is non-zero; value NULL when the
    denominator is 0."""
    facts = facts.astype({"numerator": "float64", "denominator": "float64"})
    sums = ["numerator", "denominator"]
    overall = facts.groupby("day")[sums].sum().reset_index()
    parts = [overall.assign(scope_type="overall", scope_value="*")]
    if "channel" in facts:
        channel = facts.dropna(subset=["channel"]).groupby(["day", "channel"], observed=True)
        channel = channel[sums].sum().reset_index()
        parts.append(
            channel.assign(scope_type="channel", scope_value=channel["channel"].astype(str))
        )
    rows = pd.concat(parts, ignore_index=True)
    rows = rows[(rows["numerator"] != 0) | (rows["denominator"] != 0)]
    scale = 100.0 if kpi in spec.PERCENT_KPIS else 1.0
    nonzero = rows["denominator"] != 0
    rows["value"] = (scale * rows["numerator"] / rows["denominator"]).where(nonzero)
    return rows.assign(kpi_id=kpi)


def seconds(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return (later - earlier).dt.total_seconds()


def facts(
    day: pd.Series, numerator: pd.Series, denominator: object = 1, **more: pd.Series
) -> pd.DataFrame:
    """One row per observation: its local day, numerator and denominator parts."""
    return pd.DataFrame({"day": day, "numerator": numerator, "denominator": denominator, **more})


Facts = dict[str, pd.DataFrame]


def ticket_facts(
    landing: Path, all_tickets: pd.DataFrame, zones: Zones
) -> tuple[Facts, pd.DataFrame, pd.Timestamp]:
    """Facts of first_reply_time, resolution_time and aht (ticket events), the backlog's
    +1/-1 changes per local day, and the latest event instant."""
    tickets = all_tickets[all_tickets["merged_into_ticket_id"].isna()]
    tickets = zones.attach(tickets)[["ticket_id", "channel", "created_at", "zone"]]

    # Three narrow subsets of the events, chunk by chunk (the events never sit in memory).
    latest_at, replies, handled, status = [], [], [], []
    for events in chunks(landing, "ticket_events", EVENT_COLUMNS):
        latest_at.append(events["event_at"].max())
        kind = events["event_type"]
        public_reply = (kind == "agent_reply") & events["is_public"].fillna(False)
        replies.append(events.loc[public_reply, ["ticket_id", "event_at"]])
        handled.append(
            events.loc[
                kind.isin(["agent_reply", "internal_note"])
                & (events["handle_seconds"].fillna(0) > 0),
                ["ticket_id", "event_at", "handle_seconds"],
            ]
        )
        status.append(
            events.loc[
                (kind == "status_changed") & events["new_status"].notna(),
                ["ticket_id", "event_id", "event_at", "new_status"],
            ]
        )
    if not latest_at:
        raise FileNotFoundError(f"{landing}: required table ticket_events is missing")
    as_of = pd.Series(latest_at).max()
    first_replies = pd.concat(replies).groupby("ticket_id")["event_at"].min()

    # Events of non-merged tickets only (the inner merges), with the ticket's attributes;
    # each fact is made as soon as its inputs are there, and the inputs dropped.
    replied = tickets.merge(first_replies.rename("first_reply_at").reset_index(), on="ticket_id")
    del replies, first_replies
    found: Facts = {
        "first_reply_time": facts(
            local_dates(replied["created_at"], replied["zone"]),
            seconds(replied["first_reply_at"], replied["created_at"]),
            channel=replied["channel"],
        )
    }
    del replied
    handled = pd.concat(handled)
    handled = handled.merge(tickets[["ticket_id", "zone"]], on="ticket_id")
    found["aht"] = facts(
        local_dates(handled["event_at"], handled["zone"]), handled["handle_seconds"]
    )
    del handled
    # Lifecycle: status changes in contract order (event_at, event_id), ticket by ticket
    # (ticket ids as a categorical: the sorts and groupbys work on its integer codes).
    # Sorting by the tie-breaker first, then stably by ticket and time, spares the
    # three-key sort's string factorization of every event_id.
    status = pd.concat(status)
    status["ticket_id"] = status["ticket_id"].astype("category")
    status = status.sort_values("event_id", ignore_index=True).drop(columns="event_id")
    status = status.sort_values(["ticket_id", "event_at"], kind="stable", ignore_index=True)
    per_ticket = status.groupby("ticket_id", observed=True)
    sequence = per_ticket.cumcount()
    is_done = status["new_status"].isin(spec.DONE)
    was_done = (sequence > 0) & is_done.shift(fill_value=False)
    reopen = status["new_status"].isin(spec.REOPEN_TARGETS) & was_done
    last_reopen = sequence.where(reopen).groupby(status["ticket_id"], observed=True)
    after_reopen = sequence > last_reopen.transform("max").fillna(-1)
    entries = status.loc[after_reopen, ["ticket_id", "event_at", "new_status"]]
    del sequence, reopen, last_reopen, after_reopen
    solves = entries["event_at"].where(entries["new_status"] == "solved")
    closes = entries["event_at"].where(entries["new_status"] == "closed")
    lifecycle = per_ticket["new_status"].last().rename("last_status").to_frame()
    last_solve = solves.groupby(entries["ticket_id"], observed=True).max()
    first_close = closes.groupby(entries["ticket_id"], observed=True).min()
    lifecycle["resolved_at"] = last_solve.reindex(lifecycle.index).fillna(first_close)
    del entries, solves, closes, last_solve, first_close
    resolved = lifecycle[lifecycle["last_status"].isin(spec.DONE)].dropna(subset=["resolved_at"])
    resolved = resolved.reset_index().astype({"ticket_id": "string"})
    resolved = resolved.merge(tickets, on="ticket_id")  # non-merged tickets only
    found["resolution_time"] = facts(
        local_dates(resolved["resolved_at"], resolved["zone"]),
        seconds(resolved["resolved_at"], resolved["created_at"]),
        channel=resolved["channel"],
    )
    del lifecycle, resolved

    # Backlog: +1 on the local date a ticket is created or reopened (from solved/closed),
    # -1 on the local date it enters solved/closed; a change dated before created_at takes
    # effect at created_at. A spell opened and closed on one day nets to 0 that day.
    flipped = is_done != was_done
    flips = status.loc[flipped, ["ticket_id", "event_at"]].assign(
        change=np.where(is_done[flipped], -1, 1)
    )
    del status, is_done, was_done
    flips = flips.astype({"ticket_id": "string"}).merge(tickets, on="ticket_id")
    flipped_at = flips["event_at"].where(
        flips["event_at"] >= flips["created_at"], flips["created_at"]
    )
    changes = pd.concat(
        [
            pd.DataFrame(
                {
                    "day": local_dates(tickets["created_at"], tickets["zone"]),
                    "channel": tickets["channel"],
                    "change": 1,
                }
            ),
            pd.DataFrame(
                {
                    "day": local_dates(flipped_at, flips["zone"]),
                    "channel": flips["channel"],
                    "change": flips["change"],
                }
            ),
        ],
        ignore_index=True,
    )
    return found, changes, as_of


def backlog_rows(changes: pd.DataFrame, last_day: pd.Timestamp) -> pd.DataFrame:
    """Tickets in the backlog at the end of each local day up to last_day (count > 0)."""
    net = changes.groupby(["day", "channel"], observed=True)["change"].sum().unstack(fill_value=0)
    days = pd.date_range(net.index.min(), last_day, freq="D", unit="us", name="day")
    counts = net.reindex(days, fill_value=0).cumsum()
    counts.columns = counts.columns.astype(str)
    counts.insert(0, "*", counts.sum(axis=1))
    rows = counts.stack().rename("numerator").reset_index()
    rows.columns = ["day", "scope_value", "numerator"]
    rows = rows[rows["numerator"] > 0].astype({"numerator": "float64"})
    rows["scope_type"] = np.where(rows["scope_value"] == "*", "overall", "channel")
    return rows.assign(kpi_id="backlog", denominator=np.nan, value=rows["numerator"])


def call_facts(landing: Path, zones: Zones, teams: Teams) -> tuple[Facts, pd.Timestamp]:
    """Facts of asa, service_level, abandonment_rate and aht (calls): inbound calls, dated
    in the schedule of the answering agent's team at offered_at (else `default`)."""
    calls = read_latest(landing, "calls", CALL_COLUMNS, "call_id")
    as_of = max(calls["offered_at"].max(), calls["ended_at"].max())
    calls = calls[calls["direction"] == "inbound"]
    calls = zones.attach(teams.attach(calls, at="offered_at"))
    offered_on = local_dates(calls["offered_at"], calls["zone"])
    answered = calls["answered_at"].notna()
    wait = seconds(calls["answered_at"], calls["offered_at"])
    abandoned = calls["abandoned_at"].notna()
    abandon_wait = seconds(calls["abandoned_at"], calls["offered_at"])
    short = abandoned & (abandon_wait < spec.SHORT_ABANDON_SECONDS)
    counted = (~short).astype(int)
    within = answered & (wait <= spec.SERVICE_LEVEL_THRESHOLD_SECONDS)
    handle = calls[["talk_seconds", "hold_seconds", "acw_seconds"]].fillna(0).sum(axis=1)
    answered_on = local_dates(calls["answered_at"][answered], calls["zone"][answered])
    return {
        "asa": facts(offered_on[answered], wait[answered]),
        "service_level": facts(offered_on, within.astype(int), counted),
        "abandonment_rate": facts(offered_on, (abandoned & ~short).astype(int), counted),
        "aht": facts(answered_on, handle[answered]),
    }, as_of


def survey_facts(landing: Path, all_tickets: pd.DataFrame, zones: Zones, teams: Teams) -> Facts:
    """Facts of csat and nps: team = the rated agent's team at responded_at, else the
    ticket's team; channel = the ticket's channel, `phone` for call contacts."""
    surveys = read_latest(landing, "survey_responses", SURVEY_COLUMNS, "response_id")
    surveys = surveys[surveys["survey_type"].isin(["csat", "nps"])]
    surveys = surveys.assign(
        ticket_id=surveys["contact_id"].where(surveys["contact_type"] == "ticket")
    )
    ticket_side = all_tickets[["ticket_id", "channel", "team_id"]].rename(
        columns={"team_id": "ticket_team_id"}
    )
    surveys = teams.attach(
        surveys.merge(ticket_side, on="ticket_id", how="left"), at="responded_at"
    )
    surveys["team_id"] = surveys["team_id"].fillna(surveys["ticket_team_id"])
    surveys = zones.attach(surveys)
    channel = surveys["channel"].astype("string").mask(surveys["contact_type"] == "call", "phone")
    day = local_dates(surveys["responded_at"], surveys["zone"])
    score = surveys["score"]
    csat = surveys["survey_type"] == "csat"
    promoter = (score >= 9).astype(int) - (score <= 6).astype(int)
    return {
        "csat": facts(day[csat], (score[csat] >= 4).astype(int), channel=channel[csat]),
        "nps": facts(day[~csat], promoter[~csat], channel=channel[~csat]),
    }


def pandas_kpis(landing: Path) -> pd.DataFrame:
    """The nine KPIs (grain day; overall, and channel where the KPI has it) as
    kpi_values rows: kpi_id, period_start, scope_type, scope_value, numerator,
    denominator, value."""
    landing = Path(landing)
    zones = Zones(landing)
    teams = Teams(landing)
    all_tickets = read_latest(landing, "tickets", TICKET_COLUMNS, "ticket_id")
    tickets, backlog_changes, event_as_of = ticket_facts(landing, all_tickets, zones)
    calls, call_as_of = call_facts(landing, zones, teams)
    surveys = survey_facts(landing, all_tickets, zones, teams)
    as_of = max(all_tickets["created_at"].max(), event_as_of, call_as_of)
    last_day = as_of.tz_convert(zones.default).tz_localize(None).normalize()
    by_kpi = {**tickets, **calls, **surveys}
    by_kpi["aht"] = pd.concat([tickets["aht"], calls["aht"]], ignore_index=True)
    frames = [rollup(kpi, frame) for kpi, frame in by_kpi.items()]
    frames.append(backlog_rows(backlog_changes, last_day))
    rows = pd.concat(frames, ignore_index=True)
    rows = rows.assign(period_start=rows["day"].dt.date)[spec.COLUMNS]
    rows = rows.sort_values(["kpi_id", "period_start", "scope_type", "scope_value"])
    return rows.reset_index(drop=True)
