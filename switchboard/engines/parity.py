"""Parity check: the same landing directory built on DuckDB and on other engines.

One load (switchboard.loader) feeds every engine, so every build sees the same rows,
load id and line numbers. DuckDB builds a copy of the loaded file with `dbt build`;
each engine is started, receives the loaded `raw`/`loader` schemas, runs `dbt build`
(every model, seed, data test and unit test) on its own target, and its
`marts.kpi_values` is compared row by row with DuckDB's:

- the same keys (kpi_id, grain, period_start, scope_type, scope_value), each once;
- numerator, denominator, value, p50, p90 and target equal within a relative
  tolerance of 1e-9 (NULL equals only NULL, NaN equals NaN);
- the same status.

The quarantine is compared too: the same raw rows (table, file, line) quarantined
with the same kind and reasons.

A dbt failure names the engine and every failing model or test (from dbt's
run_results.json); a difference names the engine, the KPIs and example rows.
"""

from __future__ import annotations

import contextlib
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from switchboard import PROJECT_DIR, loader
from switchboard.engines import Engine, create_engine

KEY_COLUMNS = ("kpi_id", "grain", "period_start", "scope_type", "scope_value")
NUMBER_COLUMNS = ("numerator", "denominator", "value", "p50", "p90", "target")
TEXT_COLUMNS = ("status",)
COLUMNS = (*KEY_COLUMNS, *NUMBER_COLUMNS, *TEXT_COLUMNS)
KPI_VALUES_SQL = f"select {', '.join(COLUMNS)} from marts.kpi_values"
RELATIVE_TOLERANCE = 1e-9
# Every quarantined raw row, by where it came from and why (the raw-row JSON text is
# left out: engines format JSON differently).
QUARANTINE_COLUMNS = ("source_table", "source_file", "line_number", "quarantine_kind", "reason")
QUARANTINE_SQL = f"select {', '.join(QUARANTINE_COLUMNS)} from audit.quarantined_rows"

Key = tuple[str, str, str, str, str]


class ParityError(Exception):
    """A build that failed on an engine; the message names the engine and the nodes."""


# -- comparison ---------------------------------------------------------------------


def _key_text(value: Any) -> str:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class KpiRow:
    """One kpi_values row, normalised so that rows of different engines compare."""

    key: Key
    numbers: tuple[float | None, ...]
    status: str | None

    @classmethod
    def from_tuple(cls, row: Sequence[Any]) -> KpiRow:
        if len(row) != len(COLUMNS):
            raise ValueError(f"expected {len(COLUMNS)} columns ({', '.join(COLUMNS)}): {row!r}")
        keys = len(KEY_COLUMNS)
        numbers = len(NUMBER_COLUMNS)
        return cls(
            key=tuple(_key_text(value) for value in row[:keys]),  # type: ignore[arg-type]
            numbers=tuple(_number(value) for value in row[keys : keys + numbers]),
            status=None if row[-1] is None else str(row[-1]),
        )


def numbers_equal(
    left: float | None, right: float | None, rel_tol: float = RELATIVE_TOLERANCE
) -> bool:
    """Equal within rel_tol relative (of the larger magnitude); NULL = NULL, NaN = NaN."""
    if left is None or right is None:
        return left is None and right is None
    if math.isnan(left) or math.isnan(right):
        return math.isnan(left) and math.isnan(right)
    if left == right:
        return True
    return math.isclose(left, right, rel_tol=rel_tol, abs_tol=0.0)


@dataclass(frozen=True)
class RowDifference:
    key: Key
    column: str
    reference: Any
    candidate: Any


