"""Bad input, fuzzed: malformed landing files never lose a row silently.

Property-based tests (hypothesis) write landing files with wrong types, missing columns,
bad encodings, duplicate keys, end before start, scores out of scale, unknown
enumerations, empty files, malformed CSV lines, naive and offset timestamps and every
boolean spelling, and check the promise of docs/spec/raw_contract.md ("Bad input"):
either the load stops with one clear error naming the file (and the column), or every
row read is accounted for (rows in = rows staged + rows quarantined, per table) and each
bad row is quarantined with a readable reason that names the problem.

What is expected is worked out here from the contract's text: the value forms of "File
conventions" and docs/contract_readings.md (`Oracle`), the row rules of "Tables" and
"Bad input" (`RULES`), dedupe by updated_at with ties to the last row. Column names,
types, keys, minimums and references come from the machine-readable contract
(`switchboard.contract`, the sources YAML); the SQL under test is never consulted.

Speed: a dbt build costs ~30 s, so the staging and audit models are compiled once into
a private target, a prepared DuckDB file is copied per example, the real loader appends
the example's file to it (an incremental load), and the compiled SQL of the table's base
model and of the audit models runs on it (well under a second). One example goes through
publish.build; broken landing directories check that nothing is published.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from switchboard import PROJECT_DIR, contract, loader, publish
from tests.python.conftest import FIXTURES

TABLES = contract.tables()
FUZZED = sorted(name for name, table in TABLES.items() if not table.reference)

# --------------------------------------------------------------------------- the oracle
# Value forms: docs/spec/raw_contract.md "File conventions" + docs/contract_readings.md
# ("Value forms"). Each parser returns (ok, value); ok is False for unparseable text.

INVALID = object()
DATE = r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
TIMESTAMP = re.compile(
    DATE + r"(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?"
    r"(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?"
)
DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
INTEGER = re.compile(r"[+-]?[0-9]+(\.0*)?")
TRUE, FALSE = {"true", "1", "yes", "t", "y"}, {"false", "0", "no", "f", "n"}


def _date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_timestamp(text: str) -> Any:
    match = TIMESTAMP.fullmatch(text)
    if not match:
        return INVALID
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    day_ = _date(year, month, day)
    if day_ is None:
        return INVALID
    h, m, s = int(hour or 0), int(minute or 0), int(second or 0)
    micro = int((fraction or "0").ljust(6, "0")[:6])
    end_of_day = h == 24 and m == s == 0 and not (fraction or "").strip("0")
    if not end_of_day and (h > 23 or m > 59 or s > 59):
        return INVALID
    instant = datetime(day_.year, day_.month, day_.day) + timedelta(
        hours=h, minutes=m, seconds=s, microseconds=micro
    )
    if offset and offset != "Z":
        digits = offset[1:].replace(":", "")
        oh, om = int(digits[:2]), int(digits[2:] or 0)
        if oh > 23 or om > 59:
            return INVALID
        sign = 1 if offset[0] == "+" else -1
        instant -= sign * timedelta(hours=oh, minutes=om)
    return instant


def strip_spaces(text: str) -> str:
    """Trimmed of spaces: Unicode space separators (the no-break space too), not tabs."""
    start, end = 0, len(text)
    while start < end and unicodedata.category(text[start]) == "Zs":
        start += 1
    while end > start and unicodedata.category(text[end - 1]) == "Zs":
        end -= 1
    return text[start:end]


def parse_value(column: contract.Column, raw: str | None) -> Any:
    """The typed value of a raw text (None for NULL), or INVALID when it does not parse."""
    text = strip_spaces(raw or "")
    if not text:
        return None
    kind = column.type
    if kind == "string":
        return text
    if kind == "enum":
        return text.lower() if text.lower() in column.values else INVALID
    if kind == "boolean":
        lowered = text.lower()
        return True if lowered in TRUE else False if lowered in FALSE else INVALID
    if kind == "timestamp":
        return parse_timestamp(text)
    if kind == "date":
        match = re.fullmatch(DATE, text)
        return (_date(*match.groups()) or INVALID) if match else INVALID
    if kind == "integer":
        if not INTEGER.fullmatch(text):
            return INVALID
        value = int(text.split(".")[0])
        return value if -(2**63) <= value < 2**63 else INVALID
    if kind == "decimal":
        if not DECIMAL.fullmatch(text):
            return INVALID
        number = float(text)
        return number if math.isfinite(number) else INVALID
    raise AssertionError(f"no oracle for type {kind}")


# Row rules of the contract ("Tables" and "Bad input": end before start, score outside
# its scale, ...), written from its text: (words the reason must contain, rule).
Row = dict[str, Any]
Rule = tuple[tuple[str, ...], Callable[[Row], bool]]


def _before(end: str, start: str) -> Rule:
    return (end,), lambda r: None not in (r[end], r[start]) and r[end] < r[start]


def _outside(column: str, low: float, high: float) -> Rule:
    return (column,), lambda r: r[column] is not None and not low <= r[column] <= high


SCALES = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}
RULES: dict[str, list[Rule]] = {
    "agents": [_before("termination_date", "hire_date")],
    "agent_team_history": [_before("valid_to", "valid_from")],
    "survey_responses": [
        (
            ("score",),
            lambda r: (
                r["survey_type"] in SCALES
                and r["score"] is not None
                and not SCALES[r["survey_type"]][0] <= r["score"] <= SCALES[r["survey_type"]][1]
            ),
        ),
        _before("responded_at", "sent_at"),
    ],
    "agent_surveys": [_outside("satisfaction", 1, 5), _outside("enps", 0, 10)],
    "calls": [
        _before("answered_at", "offered_at"),
        _before("abandoned_at", "offered_at"),
        _before("ended_at", "offered_at"),
        (
            ("answered", "abandoned"),
            lambda r: r["answered_at"] is not None and r["abandoned_at"] is not None,
        ),
    ],
    "qa_evaluations": [
        _outside("score_pct", 0, 100),
        (
            ("calibration_session_id",),
            lambda r: r["is_calibration"] is True and r["calibration_session_id"] is None,
        ),
    ],
    "costs": [
        (("cost_month",), lambda r: r["cost_month"] is not None and r["cost_month"].day != 1)
    ],
    "subscriptions": [_before("term_end", "term_start")],
    "product_activations": [_before("activated_at", "purchased_at")],
    "ticket_events": [
        (
            ("new_status",),
            lambda r: r["event_type"] == "status_changed" and r["new_status"] is None,
        )
    ],
}

# The fixed, valid parents every example references (tests/fixtures/landing_small style).
PARENTS: dict[str, list[dict[str, str]]] = {
    "teams": [{"team_id": "T1", "team_name": "Billing", "updated_at": "2025-01-01T00:00:00Z"}],
    "agents": [
        {"agent_id": f"A{n}", "team_id": "T1", "role": "agent", "hire_date": "2024-01-01"}
        for n in (1, 2, 3)
    ],
    "tickets": [
        {
            "ticket_id": f"K{n}",
            "channel": "email",
            "priority": "normal",
            "created_at": "2025-03-28T16:00:00Z",
            "status": "open",
        }
        for n in (1, 2)
    ],
    "calls": [
        {
            "call_id": f"C{n}",
            "queue": "support",
            "direction": "inbound",
            "offered_at": "2025-03-28T16:00:00Z",
            "ended_at": "2025-03-28T16:05:00Z",
        }
        for n in (1, 2)
    ],
}
PARENT_KEYS = {
    ("agents", "agent_id"): {"A1", "A2", "A3"},
    ("tickets", "ticket_id"): {"K1", "K2"},
    ("calls", "call_id"): {"C1", "C2"},
}


def unknown_reference(
    column: contract.Column,
    values: Row,
    value: object,
    parent_keys: dict[tuple[str, str], set[str]],
) -> bool:
    """A reference the contract checks (its condition holds) that names no parent row."""
    for table, key, when_column, when_value in column.references:
        if when_column is not None and values.get(when_column) != when_value:
            continue
        if value not in parent_keys[(table, key)]:
            return True
    return False


@dataclass(frozen=True)
class Expected:
    """What the contract says about one data row."""

    line: tuple[str, int]  # (landing file, 1-based data-row number)
    problems: tuple[tuple[str, ...], ...]  # each: words one of which the reason must contain
    values: Row  # typed values (only meaningful without problems)
    key: tuple[Any, ...]
    version: Any


def expect_row(
    table: contract.Table,
    line: tuple[str, int],
    raw: dict[str, str | None],
    parent_keys: dict[tuple[str, str], set[str]] = PARENT_KEYS,
) -> Expected:
    problems: list[tuple[str, ...]] = []
    values: Row = {}
    for column in table.columns:
        value = parse_value(column, raw.get(column.name))
        missing = value is None
        is_key = column.name in table.primary_key
        if missing and is_key and column.name not in table.nullable_key_columns:
            problems.append(("missing primary key " + column.name,))
        elif missing and not column.nullable:
            problems.append((column.name,))
        if value is INVALID:
            problems.append((column.name,))
            value = None
        if value is not None and column.minimum is not None and value < column.minimum:
            problems.append((column.name,))
        if value is not None and unknown_reference(column, values, value, parent_keys):
            problems.append((column.name,))
        values[column.name] = value
    for words, rule in RULES.get(table.name, []):
        if rule(values):
            problems.append(words)
    version = values[table.version_column] if table.version_column else None
    key = tuple(values[name] for name in table.primary_key)
    return Expected(line, tuple(problems), values, key, version)


def expected_winners(rows: list[Expected]) -> set[int]:
    """Lines staged: per key, the greatest version (NULL lowest), ties to the last row."""
    best: dict[tuple[Any, ...], Expected] = {}
    for row in rows:
        if row.problems:
            continue
        held = best.get(row.key)
        rank = (row.version is not None, row.version or datetime.min, row.line)
        if held is None or rank > (
            held.version is not None,
            held.version or datetime.min,
            held.line,
        ):
            best[row.key] = row
    return {row.line for row in best.values()}


# --------------------------------------------------------------------------- landing files


def csv_text(header: list[str], rows: list[list[str | None]], malformed: dict[int, str]) -> str:
    """RFC 4180 text of the rows, with raw malformed lines at their 1-based data-row numbers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    pending = iter(rows)
    for number in range(1, len(rows) + len(malformed) + 1):
        if number in malformed:
            buffer.write(malformed[number] + "\r\n")
        else:
            writer.writerow(["" if value is None else value for value in next(pending)])
    return buffer.getvalue()


