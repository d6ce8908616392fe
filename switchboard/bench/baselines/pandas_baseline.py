"""The nine-KPI subset in pandas, as an analyst would write it against the landing files.

Reads only the columns it needs (enumerations as categoricals, ids as Arrow-backed
strings), dedupes re-exported rows (greatest updated_at, ties the last row read),
and follows docs/kpi_decisions.md: merged tickets excluded, inbound calls only, short
abandons, owning schedules and local dates, final resolution, backlog at each local
day end. No quarantine: rows are assumed valid (the bench data is clean), and
append-only tables (ticket_events, agent_team_history) are not deduplicated.
Team at time is an as-of join on valid_from, which assumes an agent's history
periods do not overlap (the warehouse takes the latest valid_from on overlap).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from switchboard import contract
from switchboard.bench.baselines import landing as spec

TIMESTAMP, INTEGER, BOOLEAN, ENUM, TEXT = "timestamp", "integer", "boolean", "enum", "text"

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


def read(
    landing: Path, table: str, columns: dict[str, str], paths: list[Path] | None = None
) -> pd.DataFrame | None:
    """The needed columns of a table's files, typed, in file order; None if absent."""
    paths = spec.files(landing, table) if paths is None else paths
    if not paths:
        return None
    enums = [name for name, kind in columns.items() if kind == ENUM]
    frames = []
    for path in paths:
        if spec.is_parquet(path):
            frame = pd.read_parquet(
                path, columns=list(columns), dtype_backend="numpy_nullable", read_dictionary=enums
            )
        else:
            frame = pd.read_csv(
                path,
                usecols=list(columns),
                dtype={name: "category" if name in enums else "string" for name in columns},
                keep_default_na=False,
                na_values=[""],
            )
        frames.append(_typed(frame, table, columns))
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


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
        self.by_team = teams.set_index("team_id")["schedule_id"].map(zones)

    def of_teams(self, teams: pd.Series) -> pd.Series:
        return teams.map(self.by_team).fillna(self.default).astype("category")


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
        self.current = agents.set_index("agent_id")["team_id"]
        history = read(
            landing,
            "agent_team_history",
            {"agent_id": TEXT, "team_id": TEXT, "valid_from": TIMESTAMP, "valid_to": TIMESTAMP},
        )
        self.history = None if history is None else history.sort_values("valid_from")

    def at(self, agents: pd.Series, instants: pd.Series) -> pd.Series:
        current = agents.map(self.current)
        if self.history is None:
            return current
        probe = pd.DataFrame({"agent_id": agents, "at": instants}).dropna()
        probe = probe.sort_values("at")
        period = pd.merge_asof(
            probe, self.history, left_on="at", right_on="valid_from", by="agent_id"
        ).set_axis(probe.index)
        covering = period["valid_to"].isna() | (period["at"] < period["valid_to"])
        return period["team_id"].where(covering).reindex(agents.index).fillna(current)


# ---------------------------------------------------------------------------
# Rows of kpi_values
# ---------------------------------------------------------------------------


def rollup(kpi: str, facts: pd.DataFrame, by_channel: bool) -> pd.DataFrame:
    """Day rows (overall, and per channel) from facts with day, numerator, denominator
    (and channel): kept where a sum is non-zero; value NULL when the denominator is 0."""
    facts = facts.astype({"numerator": "float64", "denominator": "float64"})
    sums = ["numerator", "denominator"]
    overall = facts.groupby("day")[sums].sum().reset_index()
    parts = [overall.assign(scope_type="overall", scope_value="*")]
    if by_channel:
        channel = facts.dropna(subset=["channel"]).groupby(["day", "channel"], observed=True)
        channel = channel[sums].sum().reset_index().rename(columns={"channel": "scope_value"})
        parts.append(
            channel.assign(scope_type="channel", scope_value=channel["scope_value"].astype(str))
        )
    rows = pd.concat(parts, ignore_index=True)
    rows = rows[(rows["numerator"] != 0) | (rows["denominator"] != 0)]
    scale = 100.0 if kpi in spec.PERCENT_KPIS else 1.0
    nonzero = rows["denominator"] != 0
    rows["value"] = (scale * rows["numerator"] / rows["denominator"]).where(nonzero)
    return rows.assign(kpi_id=kpi)


