"""Bad input rows (one per kind the contract names, where it applies) and valid re-exports.

Every bad row is an extra row, built from a sampled good row with a fresh, non-colliding
key and exactly one defect. The kinds that apply to a table are read from the contract
(column types, enumerations, minimums, references, row checks), not listed per table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

import yaml

from switchboard import contract
from switchboard.generator.common import DAY, SLOT, STAGE_BAD_ROWS, Period, rng_for
from switchboard.generator.writer import TableWriter, Writer

KINDS = (
    "unparseable_timestamp",
    "unparseable_number",
    "missing_primary_key",
    "unknown_enum",
    "end_before_start",
    "negative_duration",
    "negative_value",
    "score_out_of_scale",
    "unknown_reference",
    "missing_required_value",
    "check_violation",
)
TEXT_ONLY = {"unparseable_timestamp", "unparseable_number"}  # impossible in typed Parquet
BAD_TIMESTAMPS = ("2025-02-30T10:00:00Z", "not a timestamp", "2025-13-45 25:61:00",
                  "31.12.2025 08:00")  # fmt: skip
BAD_NUMBERS = ("12x", "1.2.3", "abc", "--5")
BAD_ENUMS = ("carrier_pigeon", "unknown_value", "fax")
ORDER_CHECK = re.compile(r"^\s*(\w+)\s*<\s*(\w+)\s*$")
UPPER_BOUND = re.compile(r"(\w+)\s*>\s*(\d+)")
SURVEY_OUT_OF_SCALE = {"csat": 6, "nps": 11, "ces": 8}


@dataclass(frozen=True)
class Defect:
    kind: str
    column: str | None
    detail: str = ""


@cache
def nullable_key_columns(table_name: str) -> frozenset[str]:
    """Key columns where NULL is meaningful (e.g. costs.team_id = whole centre).

    Read from the contract's `nullable_key_columns` (the sources YAML) until
    `contract.Table` exposes it.
    """
    table = contract.tables()[table_name]
    declared = getattr(table, "nullable_key_columns", None)
    if declared is not None:
        return frozenset(declared)
    for path in sorted(contract.STAGING_DIR.glob("*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text()).get("sources", []):
            for raw in source.get("tables", []):
                if raw["name"] == table_name:
                    return frozenset(raw["meta"]["contract"].get("nullable_key_columns", ()))
    return frozenset()


def _is_time(column: contract.Column) -> bool:
    return column.type in ("timestamp", "date")


def defects(table: contract.Table, fmt: str) -> list[Defect]:
    """Every kind of bad row that applies to this table, from its contract."""
    pk = set(table.primary_key)
    found: list[Defect] = []
    timestamps = [c for c in table.columns if c.type == "timestamp"]
    if timestamps and fmt == "csv":
        non_key = [c for c in timestamps if c.name not in pk] or timestamps
        found.append(Defect("unparseable_timestamp", non_key[0].name))
    numbers = [c for c in table.columns if c.type in ("integer", "decimal") and c.name not in pk]
    if numbers and fmt == "csv":
        found.append(Defect("unparseable_number", numbers[0].name))
    key = [name for name in table.primary_key if name not in nullable_key_columns(table.name)]
    found.append(Defect("missing_primary_key", key[0]))
    found.extend(Defect("unknown_enum", c.name) for c in table.columns if c.values)
    columns = {c.name: c for c in table.columns}
    for check in table.checks:
        match = ORDER_CHECK.match(check["fails_when"])
        if match and all(name in columns and _is_time(columns[name]) for name in match.groups()):
            found.append(Defect("end_before_start", match.group(1), match.group(2)))
    for column in table.columns:
        if column.minimum is not None and column.type in ("integer", "decimal"):
            kind = "negative_duration" if column.name.endswith("_seconds") else "negative_value"
            found.append(Defect(kind, column.name))
    for check in table.checks:
        if "outside" in check["reason"]:
            bound = UPPER_BOUND.search(check["fails_when"])
            if bound:
                found.append(Defect("score_out_of_scale", bound.group(1), bound.group(2)))
    found.extend(Defect("unknown_reference", c.name) for c in table.columns if c.references)
    required = [c for c in table.columns if not c.nullable and c.name not in pk]
    found.extend(Defect("missing_required_value", c.name) for c in required[:2])
    for check in table.checks:
        reason = check["reason"]
        if any(word in reason for word in ("first day", "without calibration", "both answered")):
            found.append(Defect("check_violation", None, reason))
    return found


def _prefix(value: Any) -> str:
    text = str(value) if value is not None else "X"
    match = re.match(r"[A-Za-z]+", text)
    return match.group(0) if match else "X"


def _text(column: contract.Column, value: Any) -> str | None:
    if value is None:
        return None
    if column.type == "timestamp" and isinstance(value, int):
        return datetime.fromtimestamp(value, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class Injector:
    def __init__(self, writer: Writer, period: Period, seed: int, share: float) -> None:
        self.writer = writer
        self.period = period
        self.share = share
        self.rng = rng_for(seed, STAGE_BAD_ROWS)

    def run(self) -> dict[str, Any]:
        tables: dict[str, Any] = {}
        for name, table_writer in self.writer.tables.items():
            tables[name] = self._table(table_writer)
        return {
            "format": self.writer.fmt,
            "bad_row_share": self.share,
            "total_bad_rows": sum(t["bad_rows"] for t in tables.values()),
            "tables": tables,
        }

    def _table(self, table_writer: TableWriter) -> dict[str, Any]:
        table = table_writer.table
        good = table_writer.rows
        report: dict[str, Any] = {"good_rows": good, "bad_rows": 0, "duplicates": 0,
                                  "kinds": {}, "duplicate_rows": []}  # fmt: skip
        samples = list(table_writer.sample)
        if not samples or self.share <= 0:
            return report
        kinds = defects(table, table_writer.fmt)
        n_bad = max(len(kinds), round(self.share * good))
        rows: list[dict[str, Any]] = []
        overrides: dict[int, dict[str, str]] = {}
        notes: list[tuple[Defect, str | None]] = []
        for number in range(n_bad):
            defect = kinds[number % len(kinds)]
            template = samples[int(self.rng.integers(len(samples)))]
            row = dict(template)
            self._make_unique(table, row, number + 1)
            column, raw = self._corrupt(table, row, defect, number)
            if raw is not None:
                overrides[len(rows)] = {column or "": raw}
            rows.append(row)
            notes.append((defect, column))
        first = table_writer.write(
            {name: [row[name] for row in rows] for name in table.column_names},
            overrides=overrides,
            variants=False,
            sample=False,
        )
        for position, (row, (defect, column)) in enumerate(zip(rows, notes, strict=True)):
            entry = report["kinds"].setdefault(defect.kind, {"count": 0, "rows": []})
            entry["count"] += 1
            entry["rows"].append({
                "row_number": first + position,
                "key": {k: _text(table.column(k), row[k]) for k in table.primary_key},
                "column": column,
            })  # fmt: skip
        report["bad_rows"] = len(rows)
        if table.version_column:
            self._duplicates(table_writer, samples, report)
        return report

    def _make_unique(self, table: contract.Table, row: dict[str, Any], number: int) -> None:
        columns = {c.name: c for c in table.columns}
        for name in table.primary_key:
            column = columns[name]
            if column.type == "string" and not column.references:
                row[name] = f"{_prefix(row[name])}-BAD-{number:05d}"
                return
        for name in table.primary_key:
            column = columns[name]
            if column.type == "timestamp":
                base = self.period.start_ts - 60 * DAY
                row[name] = base - (base % SLOT) - number * SLOT
                return
            if column.type == "date":
                row[name] = date(2000, 1, 1) + timedelta(days=number)
                return

    def _corrupt(
        self, table: contract.Table, row: dict[str, Any], defect: Defect, number: int
    ) -> tuple[str | None, str | None]:
        """Apply the defect; returns (column, raw CSV text replacing the value or None)."""
        kind, name = defect.kind, defect.column
        if kind == "unparseable_timestamp":
            if row[name] is None:
                row[name] = self.period.start_ts
            return name, BAD_TIMESTAMPS[number % len(BAD_TIMESTAMPS)]
        if kind == "unparseable_number":
            if row[name] is None:
                row[name] = 1
            return name, BAD_NUMBERS[number % len(BAD_NUMBERS)]
        if kind == "missing_primary_key":
            row[name] = None
        elif kind == "unknown_enum":
            row[name] = BAD_ENUMS[number % len(BAD_ENUMS)]
        elif kind == "end_before_start":
            start_column = defect.detail
            if row[start_column] is None:
                row[start_column] = (
                    self.period.start + timedelta(days=10)
                    if table.column(start_column).type == "date"
                    else self.period.start_ts + 10 * DAY
                )
            start = row[start_column]
            row[name] = start - timedelta(days=30) if isinstance(start, date) else start - 3600
        elif kind == "negative_duration":
            row[name] = -(abs(int(row[name] or 0)) + 60)
        elif kind == "negative_value":
            row[name] = -(abs(float(row[name] or 0.0)) + 12.5)
        elif kind == "score_out_of_scale":
            if table.name == "survey_responses":
                survey_type = str(row["survey_type"]).strip().lower()
                row[name] = SURVEY_OUT_OF_SCALE.get(survey_type, 11)
            elif table.column(name).type == "decimal":
                row[name] = float(defect.detail) + 25.0
            else:
                row[name] = int(defect.detail) + 1 + number % 3
        elif kind == "unknown_reference":
            row[name] = f"{_prefix(row[name])}-UNKNOWN-{number:05d}"
        elif kind == "missing_required_value":
            row[name] = None
        elif kind == "check_violation":
            return self._violate(row, defect.detail)
        return name, None

    def _violate(self, row: dict[str, Any], reason: str) -> tuple[str | None, str | None]:
        if "first day" in reason:
            row["cost_month"] = row["cost_month"].replace(day=15)
            return "cost_month", None
        if "without calibration" in reason:
            row["is_calibration"] = True
            row["calibration_session_id"] = None
            row["is_benchmark"] = False
            return "calibration_session_id", None
        # Both answered and abandoned.
        offered = row["offered_at"]
        row["answered_at"] = row["answered_at"] or offered + 20
        row["abandoned_at"] = row["answered_at"] + 5
        return "abandoned_at", None

    def _duplicates(
        self, table_writer: TableWriter, samples: list[dict[str, Any]], report: dict[str, Any]
    ) -> None:
        """Valid re-exports: same key and content, one second later updated_at."""
        table = table_writer.table
        version = table.version_column or ""
        count = max(1, round(self.share * table_writer.rows / 2))
        rows = []
        for _ in range(count):
            template = samples[int(self.rng.integers(len(samples)))]
            if template[version] is None or any(template[k] is None for k in table.primary_key):
                continue
            row = dict(template)
            row[version] = template[version] + 1
            rows.append(row)
        if not rows:
            return
        first = table_writer.write(
            {name: [row[name] for row in rows] for name in table.column_names},
            variants=False,
            sample=False,
        )
        report["duplicates"] = len(rows)
        report["duplicate_rows"] = [
            {
                "row_number": first + i,
                "key": {k: _text(table.column(k), row[k]) for k in table.primary_key},
            }
            for i, row in enumerate(rows)
        ]