def write_table(
    path: Path,
    table: contract.Table,
    rows: list[dict[str, str | None]],
    malformed: dict[int, str] | None = None,
) -> None:
    """One landing file of a table: CSV (with malformed lines) or Parquet of text."""
    columns = table.column_names
    data = [[row.get(column) for column in columns] for row in rows]
    if path.suffix == ".parquet":
        arrays = {c: pa.array([row[i] for row in data], pa.string()) for i, c in enumerate(columns)}
        pq.write_table(pa.table(arrays), path)
    else:
        path.write_text(csv_text(columns, data, malformed or {}), encoding="utf-8", newline="")


def write_landing(landing: Path, fuzzed: str | None, rows: list[dict[str, str | None]]) -> None:
    """A landing directory: valid parents, the fuzzed table's rows, every other table
    header-only (so that each raw table is the loader's, not a seed's)."""
    landing.mkdir(parents=True, exist_ok=True)
    for name, table in TABLES.items():
        write_table(
            landing / f"{name}.csv", table, rows if name == fuzzed else PARENTS.get(name, [])
        )


# --------------------------------------------------------------------------- the SQL


@dataclass
class Node:
    name: str
    relation: str
    materialized: str
    sql: str

    @property
    def local(self) -> str:
        """The relation without its database: the same in any warehouse file."""
        return ".".join(self.relation.split(".")[1:])