def seconds(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return (later - earlier).dt.total_seconds()


Facts = dict[str, pd.DataFrame]


def ticket_facts(
    landing: Path, all_tickets: pd.DataFrame, zones: Zones
) -> tuple[Facts, pd.DataFrame, pd.Timestamp]:
    """Facts of first_reply_time, resolution_time and aht (ticket events), the backlog's
    +1/-1 changes per local day, and the latest event instant."""
    tickets = all_tickets[all_tickets["merged_into_ticket_id"].isna()].set_index("ticket_id")
    tickets["zone"] = zones.of_teams(tickets["team_id"])

    events = read(landing, "ticket_events", EVENT_COLUMNS)
    if events is None:
        raise FileNotFoundError(f"{landing}: required table ticket_events is missing")
    as_of = events["event_at"].max()
    # Three narrow subsets of the events of non-merged tickets, then the events go.
    live = events["ticket_id"].isin(tickets.index)
    kind = events["event_type"]
    public_reply = live & (kind == "agent_reply") & events["is_public"].fillna(False)
    first_reply_at = events[public_reply].groupby("ticket_id")["event_at"].min()
    handled = events.loc[
        live
        & kind.isin(["agent_reply", "internal_note"])
        & (events["handle_seconds"].fillna(0) > 0),
        ["ticket_id", "event_at", "handle_seconds"],
    ]
    status = events.loc[
        live & (kind == "status_changed") & events["new_status"].notna(),
        ["ticket_id", "event_id", "event_at", "new_status"],
    ]
    del events, live, kind, public_reply

    # Lifecycle: status changes in contract order (event_at, event_id).
    status = status.sort_values(["ticket_id", "event_at", "event_id"], ignore_index=True)
    status["sequence"] = status.groupby("ticket_id", sort=False).cumcount()
    is_done = status["new_status"].isin(spec.DONE)
    was_done = (status["sequence"] > 0) & is_done.shift(fill_value=False)
    reopen = status["new_status"].isin(spec.REOPEN_TARGETS) & was_done
    status["reopen_sequence"] = status["sequence"].where(reopen)
    per_ticket = status.groupby("ticket_id", sort=False)
    last_reopen = per_ticket["reopen_sequence"].transform("max").fillna(-1)
    last_status = per_ticket["new_status"].last()
    entries = status[status["sequence"] > last_reopen]
    last_solve = entries[entries["new_status"] == "solved"].groupby("ticket_id")["event_at"].max()
    first_close = entries[entries["new_status"] == "closed"].groupby("ticket_id")["event_at"].min()
    resolved_at = last_solve.reindex(last_status.index).fillna(first_close)
    resolved_at = resolved_at[last_status.isin(spec.DONE)]

    replied = tickets.join(first_reply_at.rename("first_reply_at"), how="inner")
    resolved = tickets.join(resolved_at.rename("resolved_at"), how="inner")
    facts = {
        "first_reply_time": pd.DataFrame(
            {
                "day": local_dates(replied["created_at"], replied["zone"]),
                "channel": replied["channel"],
                "numerator": seconds(replied["first_reply_at"], replied["created_at"]),
                "denominator": 1,
            }
        ),
        "resolution_time": pd.DataFrame(
            {
                "day": local_dates(resolved["resolved_at"], resolved["zone"]),
                "channel": resolved["channel"],
                "numerator": seconds(resolved["resolved_at"], resolved["created_at"]),
                "denominator": 1,
            }
        ),
        "aht": pd.DataFrame(
            {
                "day": local_dates(handled["event_at"], handled["ticket_id"].map(tickets["zone"])),
                "numerator": handled["handle_seconds"],
                "denominator": 1,
            }
        ),
    }

    # Backlog: open spells from creation or a reopen to the next entry into solved/closed
    # (a status change before created_at takes effect at created_at).
    changed = status[["ticket_id", "event_at"]].assign(is_done=is_done)
    changed = changed[is_done != was_done].rename(columns={"event_at": "changed_at"})
    created = changed["ticket_id"].map(tickets["created_at"])
    changed["changed_at"] = changed["changed_at"].where(changed["changed_at"] >= created, created)
    per_ticket = changed.groupby("ticket_id", sort=False)["changed_at"]
    changed["next_at"] = per_ticket.shift(-1)
    spells = pd.concat(
        [
            pd.DataFrame(
                {
                    "ticket_id": tickets.index,
                    "opened_at": tickets["created_at"].to_numpy(),
                    "closed_at": per_ticket.first().reindex(tickets.index).to_numpy(),
                }
            ),
            changed.loc[~changed["is_done"], ["ticket_id", "changed_at", "next_at"]].set_axis(
                ["ticket_id", "opened_at", "closed_at"], axis=1
            ),
        ],
        ignore_index=True,
    )
    spell_zones = spells["ticket_id"].map(tickets["zone"])
    opened_on = local_dates(spells["opened_at"], spell_zones)
    closed_on = local_dates(spells["closed_at"], spell_zones)
    channel = spells["ticket_id"].map(tickets["channel"])
    counted = closed_on.isna() | (opened_on < closed_on)
    ends = closed_on.notna() & (opened_on < closed_on)
    changes = pd.concat(
        [
            pd.DataFrame({"day": opened_on[counted], "channel": channel[counted], "change": 1}),
            pd.DataFrame({"day": closed_on[ends], "channel": channel[ends], "change": -1}),
        ],
        ignore_index=True,
    )
    return facts, changes, as_of


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
    zone = zones.of_teams(teams.at(calls["agent_id"], calls["offered_at"]))
    offered_on = local_dates(calls["offered_at"], zone)
    answered = calls["answered_at"].notna()
    wait = seconds(calls["answered_at"], calls["offered_at"])
    abandoned = calls["abandoned_at"].notna()
    abandon_wait = seconds(calls["abandoned_at"], calls["offered_at"])
    short = abandoned & (abandon_wait < spec.SHORT_ABANDON_SECONDS)
    counted = (~short).astype(int)
    within = answered & (wait <= spec.SERVICE_LEVEL_THRESHOLD_SECONDS)
    handle = calls[["talk_seconds", "hold_seconds", "acw_seconds"]].fillna(0).sum(axis=1)
    facts = {
        "asa": pd.DataFrame(
            {"day": offered_on[answered], "numerator": wait[answered], "denominator": 1}
        ),
        "service_level": pd.DataFrame(
            {"day": offered_on, "numerator": within.astype(int), "denominator": counted}
        ),
        "abandonment_rate": pd.DataFrame(
            {
                "day": offered_on,
                "numerator": (abandoned & ~short).astype(int),
                "denominator": counted,
            }
        ),
        "aht": pd.DataFrame(
            {
                "day": local_dates(calls["answered_at"][answered], zone[answered]),
                "numerator": handle[answered],
                "denominator": 1,
            }
        ),
    }
    return facts, as_of


def survey_facts(landing: Path, all_tickets: pd.DataFrame, zones: Zones, teams: Teams) -> Facts:
    """Facts of csat and nps: team = the rated agent's team at responded_at, else the
    ticket's team; channel = the ticket's channel, `phone` for call contacts."""
    surveys = read_latest(landing, "survey_responses", SURVEY_COLUMNS, "response_id")
    surveys = surveys[surveys["survey_type"].isin(["csat", "nps"])]
    tickets = all_tickets.set_index("ticket_id")
    ticket_id = surveys["contact_id"].where(surveys["contact_type"] == "ticket")
    channel = ticket_id.map(tickets["channel"]).astype("string")
    channel = channel.mask(surveys["contact_type"] == "call", "phone")
    team = teams.at(surveys["agent_id"], surveys["responded_at"])
    team = team.fillna(ticket_id.map(tickets["team_id"]))
    facts = pd.DataFrame(
        {
            "day": local_dates(surveys["responded_at"], zones.of_teams(team)),
            "channel": channel,
            "score": surveys["score"],
            "denominator": 1,
        }
    )
    csat = surveys["survey_type"] == "csat"
    score = facts["score"]
    promoter = (score >= 9).astype(int) - (score <= 6).astype(int)
    return {
        "csat": facts[csat].assign(numerator=(score[csat] >= 4).astype(int)),
        "nps": facts[~csat].assign(numerator=promoter[~csat]),
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
    facts = {**tickets, **calls, **surveys}
    facts["aht"] = pd.concat([tickets["aht"], calls["aht"]], ignore_index=True)
    frames = [rollup(kpi, facts[kpi], by_channel="channel" in facts[kpi]) for kpi in facts]
    frames.append(backlog_rows(backlog_changes, last_day))
    rows = pd.concat(frames, ignore_index=True)
    rows = rows.assign(period_start=rows["day"].dt.date)[spec.COLUMNS]
    rows = rows.sort_values(["kpi_id", "period_start", "scope_type", "scope_value"])
    return rows.reset_index(drop=True)