@dataclass
class Comparison:
    """The outcome of comparing an engine's kpi_values with DuckDB's."""

    reference_rows: int = 0
    candidate_rows: int = 0
    missing: list[Key] = field(default_factory=list)  # in DuckDB only
    extra: list[Key] = field(default_factory=list)  # on the engine only
    duplicates: list[tuple[str, Key]] = field(default_factory=list)  # (side, key)
    differences: list[RowDifference] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.duplicates or self.differences)

    def differing_kpis(self) -> Counter[str]:
        """kpi_id -> number of differing rows (missing, extra, duplicated or unequal)."""
        keys: set[Key] = set(self.missing) | set(self.extra)
        keys |= {key for _, key in self.duplicates}
        keys |= {difference.key for difference in self.differences}
        return Counter(key[0] for key in keys)

    def report(self, engine: str, examples: int = 5) -> str:
        if self.ok:
            return (
                f"{engine}: kpi_values equal to DuckDB ({self.candidate_rows:,} rows compared, "
                "0 differences)"
            )
        kpis = self.differing_kpis()
        lines = [
            f"{engine}: kpi_values differ from DuckDB in {sum(kpis.values()):,} rows of "
            f"{len(kpis)} KPIs (DuckDB {self.reference_rows:,} rows, {engine} "
            f"{self.candidate_rows:,} rows)",
            "  KPIs: " + ", ".join(f"{kpi} ({count})" for kpi, count in sorted(kpis.items())),
        ]
        if self.missing:
            lines.append(f"  {len(self.missing):,} rows only in DuckDB, e.g.")
            lines += [f"    {_format_key(key)}" for key in self.missing[:examples]]
        if self.extra:
            lines.append(f"  {len(self.extra):,} rows only on {engine}, e.g.")
            lines += [f"    {_format_key(key)}" for key in self.extra[:examples]]
        if self.duplicates:
            lines.append(f"  {len(self.duplicates):,} duplicated keys, e.g.")
            lines += [f"    {side}: {_format_key(key)}" for side, key in self.duplicates[:examples]]
        if self.differences:
            lines.append(f"  {len(self.differences):,} differing values, e.g.")
            lines += [
                f"    {_format_key(d.key)} {d.column}: duckdb={d.reference!r} "
                f"{engine}={d.candidate!r}"
                for d in self.differences[:examples]
            ]
        return "\n".join(lines)


def _format_key(key: Key) -> str:
    return " ".join(f"{name}={value}" for name, value in zip(KEY_COLUMNS, key, strict=True))


def _index(rows: Iterable[KpiRow], side: str, comparison: Comparison) -> dict[Key, KpiRow]:
    indexed: dict[Key, KpiRow] = {}
    for row in rows:
        if row.key in indexed:
            comparison.duplicates.append((side, row.key))
        indexed[row.key] = row
    return indexed


def compare_kpi_values(
    reference: Iterable[Sequence[Any]],
    candidate: Iterable[Sequence[Any]],
    rel_tol: float = RELATIVE_TOLERANCE,
) -> Comparison:
    """Compares two kpi_values row sets (tuples in the order of COLUMNS)."""
    comparison = Comparison()
    reference_rows = [KpiRow.from_tuple(row) for row in reference]
    candidate_rows = [KpiRow.from_tuple(row) for row in candidate]
    comparison.reference_rows = len(reference_rows)
    comparison.candidate_rows = len(candidate_rows)
    left = _index(reference_rows, "duckdb", comparison)
    right = _index(candidate_rows, "engine", comparison)
    comparison.missing = sorted(set(left) - set(right))
    comparison.extra = sorted(set(right) - set(left))
    for key in sorted(set(left) & set(right)):
        ours, theirs = left[key], right[key]
        for column, a, b in zip(NUMBER_COLUMNS, ours.numbers, theirs.numbers, strict=True):
            if not numbers_equal(a, b, rel_tol):
                comparison.differences.append(RowDifference(key, column, a, b))
        if ours.status != theirs.status:
            comparison.differences.append(RowDifference(key, "status", ours.status, theirs.status))
    return comparison


@dataclass
class QuarantineComparison:
    """audit.quarantined_rows of an engine against DuckDB's, as multisets of rows."""

    only_reference: list[tuple[str, ...]] = field(default_factory=list)
    only_candidate: list[tuple[str, ...]] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not (self.only_reference or self.only_candidate)

    def report(self, engine: str, examples: int = 5) -> str:
        if self.ok:
            return f"{engine}: quarantine equal to DuckDB ({self.rows:,} rows)"
        tables = Counter(row[0] for row in self.only_reference + self.only_candidate)
        lines = [
            f"{engine}: audit.quarantined_rows differ from DuckDB in tables "
            + ", ".join(f"{table} ({count})" for table, count in sorted(tables.items()))
        ]
        for label, rows in (
            ("only in DuckDB", self.only_reference),
            (f"only on {engine}", self.only_candidate),
        ):
            if rows:
                lines.append(f"  {len(rows):,} rows {label}, e.g.")
                lines += [f"    {' | '.join(row)}" for row in rows[:examples]]
        return "\n".join(lines)