class CompiledStaging:
    """The staging and audit models compiled once and run per example.

    A template DuckDB file holds a full load of a landing directory (valid parents, every
    other table header-only) with every staging and audit model built on it. An example
    adds its rows as a new part `<table>/part-fuzz.csv` of that landing directory; the
    real loader appends it (an incremental load: only files not loaded before) to a copy
    of the template, and the compiled SQL of the table's base model and of the audit
    models runs on the copy.
    """

    def __init__(self, work: Path) -> None:
        self.landing = work / "landing"
        write_landing(self.landing, None, [])
        self.template = work / "template" / "fuzz.duckdb"
        self.template.parent.mkdir()
        loader.load(self.landing, self.template, progress=False)
        environment = publish.dbt_environment(self.template, work / "dbt")
        command = [str(Path(sys.executable).with_name("dbt")), "compile", "--quiet"]
        command += ["--select", "path:models/staging", "path:models/audit"]
        subprocess.run(
            [*command, "--project-dir", str(PROJECT_DIR)],
            env=environment,
            cwd=PROJECT_DIR,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        manifest = json.loads((work / "dbt" / "target" / "manifest.json").read_text())
        models = {
            uid: node
            for uid, node in manifest["nodes"].items()
            if node["resource_type"] == "model" and node.get("compiled_code")
        }
        self.nodes: dict[str, Node] = {}
        for uid in self._ordered(models):
            node = models[uid]
            self.nodes[node["name"]] = Node(
                node["name"],
                node["relation_name"],
                node["config"]["materialized"],
                node["compiled_code"],
            )
        con = self.connect(self.template)
        try:
            for schema in {node.relation.split(".")[1] for node in self.nodes.values()}:
                con.execute(f"create schema if not exists {schema}")
            for node in self.nodes.values():
                self._run(con, node)
            con.execute("checkpoint")
        finally:
            con.close()

    @staticmethod
    def _ordered(models: dict[str, Any]) -> list[str]:
        done: list[str] = []

        def visit(uid: str) -> None:
            if uid in done:
                return
            for parent in models[uid]["depends_on"]["nodes"]:
                if parent in models:
                    visit(parent)
            done.append(uid)

        for uid in sorted(models):
            visit(uid)
        return done

    @staticmethod
    def connect(path: Path) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(str(path))
        con.execute("set TimeZone = 'UTC'")  # as profiles/profiles.yml
        return con

    @staticmethod
    def _run(con: duckdb.DuckDBPyConnection, node: Node) -> None:
        kind = "view" if node.materialized == "view" else "table"
        con.execute(f"create or replace {kind} {node.relation} as (\n{node.sql}\n)")

    def base(self, table: str) -> Node:
        return self.nodes[f"base_{TABLES[table].source}__{table}"]

    def staged(self, table: str) -> Node:
        return self.nodes[f"stg_{TABLES[table].source}__{table}"]

    def part(self, table: str, file_format: str) -> Path:
        folder = self.landing / table
        folder.mkdir(exist_ok=True)
        return folder / f"part-fuzz.{file_format}"

    def run(self, table: str, database: Path) -> duckdb.DuckDBPyConnection:
        """Loads the table's new part into a copy of the template, then rebuilds the
        table's base model and the audit models."""
        shutil.copyfile(self.template, database)
        loader.load(self.landing, database, progress=False, incremental=True)
        con = self.connect(database)
        for node in (
            self.base(table),
            self.nodes["quarantined_rows"],
            self.nodes["row_reconciliation"],
        ):
            self._run(con, node)
        return con


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> CompiledStaging:
    return CompiledStaging(tmp_path_factory.mktemp("fuzz_compiled"))


@pytest.fixture
def scratch() -> Iterator[Callable[[], Path]]:
    """Fresh directories inside one example (hypothesis reuses function fixtures)."""
    root = Path(tempfile.mkdtemp(prefix="switchboard-fuzz-"))
    counter = iter(range(10**9))

    def make() -> Path:
        path = root / str(next(counter))
        path.mkdir()
        return path

    yield make
    shutil.rmtree(root, ignore_errors=True)


# --------------------------------------------------------------------------- strategies

INSTANTS = [datetime(2025, 3, 30, 0, 0) + timedelta(minutes=30 * k) for k in range(5)]
OFFSETS = ["Z", "+02:00", "-05:00", "+0530", "+01", ""]
TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=10)


