"""Reading the raw landing files the way the raw contract describes them.

Hand-coded from docs/spec/raw_contract.md and the `meta.contract` blocks of
models/staging/*/_*__sources.yml (read as documentation, not parsed):
typing, quarantine of unusable rows, reference checks and dedupe.
Standard library only; shares no code with the warehouse.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

Row = dict[str, Any]

_INT_RE = re.compile(r"[+-]?\d+(\.0*)?")
_DEC_RE = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_TIME_RE = re.compile(r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?|24:00(:00)?")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
# ISO 8601 extended format: date, optional `T`/space time (seconds and fraction optional),
# optional `Z` or ±HH[:MM] offset.
_TIMESTAMP_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}(:?\d{2})?)?"
)
_TRUE = {"true", "1", "yes", "t", "y"}
_FALSE = {"false", "0", "no", "f", "n"}


class Unparseable(ValueError):
    """A present value that does not parse into its contract type."""


def parse_timestamp(text: str) -> float:
    """ISO 8601 (offset, `Z` or naive = UTC; `T` or space) -> epoch seconds."""
    if not _TIMESTAMP_RE.fullmatch(text):
        raise Unparseable(text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise Unparseable(text) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def parse_date(text: str) -> date:
    if not _DATE_RE.fullmatch(text):
        raise Unparseable(text)
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise Unparseable(text) from exc


def parse_integer(text: str) -> int:
    if not _INT_RE.fullmatch(text):
        raise Unparseable(text)
    return int(text.split(".")[0])


def parse_decimal(text: str) -> float:
    if not _DEC_RE.fullmatch(text):
        raise Unparseable(text)
    return float(text)


def parse_boolean(text: str) -> bool:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise Unparseable(text)


def parse_time(text: str) -> int:
    """'HH:MM' or 'HH:MM:SS' -> seconds since midnight (24:00 allowed)."""
    if not _TIME_RE.fullmatch(text):
        raise Unparseable(text)
    parts = [int(p) for p in text.split(":")]
    return parts[0] * 3600 + parts[1] * 60 + (parts[2] if len(parts) > 2 else 0)


_PARSERS: dict[str, Callable[[str], Any]] = {
    "timestamp": parse_timestamp,
    "date": parse_date,
    "integer": parse_integer,
    "decimal": parse_decimal,
    "boolean": parse_boolean,
    "time": parse_time,
}


@dataclass(frozen=True)
class Col:
    name: str
    type: str = "string"
    nullable: bool = True
    minimum: float | None = None
    values: tuple[str, ...] = ()
    references: str | None = None  # parent table; the parent's key has the same name
    # parent table by the value of another column (a survey's contact_id names a
    # ticket or a call, by contact_type): (column, {value: parent table})
    references_by: tuple[str, dict[str, str]] | None = None


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Col, ...]
    primary_key: tuple[str, ...]
    version: str | None = None
    nullable_key: tuple[str, ...] = ()
    checks: tuple[Callable[[Row], bool], ...] = field(default_factory=tuple)


def _lt(a: Any, b: Any) -> bool:
    """SQL `a < b`: false when either side is NULL."""
    return a is not None and b is not None and a < b


CHANNELS = ("email", "chat", "web", "phone", "social", "messaging")
STATUSES = ("new", "open", "pending", "on_hold", "solved", "closed")
EVENT_TYPES = (
    "created",
    "customer_message",
    "agent_reply",
    "internal_note",
    "assigned",
    "transferred",
    "status_changed",
)
_SCALES = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}


def _score_out_of_scale(row: Row) -> bool:
    scale = _SCALES.get(row["survey_type"])
    score = row["score"]
    return scale is not None and score is not None and not scale[0] <= score <= scale[1]


def _qa_score_out(row: Row) -> bool:
    score = row["score_pct"]
    return score is not None and (score < 0 or score > 100)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "teams",
            (Col("team_id"), Col("team_name"), Col("schedule_id"), Col("updated_at", "timestamp")),
            ("team_id",),
            "updated_at",
        ),
        Table(
            "agents",
            (
                Col("agent_id"),
                Col("agent_name"),
                Col("email"),
                Col("team_id"),
                Col(
                    "role",
                    "enum",
                    values=("agent", "team_lead", "qa_specialist", "trainer", "ops_manager"),
                ),
                Col("hire_date", "date"),
                Col("termination_date", "date"),
                Col("hourly_cost", "decimal", minimum=0),
                Col("updated_at", "timestamp"),
            ),
            ("agent_id",),
            "updated_at",
            checks=(lambda r: _lt(r["termination_date"], r["hire_date"]),),
        ),
        Table(
            "agent_team_history",
            (
                Col("agent_id", references="agents"),
                Col("team_id", nullable=False),
                Col("valid_from", "timestamp"),
                Col("valid_to", "timestamp"),
            ),
            ("agent_id", "valid_from"),
            checks=(lambda r: _lt(r["valid_to"], r["valid_from"]),),
        ),
        Table(
            "customers",
            (
                Col("customer_id"),
                Col("email"),
                Col("segment", "enum", values=("consumer", "smb", "enterprise")),
                Col("country"),
                Col("created_at", "timestamp"),
                Col("updated_at", "timestamp"),
            ),
            ("customer_id",),
            "updated_at",
        ),
        Table(
            "tickets",
            (
                Col("ticket_id"),
                Col("customer_id"),
                Col("channel", "enum", nullable=False, values=CHANNELS),
                Col("topic"),
                Col("priority", "enum", nullable=False, values=("low", "normal", "high", "urgent")),
                Col("created_at", "timestamp", nullable=False),
                Col("status", "enum", nullable=False, values=STATUSES),
                Col("team_id"),
                Col("merged_into_ticket_id"),
                Col("updated_at", "timestamp"),
            ),
            ("ticket_id",),
            "updated_at",
        ),
        Table(
            "ticket_events",
            (
                Col("event_id"),
                Col("ticket_id", nullable=False, references="tickets"),
                Col("event_at", "timestamp", nullable=False),
                Col("event_type", "enum", nullable=False, values=EVENT_TYPES),
                Col("actor_type", "enum", values=("customer", "agent", "system")),
                Col("agent_id", references="agents"),
                Col("is_public", "boolean"),
                Col("handle_seconds", "integer", minimum=0),
                Col("to_team_id"),
                Col("new_status", "enum", values=STATUSES),
            ),
            ("event_id",),
        ),
        Table(
            "calls",
            (
                Col("call_id"),
                Col("queue"),
                Col("direction", "enum", nullable=False, values=("inbound", "outbound")),
                Col("customer_id"),
                Col("ticket_id", references="tickets"),
                Col("agent_id", references="agents"),
                Col("offered_at", "timestamp", nullable=False),
                Col("answered_at", "timestamp"),
                Col("abandoned_at", "timestamp"),
                Col("ended_at", "timestamp"),
                Col("talk_seconds", "integer", minimum=0),
                Col("hold_seconds", "integer", minimum=0),
                Col("acw_seconds", "integer", minimum=0),
                Col("transferred_to_queue"),
                Col("updated_at", "timestamp"),
            ),
            ("call_id",),
            "updated_at",
            checks=(
                lambda r: _lt(r["answered_at"], r["offered_at"]),
                lambda r: _lt(r["abandoned_at"], r["offered_at"]),
                lambda r: _lt(r["ended_at"], r["offered_at"]),
                lambda r: r["answered_at"] is not None and r["abandoned_at"] is not None,
            ),
        ),
        Table(
            "survey_responses",
            (
                Col("response_id"),
                Col("survey_type", "enum", nullable=False, values=("csat", "nps", "ces")),
                Col("contact_type", "enum", values=("ticket", "call")),
                Col(
                    "contact_id",
                    references_by=("contact_type", {"ticket": "tickets", "call": "calls"}),
                ),
                Col("customer_id"),
                Col("agent_id", references="agents"),
                Col("sent_at", "timestamp"),
                Col("responded_at", "timestamp", nullable=False),
                Col("score", "integer", nullable=False),
                Col("resolved", "boolean"),
                Col("resolved_first_contact", "boolean"),
                Col(
                    "root_cause",
                    "enum",
                    values=("product", "process", "training", "policy", "agent", "other"),
                ),
                Col("comment"),
                Col("updated_at", "timestamp"),
            ),
            ("response_id",),
            "updated_at",
            checks=(
                _score_out_of_scale,
                lambda r: _lt(r["responded_at"], r["sent_at"]),
            ),
        ),
        Table(
            "agent_surveys",
            (
                Col("response_id"),
                Col("agent_id"),
                Col("team_id"),
                Col("survey_date", "date", nullable=False),
                Col("satisfaction", "integer"),
                Col("enps", "integer"),
            ),
            ("response_id",),
            checks=(
                lambda r: r["satisfaction"] is not None and not 1 <= r["satisfaction"] <= 5,
                lambda r: r["enps"] is not None and not 0 <= r["enps"] <= 10,
            ),
        ),
        Table(
            "qa_evaluations",
            (
                Col("evaluation_id"),
                Col("contact_type", "enum", values=("ticket", "call")),
                Col("contact_id"),
                Col("agent_id", references="agents"),
                Col("evaluator_id"),
                Col("evaluated_at", "timestamp", nullable=False),
                Col("score_pct", "decimal", nullable=False),
                Col("is_calibration", "boolean", nullable=False),
                Col("calibration_session_id"),
                Col("is_benchmark", "boolean"),
                Col("critical_error", "boolean"),
                Col(
                    "error_category",
                    "enum",
                    values=("product", "process", "training", "policy", "communication"),
                ),
                Col("updated_at", "timestamp"),
            ),
            ("evaluation_id",),
            "updated_at",
            checks=(
                _qa_score_out,
                lambda r: bool(r["is_calibration"]) and r["calibration_session_id"] is None,
            ),
        ),
        Table(
            "agent_intervals",
            (
                Col("agent_id", references="agents"),
                Col("interval_start", "timestamp"),
                Col("scheduled_seconds", "integer", minimum=0),
                Col("logged_in_seconds", "integer", minimum=0),
                Col("available_seconds", "integer", minimum=0),
                Col("handling_seconds", "integer", minimum=0),
                Col("aux_seconds", "integer", minimum=0),
                Col("absent_seconds", "integer", minimum=0),
            ),
            ("agent_id", "interval_start"),
        ),
        Table(
            "forecasts",
            (
                Col("interval_start", "timestamp"),
                Col("channel", "enum", values=CHANNELS),
                Col("forecast_contacts", "decimal", nullable=False, minimum=0),
                Col("forecast_aht_seconds", "decimal", minimum=0),
                Col("required_agents", "decimal", minimum=0),
                Col("created_at", "timestamp"),
            ),
            ("interval_start", "channel", "created_at"),
        ),
        Table(
            "costs",
            (
                Col("cost_month", "date"),
                Col("team_id"),
                Col("cost_type", "enum", values=("labor", "tooling", "overhead", "outsourcing")),
                Col("amount", "decimal", nullable=False),
                Col("currency"),
            ),
            ("cost_month", "team_id", "cost_type"),
            nullable_key=("team_id",),
            checks=(lambda r: r["cost_month"] is not None and r["cost_month"].day != 1,),
        ),
        Table(
            "help_articles",
            (
                Col("article_id"),
                Col("title"),
                Col("topic"),
                Col("published_at", "timestamp"),
                Col("updated_at", "timestamp"),
            ),
            ("article_id",),
            "updated_at",
        ),
        Table(
            "article_views",
            (
                Col("view_id"),
                Col("article_id"),
                Col("customer_id"),
                Col("session_id"),
                Col("viewed_at", "timestamp", nullable=False),
                Col("read_seconds", "integer", minimum=0),
                Col("marked_helpful", "boolean"),
            ),
            ("view_id",),
        ),
        Table(
            "orders",
            (
                Col("order_id"),
                Col("customer_id"),
                Col("ordered_at", "timestamp", nullable=False),
                Col("amount", "decimal"),
                Col("contact_type", "enum", values=("ticket", "call")),
                Col("contact_id"),
            ),
            ("order_id",),
        ),
        Table(
            "subscriptions",
            (
                Col("subscription_id"),
                Col("customer_id"),
                Col("product"),
                Col("term_start", "date"),
                Col("term_end", "date", nullable=False),
                Col("renewed", "boolean"),
                Col("updated_at", "timestamp"),
            ),
            ("subscription_id", "term_start"),
            "updated_at",
            checks=(lambda r: _lt(r["term_end"], r["term_start"]),),
        ),
        Table(
            "product_activations",
            (
                Col("customer_id"),
                Col("product"),
                Col("purchased_at", "timestamp"),
                Col("activated_at", "timestamp"),
            ),
            ("customer_id", "product", "purchased_at"),
            checks=(lambda r: _lt(r["activated_at"], r["purchased_at"]),),
        ),
        # Reference data (seeds, or the landing directory's replacement).
        Table(
            "schedules",
            (
                Col("schedule_id"),
                Col("time_zone", nullable=False),
                Col("weekday", "integer"),
                Col("open_time", "time"),
                Col("close_time", "time", nullable=False),
            ),
            ("schedule_id", "weekday", "open_time"),
            checks=(
                lambda r: r["weekday"] is not None and not 1 <= r["weekday"] <= 7,
                lambda r: (
                    r["close_time"] is not None
                    and r["open_time"] is not None
                    and r["close_time"] <= r["open_time"]
                ),
            ),
        ),
        Table(
            "holidays",
            (Col("schedule_id"), Col("holiday_date", "date"), Col("name")),
            ("schedule_id", "holiday_date"),
        ),
        Table(
            "sla_policies",
            (
                Col("priority", "enum", values=("low", "normal", "high", "urgent")),
                Col("channel", "enum", values=("*", *CHANNELS)),
                Col("first_reply_target_minutes", "integer", minimum=0),
                Col("resolution_target_minutes", "integer", minimum=0),
                Col("business_hours", "boolean", nullable=False),
            ),
            ("priority", "channel"),
        ),
    )
}

REFERENCE_TABLES = ("schedules", "holidays", "sla_policies")


def _files_of(directory: Path, table: str) -> list[Path]:
    """The CSV file(s) of a table; the oracle reads CSV only (standard library)."""
    single = directory / f"{table}.csv"
    folder = directory / table
    parquet = (directory / f"{table}.parquet").is_file() or (
        folder.is_dir() and any(folder.rglob("*.parquet"))
    )
    if parquet:
        raise NotImplementedError(f"{table}: Parquet input; the oracle reads CSV only")
    if single.is_file():
        return [single]
    if folder.is_dir():
        return sorted(folder.rglob("*.csv"))
    return []


def _raw_rows(files: list[Path]) -> Iterator[tuple[tuple[str, int], dict[str, str]]]:
    for path in files:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = [name.strip().lower() for name in next(reader, [])]
            width = len(header)
            for line, values in enumerate(reader, start=1):
                if not values:
                    continue  # a blank line is no row
                if len(values) < width:
                    values = values + [""] * (width - len(values))
                yield (str(path), line), dict(zip(header, values, strict=False))


def _typed(table: Table, raw: dict[str, str]) -> tuple[Row, list[str]]:
    """Parse a raw row; return the typed row and the quarantine reasons (parent refs aside)."""
    row: Row = {}
    reasons: list[str] = []
    for col in table.columns:
        text = raw.get(col.name)
        text = text.strip() if isinstance(text, str) else ""
        if text == "":
            row[col.name] = None
            if col.name in table.primary_key and col.name not in table.nullable_key:
                reasons.append(f"missing primary key {col.name}")
            elif not col.nullable:
                reasons.append(f"missing required {col.name}")
            continue
        if col.type == "string":
            row[col.name] = text
        elif col.type == "enum":
            value = text.lower()
            row[col.name] = value
            if value not in col.values:
                reasons.append(f"unknown {col.name} value {text!r}")
        else:
            try:
                row[col.name] = _PARSERS[col.type](text)
            except Unparseable:
                row[col.name] = None
                reasons.append(f"unparseable {col.type} in {col.name}: {text!r}")
        value = row[col.name]
        if col.minimum is not None and value is not None and value < col.minimum:
            reasons.append(f"{col.name} below {col.minimum}")
    for index, check in enumerate(table.checks):
        if check(row):
            reasons.append(f"check {index} failed")
    return row, reasons


@dataclass
class Loaded:
    """Staged (usable, deduplicated) rows per table, and the quarantine."""

    tables: dict[str, list[Row]]
    present: set[str]
    quarantined: dict[str, list[tuple[dict[str, str], list[str]]]]


def _stage(
    table: Table, files: list[Path], known: dict[str, set[str]]
) -> tuple[list[Row], list[tuple[dict[str, str], list[str]]]]:
    usable: list[tuple[Any, tuple[str, int], Row]] = []
    bad: list[tuple[dict[str, str], list[str]]] = []
    for position, raw in _raw_rows(files):
        row, reasons = _typed(table, raw)
        for col in table.columns:
            parent = col.references
            if col.references_by is not None:
                by_column, parents = col.references_by
                parent = parents.get(row[by_column])
            if parent is None:
                continue
            value = row[col.name]
            if value is not None and value not in known.get(parent, set()):
                reasons.append(f"unknown {col.name} {value!r} (not in {parent})")
        if reasons:
            bad.append((raw, reasons))
        else:
            usable.append((row.get(table.version) if table.version else None, position, row))
    winners: dict[tuple[Any, ...], tuple[Any, tuple[str, int], Row]] = {}
    for candidate in usable:
        key = tuple(candidate[2][k] for k in table.primary_key)
        current = winners.get(key)
        if current is None or _beats(candidate, current):
            winners[key] = candidate
    return [c[2] for c in winners.values()], bad


def _beats(a: tuple[Any, tuple[str, int], Row], b: tuple[Any, tuple[str, int], Row]) -> bool:
    """Greatest version wins (NULL versions lose); ties: the later row in file order."""
    if a[0] != b[0]:
        if a[0] is None:
            return False
        if b[0] is None:
            return True
        return a[0] > b[0]
    return a[1] > b[1]


_ORDER = (
    "teams",
    "agents",
    "customers",
    "tickets",
    "agent_team_history",
    "ticket_events",
    "calls",
    "survey_responses",
    "agent_surveys",
    "qa_evaluations",
    "agent_intervals",
    "forecasts",
    "costs",
    "help_articles",
    "article_views",
    "orders",
    "subscriptions",
    "product_activations",
)
_PARENT_KEYS = {"agents": "agent_id", "tickets": "ticket_id", "calls": "call_id"}


def load(landing_dir: Path, seeds_dir: Path) -> Loaded:
    tables: dict[str, list[Row]] = {}
    quarantined: dict[str, list[tuple[dict[str, str], list[str]]]] = {}
    present: set[str] = set()
    known: dict[str, set[str]] = {}
    for name in _ORDER:
        files = _files_of(landing_dir, name)
        if files:
            present.add(name)
        rows, bad = _stage(TABLES[name], files, known)
        tables[name] = rows
        quarantined[name] = bad
        if name in _PARENT_KEYS:
            # Known parent keys: every usable row (before dedupe: all share the key).
            known[name] = {r[_PARENT_KEYS[name]] for r in rows}
    for name in REFERENCE_TABLES:
        files = _files_of(landing_dir, name) or _files_of(seeds_dir, name)
        rows, bad = _stage(TABLES[name], files, known)
        tables[name] = rows
        quarantined[name] = bad
        present.add(name)
    return Loaded(tables, present, quarantined)