def compare_quarantine(
    reference: Iterable[Sequence[Any]], candidate: Iterable[Sequence[Any]]
) -> QuarantineComparison:
    """Compares quarantined rows (tuples in the order of QUARANTINE_COLUMNS) exactly."""
    left = Counter(tuple(_key_text(value) for value in row) for row in reference)
    right = Counter(tuple(_key_text(value) for value in row) for row in candidate)
    return QuarantineComparison(
        only_reference=sorted((left - right).elements()),
        only_candidate=sorted((right - left).elements()),
        rows=sum(right.values()),
    )


# -- dbt runs -----------------------------------------------------------------------


def failed_nodes(run_results: Path) -> list[str]:
    """'model fct_calls: <first line of the message>' for every failed or erroring node."""
    import json

    if not run_results.exists():
        return []
    results = json.loads(run_results.read_text())
    failures = []
    for result in results.get("results", []):
        if result.get("status") not in ("error", "fail", "runtime error"):
            continue
        unique_id = str(result.get("unique_id", ""))
        # model.<project>.<name>[.v2], test.<project>.<name>[.<hash>],
        # unit_test.<project>.<model>.<test>
        parts = unique_id.split(".")
        kind = parts[0]
        name = parts[2] if len(parts) > 2 else unique_id
        if kind == "unit_test" and len(parts) > 3:
            name = f"{parts[2]}::{parts[3]}"
        message = " ".join(str(result.get("message") or "").split())
        if len(message) > 300:
            message = message[:300] + " ..."
        failures.append(f"{kind} {name}: {message}")
    return failures


def run_dbt_build(
    name: str, environment: dict[str, str], artifacts_dir: Path, quiet: bool = True
) -> float:
    """`dbt build` on a target; returns seconds; raises ParityError naming failed nodes."""
    artifacts_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.setdefault("DBT_PROFILES_DIR", str(PROJECT_DIR / "profiles"))
    env.update(environment)
    env["DBT_TARGET_PATH"] = str(artifacts_dir / "target")
    env["DBT_LOG_PATH"] = str(artifacts_dir / "logs")
    dbt = Path(sys.executable).with_name("dbt")
    log_path = artifacts_dir / "dbt-build.log"
    started = time.perf_counter()
    with log_path.open("w") as log:
        completed = subprocess.run(
            [str(dbt), "build", "--project-dir", str(PROJECT_DIR)],
            env=env,
            cwd=PROJECT_DIR,
            stdout=log if quiet else None,
            stderr=subprocess.STDOUT if quiet else None,
            check=False,
        )
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        failures = failed_nodes(artifacts_dir / "target" / "run_results.json")
        if failures:
            listed = "\n".join(f"  {failure}" for failure in failures)
            detail = f"{len(failures)} failing models/tests:\n{listed}"
        else:
            tail = "\n".join(log_path.read_text().splitlines()[-30:]) if quiet else ""
            detail = f"no run results (dbt stopped before running nodes):\n{tail}"
        raise ParityError(
            f"{name}: `dbt build` failed (exit {completed.returncode}); {detail}\n"
            f"  full log: {log_path}"
        )
    return seconds


# -- the check ----------------------------------------------------------------------


@dataclass
class EngineOutcome:
    engine: str
    comparison: Comparison | None = None
    quarantine: QuarantineComparison | None = None
    error: str | None = None
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return (
            self.error is None
            and self.comparison is not None
            and self.comparison.ok
            and (self.quarantine is None or self.quarantine.ok)
        )