def _spaced(values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(st.sampled_from(["", " ", "  "]), values, st.sampled_from(["", " "])).map(
        "".join
    )


def _cased(value: str) -> st.SearchStrategy[str]:
    return st.sampled_from([value, value.upper(), value.title()])


@st.composite
def valid_timestamp(draw: st.DrawFn) -> str:
    instant = draw(st.sampled_from(INSTANTS)) + timedelta(seconds=draw(st.sampled_from([0, 1, 59])))
    offset = draw(st.sampled_from(OFFSETS))
    if offset in ("", "Z"):
        local = instant
    else:
        digits = offset[1:].replace(":", "")
        shift = timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
        local = instant + shift if offset[0] == "+" else instant - shift
    separator = draw(st.sampled_from(["T", " "]))
    fraction = draw(st.sampled_from(["", ".0", ".5", ".123456789"]))
    seconds = draw(
        st.sampled_from(
            [f":{local:%S}{fraction}"] + ([""] if local.second == 0 and not fraction else [])
        )
    )
    return f"{local:%Y-%m-%d}{separator}{local:%H:%M}{seconds}{offset}"


BAD_TIMESTAMPS = st.sampled_from(
    [
        "infinity",
        "-infinity",
        "epoch",
        "now",
        "2025-02-30T10:00:00Z",
        "2025-13-01T00:00:00Z",
        "2025-03-30T25:00:00Z",
        "2025-03-30T10:61:00Z",
        "2025-03-30T24:30:00Z",
        "2025-3-5 1:02:03",
        "2025-03-30T00:45:00 Europe/Berlin",
        "2025-03-30T00:45:00 CET",
        "2025-03-30T00:45:00+99",
        "2025-03-30T00:45:00+02:60",
        "30.03.2025 08:00",
        "20250330T004500Z",
        "2025-03-30T00:45:00Z junk",
    ]
)
VALID_DATES = st.sampled_from(
    ["2024-01-01", "2024-02-29", "2024-06-15", "2025-03-01", "2023-12-31"]
)
BAD_DATES = st.sampled_from(
    [
        "2023-02-29",
        "2024-13-01",
        "infinity",
        "epoch",
        "2024-1-5",
        "2024-01-01T23:00:00-05:00",
        "01/02/2024",
    ]
)
BAD_INTEGERS = st.sampled_from(
    ["12.5", "1e3", "1_000", "abc", "--5", "99999999999999999999", "0x10", "١٢"]
)
BAD_DECIMALS = st.sampled_from(
    ["nan", "NaN", "inf", "-Infinity", "1e400", "1,5", "1_000", "abc", "1.2.3"]
)
BAD_ENUMS = st.sampled_from(["carrier_pigeon", "fax", "e-mail", "unknown"])
BOOLEANS = ["true", "false", "1", "0", "yes", "no", "t", "f", "y", "n"]
BAD_BOOLEANS = st.sampled_from(["2", "maybe", "ja", "on", "off", "truee", "-1"])


def valid_values(table: contract.Table, column: contract.Column) -> st.SearchStrategy[str]:
    if column.references:
        parent = sorted(
            key for table, name, *_ in column.references for key in PARENT_KEYS[(table, name)]
        )
        return st.sampled_from([*parent, f"{parent[0][0]}404"])
    if column.type == "string":
        if column.name in table.primary_key:
            return st.sampled_from(["P1", "P2", "P3", " P1"])
        return st.one_of(st.sampled_from(["x", "a, b", 'say "hi"', "two\nlines"]), TEXT)
    if column.type == "enum":
        return _spaced(st.sampled_from(column.values).flatmap(_cased))
    if column.type == "boolean":
        return _spaced(st.sampled_from(BOOLEANS).flatmap(_cased))
    if column.type == "timestamp":
        return valid_timestamp()
    if column.type == "date":
        return VALID_DATES
    if column.type == "integer":
        # Mostly the edges of the contract's scales (csat 1-5, nps 0-10, ces 1-7, ...).
        edges = st.sampled_from([-1, 0, 1, 4, 5, 6, 7, 8, 10, 11, 100, 101])
        number = st.one_of(edges, edges, st.integers(-3, 120))
        return st.one_of(
            number.map(str),
            number.map(lambda n: f"{n}.0"),
            number.map(lambda n: f"+{n}" if n >= 0 else str(n)),
        )
    if column.type == "decimal":
        return st.one_of(
            st.integers(-5, 150).map(str),
            st.sampled_from(["12.5", ".5", "5.", "1e2", "-0.25", "99.999", "100", "100.5", "0"]),
        )
    raise AssertionError(column.type)


def invalid_values(column: contract.Column) -> st.SearchStrategy[str]:
    return {
        "string": st.just(""),
        "enum": BAD_ENUMS,
        "boolean": BAD_BOOLEANS,
        "timestamp": st.one_of(BAD_TIMESTAMPS, TEXT),
        "date": st.one_of(BAD_DATES, TEXT),
        "integer": st.one_of(BAD_INTEGERS, TEXT),
        "decimal": st.one_of(BAD_DECIMALS, TEXT),
    }[column.type]


def value(table: contract.Table, column: contract.Column) -> st.SearchStrategy[str | None]:
    """Mostly valid values (so that dedupe is exercised), else invalid or empty."""
    valid, invalid = valid_values(table, column), invalid_values(column)
    return st.integers(0, 19).flatmap(
        lambda k: valid if k < 15 else invalid if k < 18 else st.sampled_from(["", "  ", None])
    )


def raw_rows(
    table: contract.Table, max_size: int = 20
) -> st.SearchStrategy[list[dict[str, str | None]]]:
    row = st.fixed_dictionaries({column.name: value(table, column) for column in table.columns})
    return st.lists(row, max_size=max_size)


MALFORMED = st.sampled_from(["too many", "too few", "blank-ish"])


def malformed_line(table: contract.Table, kind: str, word: str) -> str:
    width = len(table.columns)
    fields = {"too many": width + 1 + len(word) % 3, "too few": max(1, width - 1 - len(word) % 2)}
    if kind == "blank-ish":
        return "   "
    return ",".join([word] * fields[kind])


SAFE_WORD = st.text(st.sampled_from("abcXYZ019 ;|-"), min_size=1, max_size=6)

# --------------------------------------------------------------------------- checks


def same_value(actual: Any, expected: Any) -> bool:
    if isinstance(expected, float) and isinstance(actual, float):
        return math.isclose(actual, expected, rel_tol=1e-12)
    return type(actual) is type(expected) and actual == expected


def check_accounted(
    con: duckdb.DuckDBPyConnection,
    compiled: CompiledStaging,
    table_name: str,
    expected: list[Expected],
    malformed: dict[tuple[str, int], str],
) -> None:
    """Every row read is staged or quarantined, each bad row with a reason naming it."""
    table = TABLES[table_name]
    reconciliation = con.execute(
        "select rows_in, rows_staged, rows_quarantined, rows_unaccounted "
        "from audit.row_reconciliation where source_table = ?",
        [table_name],
    ).fetchall()
    rows_in = len(expected) + len(malformed)
    assert reconciliation, f"{table_name}: no reconciliation row"
    assert reconciliation[0][0] == rows_in and reconciliation[0][3] == 0, reconciliation
    quarantined = {
        (file, line): (kind, reason)
        for file, line, kind, reason in con.execute(
            "select source_file, line_number, quarantine_kind, reason from audit.quarantined_rows "
            "where source_table = ?",
            [table_name],
        ).fetchall()
    }
    for line, text in malformed.items():
        assert line in quarantined, f"malformed line {line} ({text!r}) not in quarantine"
        kind, reason = quarantined.pop(line)
        assert kind == "unusable" and "malformed" in reason and "fields" in reason, reason
    winners = expected_winners(expected)
    base = compiled.base(table_name).local
    names = table.column_names
    typed = {
        (row[0], row[1]): row[2:]
        for row in con.execute(
            "select _source_file, _line_number, _quarantine_reason, _is_superseded, "
            f"{', '.join(names)} "
            f"from {base}"
        ).fetchall()
    }
    assert set(typed) == {row.line for row in expected}, "base rows and lines differ"
    for row in expected:
        reason, superseded, *values = typed[row.line]
        if row.problems:
            assert reason is not None, f"line {row.line} should be quarantined: {row.problems}"
            kind, audit_reason = quarantined.pop(row.line)
            assert kind == "unusable" and audit_reason == reason
            for words in row.problems:
                assert any(word in reason for word in words), (row.line, words, reason)
            continue
        assert reason is None, f"line {row.line} is valid by the contract, got {reason!r}"
        typed_row = dict(zip(names, values, strict=True))
        assert all(same_value(typed_row[n], row.values[n]) for n in names), (typed_row, row)
        if row.line in winners:
            assert not superseded and row.line not in quarantined, row.line
        else:
            assert superseded, f"line {row.line} should be superseded"
            assert quarantined.pop(row.line)[0] == "superseded"
    assert not quarantined, f"quarantined but not expected: {quarantined}"
    staged = con.execute(f"select count(*) from {compiled.staged(table_name).local}").fetchone()
    assert staged == (len(winners),)
    assert reconciliation[0][1] == len(winners)


# --------------------------------------------------------------------------- SQL-level


@pytest.mark.parametrize("table_name", FUZZED)
@settings(max_examples=5)
@given(data=st.data())
def test_every_row_is_staged_or_quarantined_with_its_reason(
    compiled: CompiledStaging, scratch: Callable[[], Path], table_name: str, data: st.DataObject
) -> None:
    table = TABLES[table_name]
    rows = data.draw(raw_rows(table), label="rows")
    file_format = data.draw(st.sampled_from(["csv", "csv", "parquet"]), label="format")
    malformed: dict[int, str] = {}
    if file_format == "csv":
        for kind, word in data.draw(
            st.lists(st.tuples(MALFORMED, SAFE_WORD), max_size=2), label="malformed"
        ):
            position = data.draw(st.integers(1, len(rows) + len(malformed) + 1), label="at")
            malformed = {(p + 1 if p >= position else p): t for p, t in malformed.items()}
            malformed[position] = malformed_line(table, kind, word)
    part = compiled.part(table_name, file_format)
    write_table(part, table, rows, malformed)
    lines = [(str(part), n) for n in range(1, len(rows) + len(malformed) + 1) if n not in malformed]
    expected = [expect_row(table, line, raw) for line, raw in zip(lines, rows, strict=True)]
    template_file = str(compiled.landing / f"{table_name}.csv")  # the parents' rows
    expected += [
        expect_row(table, (template_file, number), raw)
        for number, raw in enumerate(PARENTS.get(table_name, []), 1)
    ]
    try:
        con = compiled.run(table_name, scratch() / "fuzz.duckdb")
    finally:
        part.unlink()
    try:
        at = {(str(part), number): text for number, text in malformed.items()}
        check_accounted(con, compiled, table_name, expected, at)
    finally:
        con.close()


# --------------------------------------------------------------------------- loader-level


def _sanitised(name: str) -> str:
    """docs/contract_readings.md: lower-case; runs of other than a-z, 0-9, _ become _."""
    out, previous = [], ""
    for char in name:
        piece = char if char in "abcdefghijklmnopqrstuvwxyz0123456789_" else "_"
        if not (piece == "_" and previous == "_" and char != "_"):
            out.append(piece)
        previous = piece
    return "".join(out).strip("_")


HEADER_WORDS = st.one_of(
    st.sampled_from(["", " ", "Region Name", "order", "select", "_load_id", "_loaded_at", "x__raw",
                     "???", "2024 revenue", 'we"ird', "a,b", "Ticket_ID", "new\nline", "É"]),
    TEXT,
)  # fmt: skip


@st.composite
def header_case(draw: st.DrawFn) -> tuple[str, list[str], bool]:
    """A table and a header: contract columns (some dropped, re-cased, padded, shuffled),
    extra columns with awkward names; and whether the file starts with a UTF-8 BOM."""
    name = draw(st.sampled_from(sorted(TABLES)))
    columns = TABLES[name].column_names
    dropped = draw(st.sets(st.sampled_from(columns), max_size=2)) if draw(st.booleans()) else set()
    header = [draw(_spaced(_cased(c))) for c in columns if c not in dropped]
    for extra in draw(st.lists(HEADER_WORDS, max_size=3)):
        header.insert(draw(st.integers(0, len(header))), extra)
    return name, draw(st.permutations(header)), draw(st.booleans())


@settings(max_examples=30)
@given(case=header_case(), rows=st.integers(0, 2))
def test_headers_load_or_fail_naming_file_and_column(
    scratch: Callable[[], Path], case: tuple[str, list[str], bool], rows: int
) -> None:
    name, header, bom = case
    table = TABLES[name]
    landing = scratch() / "landing"
    write_landing(landing, None, [])
    data = [[f"r{r}c{c}" for c in range(len(header))] for r in range(rows)]
    text = csv_text(header, data, {})  # type: ignore[arg-type]
    path = landing / f"{name}.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    # Expected, from the readings ("Headers").
    problems: list[str] = []
    final: list[str] = []
    for position, raw in enumerate(header, 1):
        normal = raw.strip().lower()
        if normal in table.column_names:
            final.append(normal)
        elif not normal or not _sanitised(normal):
            problems.append(f"column {position} ")
        elif normal.startswith("_") or normal.endswith("__raw"):
            problems.append(normal)
        else:
            final.append(_sanitised(normal))
    problems += sorted({n for n in final if final.count(n) > 1})
    missing = [c for c in table.column_names if c not in final]
    problems += [f"'{c}'" for c in missing]
    database = scratch() / "w.duckdb"
    if problems:
        with pytest.raises(loader.ContractError) as error:
            loader.load(landing, database, progress=False)
        message = str(error.value)
        assert message.startswith(str(path)), message
        assert any(problem in message for problem in problems), (problems, message)
        if len(problems) == len(missing):  # only missing columns: every one is named
            assert all(problem in message for problem in problems), (problems, message)
        return
    loader.load(landing, database, progress=False)
    con = duckdb.connect(str(database), read_only=True)
    try:
        names = [d[0] for d in con.execute(f'select * from raw."{name}" limit 0').description]
        extras = [n for n in final if n not in table.column_names]
        assert names == [*table.column_names, *extras, *loader.LOADER_COLUMNS]
        loaded = con.execute(
            f'select {", ".join(chr(34) + n + chr(34) for n in final)} from raw."{name}" '
            "order by _line_number"
        ).fetchall()
    finally:
        con.close()
    assert [list(row) for row in loaded] == data


@settings(max_examples=25)
@given(
    values=st.lists(st.lists(st.one_of(TEXT, st.sampled_from(['"', "a,b", "\n", "\r\n", " "])),
                             min_size=4, max_size=4), max_size=6),
    lines=st.lists(st.tuples(MALFORMED, SAFE_WORD, st.integers(0, 99)), max_size=3),
)  # fmt: skip
def test_malformed_lines_are_kept_with_their_numbers(
    compiled: CompiledStaging,
    scratch: Callable[[], Path],
    values: list[list[str]],
    lines: list[tuple[str, str, int]],
) -> None:
    """Any text survives the load exactly; a line that cannot be split into the header's
    fields is kept in loader.rejected_lines; every row keeps its data-row number."""
    table = TABLES["teams"]
    malformed: dict[int, str] = {}
    for kind, word, at in lines:
        position = 1 + at % (len(values) + len(malformed) + 1)
        malformed = {(p + 1 if p >= position else p): t for p, t in malformed.items()}
        malformed[position] = malformed_line(table, kind, word)
    rows = [dict(zip(table.column_names, row, strict=True)) for row in values]
    part = compiled.part("teams", "csv")
    write_table(part, table, rows, malformed)  # type: ignore[arg-type]
    database = scratch() / "fuzz.duckdb"
    shutil.copyfile(compiled.template, database)
    try:
        report = loader.load(compiled.landing, database, progress=False, incremental=True)
    finally:
        part.unlink()
    assert report.tables["teams"].rows_read == len(values) + len(malformed)
    assert report.tables["teams"].rows_rejected == len(malformed)
    con = duckdb.connect(str(database), read_only=True)
    try:
        loaded = con.execute(
            "select _line_number, team_id, team_name, schedule_id, updated_at from raw.teams "
            "where _source_file = ? order by _line_number",
            [str(part)],
        ).fetchall()
        rejected = con.execute(
            "select line_number, raw_row, reason from loader.rejected_lines order by line_number"
        ).fetchall()
    finally:
        con.close()
    numbers = [n for n in range(1, len(values) + len(malformed) + 1) if n not in malformed]
    assert loaded == [(n, *row) for n, row in zip(numbers, values, strict=True)]
    assert [(n, text) for n, text, _ in rejected] == sorted(malformed.items())
    assert all("malformed CSV line" in reason and "fields" in reason for *_, reason in rejected)


ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16", "utf-32"])


@settings(max_examples=20)
@given(
    text=st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00\r\n,\""),
                 max_size=8),
    encoding=ENCODINGS,
    junk=st.one_of(st.none(), st.tuples(st.integers(0, 10**6), st.binary(min_size=1, max_size=3))),
    padding=st.sampled_from([0, 400]),
)  # fmt: skip
def test_encodings_load_as_utf8_or_fail_naming_the_file(
    compiled: CompiledStaging,
    scratch: Callable[[], Path],
    text: str,
    encoding: str,
    junk: tuple[int, bytes] | None,
    padding: int,
) -> None:
    """A file that is UTF-8 (a BOM allowed) loads exactly; anything else stops the load
    naming the file and UTF-8, also when the bad bytes are far from the header."""
    table = TABLES["teams"]
    rows = [{"team_id": f"T{n}", "team_name": "padding"} for n in range(padding)]
    rows.append({"team_id": "TX", "team_name": text})
    part = compiled.part("teams", "csv")
    content = csv_text(
        table.column_names, [[r.get(c) for c in table.column_names] for r in rows], {}
    )
    try:
        encoded = content.encode(encoding)
    except UnicodeEncodeError:
        encoded = content.encode("utf-8")
    if junk is not None:
        at = junk[0] % (len(encoded) + 1)
        encoded = encoded[:at] + junk[1] + encoded[at:]
    part.write_bytes(encoded)
    database = scratch() / "fuzz.duckdb"
    shutil.copyfile(compiled.template, database)
    try:
        decoded = encoded.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        decoded = None
    try:
        if decoded is None:
            with pytest.raises(loader.ContractError) as error:
                loader.load(compiled.landing, database, progress=False, incremental=True)
            assert str(error.value).startswith(str(part)) and "UTF-8" in str(error.value)
            return
        report = loader.load(compiled.landing, database, progress=False, incremental=True)
    finally:
        part.unlink()
    # Valid UTF-8: every record is loaded or rejected, and nothing else.
    records = list(csv.reader(io.StringIO(decoded, newline="")))[1:]
    records = [record for record in records if record]
    assert report.tables["teams"].rows_read == len(records)
    if junk is None:
        con = duckdb.connect(str(database), read_only=True)
        try:
            names = con.execute(
                "select team_name from raw.teams where _source_file = ? and team_id = 'TX'",
                [str(part)],
            ).fetchall()
        finally:
            con.close()
        assert names == [(text,)]


@settings(max_examples=15)
@given(
    table_name=st.sampled_from(sorted(TABLES)),
    content=st.sampled_from([b"", b"\n", b"   \n", b"\r\n\r\n", b"\xef\xbb\xbf", "header-only"]),
)
def test_empty_files_fail_naming_the_file_or_load_no_rows(
    compiled: CompiledStaging, scratch: Callable[[], Path], table_name: str, content: Any
) -> None:
    table = TABLES[table_name]
    part = compiled.part(table_name, "csv")
    header_only = content == "header-only"
    part.write_bytes(",".join(table.column_names).encode() + b"\n" if header_only else content)
    database = scratch() / "fuzz.duckdb"
    shutil.copyfile(compiled.template, database)
    try:
        if header_only:
            report = loader.load(compiled.landing, database, progress=False, incremental=True)
            assert report.tables[table_name].rows_read == 0
            return
        with pytest.raises(loader.ContractError) as error:
            loader.load(compiled.landing, database, progress=False, incremental=True)
        assert str(error.value).startswith(str(part)), error.value
    finally:
        part.unlink()


# --------------------------------------------------------------------------- end to end


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


BREAKS = st.sampled_from(
    ["drop column", "empty file", "latin-1", "unnamed column", "reserved column",
     "duplicate column", "missing file", "not parquet"]
)  # fmt: skip