@contextlib.contextmanager
def _terminate_as_exit() -> Iterator[None]:
    """SIGTERM raises SystemExit, so that `finally` stops the throwaway servers."""

    def handler(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@dataclass(frozen=True)
class Reference:
    """What the DuckDB build produced: kpi_values and quarantined rows."""

    kpi_values: list[tuple[Any, ...]]
    quarantine: list[tuple[Any, ...]]


def duckdb_reference(database: Path) -> Reference:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return Reference(
            kpi_values=con.execute(KPI_VALUES_SQL).fetchall(),
            quarantine=con.execute(QUARANTINE_SQL).fetchall(),
        )
    finally:
        con.close()


def check_engine(
    engine: Engine, loaded: Path, reference: Reference, work_dir: Path, quiet: bool = True
) -> EngineOutcome:
    """Starts the engine, loads, builds, compares; always stops it."""
    outcome = EngineOutcome(engine=engine.name)
    engine_dir = work_dir / engine.name
    try:
        started = time.perf_counter()
        engine.start(engine_dir)
        outcome.seconds["start"] = time.perf_counter() - started
        started = time.perf_counter()
        engine.load_raw(loaded)
        outcome.seconds["load"] = time.perf_counter() - started
        outcome.seconds["dbt build"] = run_dbt_build(
            engine.name, engine.dbt_environment(), engine_dir, quiet
        )
        started = time.perf_counter()
        outcome.comparison = compare_kpi_values(reference.kpi_values, engine.query(KPI_VALUES_SQL))
        outcome.quarantine = compare_quarantine(reference.quarantine, engine.query(QUARANTINE_SQL))
        outcome.seconds["compare"] = time.perf_counter() - started
    except ParityError as error:
        outcome.error = str(error)
    except Exception as error:
        outcome.error = f"{engine.name}: {type(error).__name__}: {error}"
    finally:
        engine.stop()
    return outcome


def _verdict(ok: bool, text: str) -> None:
    print(
        f"parity: {'ok' if ok else 'FAILED'} {text}",
        file=sys.stdout if ok else sys.stderr,
        flush=True,
    )


def run(
    engines: list[str],
    raw_dir: Path,
    work_dir: Path | None = None,
    *,
    keep: bool = False,
    quiet: bool = True,
) -> int:
    """The parity command: 0 when every engine builds and matches DuckDB."""
    own_dir = work_dir is None
    work = Path(tempfile.mkdtemp(prefix="switchboard-parity-")) if own_dir else Path(work_dir)
    work.mkdir(parents=True, exist_ok=True)
    outcomes: list[EngineOutcome] = []
    try:
        with _terminate_as_exit():
            instances = [create_engine(name) for name in engines]
            loaded = work / "loaded.duckdb"
            loaded.unlink(missing_ok=True)
            started = time.perf_counter()
            report = loader.load(raw_dir, loaded, progress=False)
            print(report.summary(), flush=True)
            print(f"parity: loaded in {time.perf_counter() - started:.1f}s", flush=True)

            reference_db = work / "duckdb" / "warehouse.duckdb"
            reference_db.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(loaded, reference_db)
            try:
                seconds = run_dbt_build(
                    "duckdb",
                    {"SWITCHBOARD_TARGET": "duckdb", "SWITCHBOARD_DUCKDB_PATH": str(reference_db)},
                    work / "duckdb",
                    quiet,
                )
            except ParityError as error:
                outcomes.append(EngineOutcome(engine="duckdb", error=str(error)))
                print(f"parity: FAILED {error}", file=sys.stderr)
                return 1
            reference = duckdb_reference(reference_db)
            print(
                f"parity: duckdb built in {seconds:.1f}s ({len(reference.kpi_values):,} "
                f"kpi_values rows, {len(reference.quarantine):,} quarantined rows)"
            )

            for engine in instances:
                print(f"parity: {engine.name}: start, load, dbt build ...", flush=True)
                outcome = check_engine(engine, loaded, reference, work, quiet)
                outcomes.append(outcome)
                timings = ", ".join(f"{k} {v:.1f}s" for k, v in outcome.seconds.items())
                if outcome.error is not None:
                    _verdict(False, outcome.error)
                for check in (outcome.comparison, outcome.quarantine):
                    if check is not None:
                        _verdict(check.ok, check.report(engine.name))
                print(f"parity: {engine.name} timings: {timings}", flush=True)
    except BaseException:
        keep = True  # interrupted or crashed: keep what there is to look at
        raise
    finally:
        failed = [outcome.engine for outcome in outcomes if not outcome.ok]
        if own_dir and not (keep or failed):
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"parity: work directory (logs, warehouses): {work}", flush=True)
    if failed:
        print(f"parity: FAILED on {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"parity: {', '.join(engines)} equal to DuckDB")
    return 0