def break_landing(landing: Path, how: str, table_name: str, column: str) -> tuple[Path, str]:
    """Breaks one landing file; returns the file and the word the error must name."""
    path = landing / f"{table_name}.csv"
    header, _, rest = path.read_bytes().decode("utf-8").partition("\r\n")
    names = header.split(",")
    if how == "drop column":
        path.write_text(",".join(n for n in names if n != column) + "\r\n", encoding="utf-8")
        return path, f"'{column}'"
    if how == "empty file":
        path.write_bytes(b"")
        return path, "empty"
    if how == "latin-1":
        path.write_bytes((header + "\r\n" + rest).encode() + "Café".encode("latin-1"))
        return path, "UTF-8"
    if how in ("unnamed column", "reserved column", "duplicate column"):
        extra = {"unnamed column": "", "reserved column": "_load_id", "duplicate column": column}
        path.write_text(header + "," + extra[how] + "\r\n", encoding="utf-8")
        return path, {"unnamed column": "no name", "reserved column": "_load_id"}.get(how, column)
    if how == "missing file":
        path.unlink()
        return path, f"required file of table '{table_name}'"
    path.unlink()
    broken = path.with_suffix(".parquet")
    broken.write_bytes(b"PAR1 this is not parquet")
    return broken, "Parquet"


@settings(max_examples=12)
@given(
    how=BREAKS,
    table_name=st.sampled_from([t.name for t in contract.required_tables()]),
    data=st.data(),
)
def test_a_broken_landing_fails_naming_it_and_publishes_nothing(
    compiled: CompiledStaging, scratch: Callable[[], Path], how: str, table_name: str, data: Any
) -> None:
    column = data.draw(st.sampled_from(TABLES[table_name].column_names), label="column")
    work = scratch()
    write_landing(work / "landing", None, [])
    path, word = break_landing(work / "landing", how, table_name, column)
    warehouse = work / "published" / "warehouse.duckdb"
    warehouse.parent.mkdir()
    shutil.copyfile(compiled.template, warehouse)  # a published warehouse
    before = _digest(warehouse)
    with pytest.raises(publish.BuildError) as error:
        publish.build(work / "landing", warehouse, progress=False, artifacts_dir=work / "dbt")
    message = str(error.value)
    assert message.startswith(str(path)) and word in message, message
    assert "Nothing was published" in message
    assert _digest(warehouse) == before
    assert not list(warehouse.parent.glob(".*building*"))


@settings(max_examples=1)
@given(
    surveys=raw_rows(TABLES["survey_responses"], max_size=6),
    calls=raw_rows(TABLES["calls"], max_size=6),
    region=st.lists(TEXT, min_size=9, max_size=9),
)
def test_end_to_end_build_accounts_for_every_row(
    compiled: CompiledStaging,
    scratch: Callable[[], Path],
    surveys: list[dict[str, str | None]],
    calls: list[dict[str, str | None]],
    region: list[str],
) -> None:
    """Through the real publish.build: fuzzed rows added to the hand-made landing
    directory, an extra column with awkward names; every row accounted for, each bad
    row in quarantine with its reason, the extra column kept in staging."""
    work = scratch()
    landing = work / "landing"
    shutil.copytree(FIXTURES / "landing_small", landing)
    expected: dict[str, list[Expected]] = {}
    # the parents a survey's contact_id may name: the fixture's tickets and the
    # calls (fixture and fuzzed) that pass their own checks
    parent_keys = dict(PARENT_KEYS)
    with (landing / "tickets.csv").open(encoding="utf-8", newline="") as handle:
        parent_keys[("tickets", "ticket_id")] = {row["ticket_id"] for row in csv.DictReader(handle)}
    for name, added in (("calls", calls), ("survey_responses", surveys)):
        path = landing / f"{name}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            existing = list(csv.DictReader(handle))
        rows = [*existing, *added]
        expected[name] = [
            expect_row(TABLES[name], (str(path), n), raw, parent_keys)
            for n, raw in enumerate(rows, 1)
        ]
        if name == "calls":
            parent_keys[("calls", "call_id")] = {
                row.key[0] for row in expected[name] if not row.problems
            }
        header = [*TABLES[name].column_names]
        data = [[row.get(c) for c in header] for row in rows]
        if name == "survey_responses":  # extra columns: "Region Name" -> region_name, "order"
            header += ["Region Name", "order"]
            data = [[*row, region[n % 9], str(n)] for n, row in enumerate(data)]
        path.write_text(csv_text(header, data, {}), encoding="utf-8", newline="")
    warehouse = work / "published" / "warehouse.duckdb"
    result = publish.build(landing, warehouse, progress=False, artifacts_dir=work / "dbt")
    assert "source freshness" in result.stage_seconds and result.freshness_warnings == []
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for name, rows in expected.items():
            check_accounted(con, compiled, name, rows, {})
        extras = con.execute(
            'select region_name, "order" from staging.stg_surveys__survey_responses'
        ).fetchall()
    finally:
        con.close()
    winners = expected_winners(expected["survey_responses"])
    assert sorted(int(order) for _, order in extras) == sorted(n - 1 for _, n in winners)
