"""Great Expectations (GX Core 1.x) suites for the raw landing and the marts.

Suites are code: `raw_suite` derives one suite per contract table from the raw
contract (`switchboard.contract`, i.e. the dbt source YAML), `mart_suites`
derives the mart checks from `marts.kpi_definitions` and the raw table counts.
Data is read from DuckDB into pandas dataframes (GX's pandas datasource) and
validated in an ephemeral GX context whose only filesystem output is the
per-run directory: `<run_dir>/data_docs/index.html` (Data Docs) and
`<run_dir>/results/*.json` (validation results and a summary).

Raw expectations *report* (severity warning, `mostly`): raw data may hold a
few bad rows that staging quarantines, so only a broken export fails them.
Structural raw checks (missing columns) and every mart check are blocking
(severity critical). `make_validators` wraps both for `publish.build`.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from switchboard import PROJECT_DIR, contract, loader, publish

if TYPE_CHECKING:  # GX takes seconds to import: only the functions that use it import it.
    import pandas as pd
    from great_expectations.core.expectation_suite import ExpectationSuite
    from great_expectations.data_context import AbstractDataContext

# The landing suites profile at most this many rows per table (a repeatable
# reservoir sample); the dbt contract checks still type and quarantine every row.
LANDING_SAMPLE_ROWS = 250_000
RAW_MOSTLY = 0.95
VOLUME_TOLERANCE = 0.5
# The range suite reads each KPI's smallest and largest value: every value is in a
# range exactly when both are, and the frame stays ~120 rows however big kpi_values is.
KPI_EXTREMES = (
    "select kpi_id, min(value) as value from marts.kpi_values group by kpi_id "
    "union all select kpi_id, max(value) from marts.kpi_values group by kpi_id"
)
VOLUME_TABLES = ("fct_tickets", "fct_calls", "fct_survey_responses", "kpi_values")
ALWAYS_NON_EMPTY = ("kpi_values", "kpi_definitions")
DOCS_SITE = "switchboard"
RESULT_FORMAT: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": 20}
EXAMPLES_IN_MESSAGE = 5

# ISO 8601 date, optional time with fraction, optional Z / ±hh[:mm] offset (naive = UTC).
ISO_TIMESTAMP = (
    r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?\s*(Z|z|[+-]\d{2}(:?\d{2})?)?$"
)
TYPE_PATTERNS: dict[str, str] = {
    "timestamp": ISO_TIMESTAMP,
    "date": r"^\d{4}-\d{2}-\d{2}$",
    "time": r"^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$",
    "integer": r"^[+-]?\d+$",
    "decimal": r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$",
}
BOOLEAN_VALUES = ("true", "false", "1", "0", "yes", "no", "t", "f", "y", "n")

# Value ranges of kpi_values.value by marts.kpi_definitions.unit (None = unbounded) ...
UNIT_RANGES: dict[str, tuple[float | None, float | None]] = {
    "percent": (0, 100),
    "seconds": (0, None),
    "tickets": (0, None),
    "contacts": (0, None),
    "currency": (0, None),
    "interactions per hour": (0, None),
    "views per ticket": (0, None),
    "points": (-100, 100),
}
# ... and the KPIs whose formula leaves the unit's range (see kpi_definitions.definition).
KPI_RANGES: dict[str, tuple[float | None, float | None]] = {
    "forecast_accuracy": (None, 100),  # 100 - WAPE: negative when WAPE > 100
    "forecast_mape": (0, None),  # a mean absolute percentage error may exceed 100
    "staffing_ratio": (0, None),  # staffed / required agents: over-staffing exceeds 100
    "utilization": (0, None),  # handling / scheduled seconds: overtime exceeds 100
    "qa_calibration_variance": (0, 100),  # mean absolute difference of two 0-100 scores
    "csat_avg_score": (1, 5),
    "ces": (1, 7),
    "agent_satisfaction": (1, 5),
}


@dataclass(frozen=True)
class Failure:
    """One failed expectation: what, where, and examples of the offending values."""

    suite: str
    table: str
    column: str | None
    expectation: str
    blocking: bool
    condition: str | None
    detail: str
    examples: tuple[Any, ...] = ()

    def describe(self) -> str:
        where = f"{self.table}.{self.column}" if self.column else self.table
        condition = f" [{self.condition}]" if self.condition else ""
        examples = ""
        if self.examples:
            shown = ", ".join(repr(value) for value in self.examples[:EXAMPLES_IN_MESSAGE])
            examples = f"; e.g. {shown}"
        return f"{where}: {self.expectation}{condition} — {self.detail}{examples}"


@dataclass
class SuiteOutcome:
    suite: str
    table: str
    success: bool
    evaluated: int
    rows: int
    failures: list[Failure] = field(default_factory=list)
    table_rows: int | None = None  # set when `rows` are drawn from a bigger table
    drawn: str = "a sample"  # what `rows` are of table_rows

    def line(self) -> str:
        failed = len(self.failures)
        blocking = sum(failure.blocking for failure in self.failures)
        state = "PASS" if self.success else ("FAIL" if blocking else "WARN")
        tail = f", {failed} failed ({blocking} blocking)" if failed else ""
        sampled = ""
        if self.table_rows is not None and self.table_rows > self.rows:
            sampled = f" ({self.drawn} of {self.table_rows:,})"
        return (
            f"quality {self.suite:<32} {state}  {self.evaluated - failed}/{self.evaluated} "
            f"expectations on {self.rows:,} rows{sampled}{tail}"
        )


@dataclass
class Report:
    """The outcome of one validate_* call."""

    name: str
    run_dir: Path
    data_docs: Path
    results_dir: Path
    seconds: float = 0.0
    suites: dict[str, SuiteOutcome] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def success(self) -> bool:
        return all(outcome.success for outcome in self.suites.values())

    @property
    def tables(self) -> dict[str, bool]:
        """Per-table success."""
        return {outcome.table: outcome.success for outcome in self.suites.values()}

    @property
    def failures(self) -> list[Failure]:
        return [failure for outcome in self.suites.values() for failure in outcome.failures]

    @property
    def blocking_failures(self) -> list[Failure]:
        return [failure for failure in self.failures if failure.blocking]

    def lines(self) -> list[str]:
        lines = [outcome.line() for outcome in self.suites.values()]
        by_reason: dict[str, list[str]] = {}
        for name, why in self.skipped.items():
            by_reason.setdefault(why, []).append(name)
        lines += [f"quality {', '.join(names)}: SKIP  {why}" for why, names in by_reason.items()]
        return lines

    def summary(self) -> str:
        state = "passed" if self.success else "FAILED"
        return (
            f"quality {self.name}: {state} ({len(self.suites)} suites, "
            f"{len(self.failures)} failed expectations, {len(self.blocking_failures)} blocking) "
            f"in {self.seconds:.1f} s; Data Docs: {self.data_docs}"
        )


# --------------------------------------------------------------------------- GX context


_CONTEXTS: dict[Path, AbstractDataContext] = {}


def _gx() -> Any:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    try:
        import great_expectations as gx
    except ImportError as error:  # a dev extra in pyproject.toml
        raise publish.BuildError(
            "great-expectations is not installed: pip install -e '.[dev]'"
        ) from error
    return gx


def _context(run_dir: Path) -> AbstractDataContext:
    """One ephemeral context per run directory: both suites land in one Data Docs site."""
    run_dir = run_dir.resolve()
    if run_dir in _CONTEXTS:
        return _CONTEXTS[run_dir]
    gx = _gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.enable_analytics(False)
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    for site in list(context.config.data_docs_sites or {}):
        context.delete_data_docs_site(site)  # the default site would write to a temp dir
    context.add_data_docs_site(
        DOCS_SITE,
        {
            "class_name": "SiteBuilder",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(run_dir / "data_docs"),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    _CONTEXTS[run_dir] = context
    return context


def _validate(
    context: AbstractDataContext, datasource: str, suite: ExpectationSuite, frame: pd.DataFrame
) -> Any:
    """Runs suite on frame through a pandas dataframe asset; the result is kept in the context."""
    gx = _gx()
    try:
        source = context.data_sources.get(datasource)
    except KeyError:
        source = context.data_sources.add_pandas(datasource)
    asset_name = suite.name.split(".", 1)[-1]
    try:
        asset = source.get_asset(asset_name)
    except LookupError:
        asset = source.add_dataframe_asset(asset_name)
    try:
        batch = asset.get_batch_definition("whole")
    except KeyError:
        batch = asset.add_batch_definition_whole_dataframe("whole")
    suite = context.suites.add_or_update(suite)
    definition = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=suite.name, data=batch, suite=suite)
    )
    return definition.run(batch_parameters={"dataframe": frame}, result_format=RESULT_FORMAT)


def _outcome(suite_name: str, table: str, result: Any, rows: int) -> SuiteOutcome:
    failures: list[Failure] = []
    for item in result.results:
        if item.success:
            continue
        config = item.expectation_config
        meta = config.meta or {}
        details = item.result or {}
        if item.exception_info and item.exception_info.get("raised_exception"):
            detail = f"raised {item.exception_info.get('exception_message')}"
        elif "unexpected_count" in details:
            detail = (
                f"{details['unexpected_count']:,} of {details.get('element_count', 0):,} rows "
                f"unexpected ({details.get('unexpected_percent') or 0:.1f} %)"
            )
        else:
            detail = f"observed {details.get('observed_value')!r}"
        if meta.get("expected"):
            detail += f"; expected {meta['expected']}"
        failures.append(
            Failure(
                suite=suite_name,
                table=meta.get("table", table),
                column=meta.get("column", config.kwargs.get("column")),
                expectation=config.type,
                blocking=config.severity == "critical",  # FailureSeverity is a str enum
                condition=meta.get("condition"),
                detail=detail,
                examples=tuple(details.get("partial_unexpected_list") or ()),
            )
        )
    return SuiteOutcome(
        suite=suite_name,
        table=table,
        success=bool(result.success),
        evaluated=len(result.results),
        rows=rows,
        failures=failures,
    )


def _write_results(report: Report, results: dict[str, Any]) -> None:
    report.results_dir.mkdir(parents=True, exist_ok=True)
    for name, result in results.items():
        (report.results_dir / f"{name}.json").write_text(
            json.dumps(result.to_json_dict(), indent=1, default=str)
        )
    summary = {
        "name": report.name,
        "success": report.success,
        "seconds": round(report.seconds, 3),
        "data_docs": str(report.data_docs),
        "tables": report.tables,
        "skipped": report.skipped,
        "failures": [
            {
                "suite": failure.suite,
                "table": failure.table,
                "column": failure.column,
                "expectation": failure.expectation,
                "blocking": failure.blocking,
                "condition": failure.condition,
                "detail": failure.detail,
                "examples": list(failure.examples),
            }
            for failure in report.failures
        ],
    }
    (report.results_dir / f"{report.name}_summary.json").write_text(
        json.dumps(summary, indent=1, default=str)
    )


def _finish(context: AbstractDataContext, report: Report, results: dict[str, Any]) -> Report:
    context.build_data_docs(site_names=[DOCS_SITE])
    _write_results(report, results)
    return report


def _new_report(name: str, run_dir: Path) -> Report:
    run_dir = run_dir.resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    return Report(
        name=name,
        run_dir=run_dir,
        data_docs=run_dir / "data_docs" / "index.html",
        results_dir=run_dir / "results",
    )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _relation_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    found = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(found and found[0])


def _count(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> int | None:
    if not _relation_exists(con, schema, table):
        return None
    found = con.execute(f"select count(*) from {_quote(schema)}.{_quote(table)}").fetchone()
    return int(found[0]) if found else 0


def _described(suite: ExpectationSuite) -> ExpectationSuite:
    """Names table, column and expectation in each expectation's Data Docs text."""
    for expectation in suite.expectations:
        meta = expectation.meta or {}
        where = meta.get("table", "")
        if meta.get("column"):
            where += f".{meta['column']}"
        condition = f" where {meta['condition']}" if meta.get("condition") else ""
        mostly = getattr(expectation, "mostly", None)
        share = f" (for at least {mostly:.0%} of rows)" if mostly not in (None, 1, 1.0) else ""
        expectation.description = (
            f"{where}: {expectation.expectation_type}{condition} — "
            f"expected {meta.get('expected', '')}{share}"
        )
    return suite


# --------------------------------------------------------------------------- raw landing


def _number_column(name: str) -> str:
    return f"{name}__as_number"


def raw_suite(table: contract.Table) -> ExpectationSuite:
    """The landing suite of one contract table, derived from the contract alone.

    Runs on a frame of raw.<table> where every value is trimmed text ('' is NULL),
    enumerations and booleans are lower-cased, and each column with a minimum has
    a numeric twin `<column>__as_number` (see `raw_frame`).
    """
    gx = _gx()
    import great_expectations.expectations as gxe

    expectations: list[Any] = []
    warn: dict[str, Any] = {"severity": "warning", "mostly": RAW_MOSTLY}

    def meta(column: str, expected: str) -> dict[str, Any]:
        return {"table": table.name, "column": column, "expected": expected}

    for column in table.columns:
        expectations.append(
            gxe.ExpectColumnToExist(
                column=column.name, meta=meta(column.name, "column in the landing file")
            )
        )
    for column in table.columns:
        name = column.name
        is_key = name in table.primary_key and name not in table.nullable_key_columns
        if is_key or not column.nullable:
            what = "primary key" if is_key else "required value"
            expectations.append(
                gxe.ExpectColumnValuesToNotBeNull(
                    column=name, meta=meta(name, f"{what} present"), **warn
                )
            )
        if column.type == "enum":
            expectations.append(
                gxe.ExpectColumnValuesToBeInSet(
                    column=name,
                    value_set=list(column.values),
                    meta=meta(name, "one of " + ", ".join(column.values) + " (case-insensitive)"),
                    **warn,
                )
            )
        elif column.type == "boolean":
            expectations.append(
                gxe.ExpectColumnValuesToBeInSet(
                    column=name,
                    value_set=list(BOOLEAN_VALUES),
                    meta=meta(name, "a boolean (true/false, 1/0, yes/no)"),
                    **warn,
                )
            )
        elif column.type in TYPE_PATTERNS:
            expectations.append(
                gxe.ExpectColumnValuesToMatchRegex(
                    column=name,
                    regex=TYPE_PATTERNS[column.type],
                    meta=meta(name, f"a parseable {column.type}"),
                    **warn,
                )
            )
        if column.minimum is not None:
            expectations.append(
                gxe.ExpectColumnValuesToBeBetween(
                    column=_number_column(name),
                    min_value=column.minimum,
                    meta=meta(name, f"{name} >= {column.minimum}"),
                    **warn,
                )
            )
    if table.required:
        expectations.append(
            gxe.ExpectTableRowCountToBeBetween(
                min_value=1,
                meta={"table": table.name, "expected": "at least one row (required table)"},
                severity="warning",
            )
        )
    if table.append_only:  # re-exports of versioned tables repeat keys by design
        expected = "unique " + ", ".join(table.primary_key) + " (append-only table)"
        if len(table.primary_key) == 1:
            expectations.append(
                gxe.ExpectColumnValuesToBeUnique(
                    column=table.primary_key[0], meta=meta(table.primary_key[0], expected), **warn
                )
            )
        else:
            expectations.append(
                gxe.ExpectCompoundColumnsToBeUnique(
                    column_list=list(table.primary_key),
                    meta={
                        "table": table.name,
                        "column": ", ".join(table.primary_key),
                        "expected": expected,
                    },
                    **warn,
                )
            )
    return _described(
        gx.ExpectationSuite(
            name=f"raw.{table.name}",
            expectations=expectations,
            meta={"table": f"raw.{table.name}", "source": "models/staging (meta.contract)"},
        )
    )


def raw_frame(
    con: duckdb.DuckDBPyConnection, table: contract.Table, load_id: str | None = None
) -> pd.DataFrame:
    """raw.<table> as the suite sees it (only the contract columns present in the table).

    load_id: only the rows that load brought (an incremental build checks its new
    files; the earlier loads were checked by the builds that loaded them).
    """
    present = {
        row[0].lower()
        for row in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ?",
            [loader.RAW_SCHEMA, table.name],
        ).fetchall()
    }
    checked = set(table.primary_key)
    projection: list[str] = []
    for column in table.columns:
        if column.name not in present:
            continue  # ExpectColumnToExist reports it
        # Parquet landing columns arrive typed (raw views): the suite reads their text.
        text = f"cast({_quote(column.name)} as varchar)"
        source = f"nullif(trim({text}), '')"
        if column.type in ("enum", "boolean"):
            source = f"lower({source})"
        if column.type == "string" and column.nullable and column.name not in checked:
            source = "cast(null as varchar)"  # no expectation reads its values: spare the memory
        projection.append(f"{source} as {_quote(column.name)}")
        if column.minimum is not None:
            projection.append(
                f"try_cast(nullif(trim(cast({_quote(column.name)} as varchar)), '') as double) "
                f"as {_quote(_number_column(column.name))}"
            )
    relation = f"{loader.RAW_SCHEMA}.{_quote(table.name)}"
    if load_id is not None:
        relation = f"(select * from {relation} where _load_id = {loader.sql_string(load_id)})"
    if not projection:
        return con.execute(f"select count(*) as _rows from {relation} where false").df()
    sample = ""
    if _rows(con, relation) > LANDING_SAMPLE_ROWS:
        sample = f" using sample reservoir({LANDING_SAMPLE_ROWS} rows) repeatable (42)"
    return con.execute(f"select {', '.join(projection)} from {relation}{sample}").df()


def _rows(con: duckdb.DuckDBPyConnection, relation: str) -> int:
    found = con.execute(f"select count(*) from {relation}").fetchone()
    return int(found[0]) if found else 0


def validate_landing(raw_database: Path, run_dir: Path) -> Report:
    """Runs every raw suite on the rows of raw_database's newest load; Data Docs into run_dir.

    A full build has one load, so every row is checked; an incremental build checks
    the files it added (each earlier load was checked by the build that loaded it).
    """
    started = time.perf_counter()
    report = _new_report("raw", run_dir)
    context = _context(report.run_dir)
    results: dict[str, Any] = {}
    newest = _load_id(raw_database)
    load_id = None if newest == "unknown" else newest
    con = duckdb.connect(str(raw_database), read_only=True)
    try:
        for table in contract.tables().values():
            if not _relation_exists(con, loader.RAW_SCHEMA, table.name):
                report.skipped[f"raw.{table.name}"] = "not loaded (reference default applies)"
                continue
            frame = raw_frame(con, table, load_id)
            if frame.empty and not table.required:
                report.skipped[f"raw.{table.name}"] = "no rows (optional table absent or empty)"
                continue
            table_rows = _count(con, loader.RAW_SCHEMA, table.name) or 0
            if frame.empty and table_rows:
                report.skipped[f"raw.{table.name}"] = f"no rows in load {load_id}"
                continue
            suite = raw_suite(table)
            result = _validate(context, "raw", suite, frame)
            results[suite.name] = result
            outcome = _outcome(suite.name, table.name, result, len(frame))
            outcome.table_rows = table_rows
            report.suites[suite.name] = outcome
    finally:
        con.close()
    report.seconds = time.perf_counter() - started
    return _finish(context, report, results)


# --------------------------------------------------------------------------- marts


def kpi_range(kpi_id: str, unit: str | None) -> tuple[float | None, float | None] | None:
    """The possible range of a KPI's value, or None when its unit states none."""
    if kpi_id in KPI_RANGES:
        return KPI_RANGES[kpi_id]
    return UNIT_RANGES.get((unit or "").strip().lower())


def _model_lineage() -> dict[str, set[str]]:
    """Direct inputs of every dbt model and macro, read from models/ and macros/.

    Nodes are model names and `macro:<name>`; inputs are ref() names, metric
    facts (`'fact': '<model>'`), called macros and `raw:<table>` for contract
    sources. Coarse but conservative: it only widens the set of raw inputs.
    """
    ref = re.compile(r"ref\(\s*['\"](\w+)['\"]\s*\)|['\"]fact['\"]\s*:\s*['\"](\w+)['\"]")
    source = re.compile(
        r"(?:contract_checked_source|source)\(\s*['\"]\w+['\"]\s*,\s*['\"](\w+)['\"]"
    )
    definition = re.compile(r"{%-?\s*macro\s+(\w+)\s*\(")
    call = re.compile(r"\b(\w+)\s*\(")
    texts: dict[str, str] = {}
    for path in (PROJECT_DIR / "macros").rglob("*.sql"):
        text = path.read_text()
        parts = definition.split(text)
        for name, body in zip(parts[1::2], parts[2::2], strict=True):
            texts[f"macro:{name}"] = body
    for path in (PROJECT_DIR / "models").rglob("*.sql"):
        texts[path.stem] = path.read_text()
    lineage: dict[str, set[str]] = {}
    for node, text in texts.items():
        inputs = {a or b for a, b in ref.findall(text)}
        inputs |= {f"raw:{table}" for table in source.findall(text)}
        inputs |= {f"macro:{name}" for name in call.findall(text) if f"macro:{name}" in texts}
        inputs.discard(node)
        lineage[node] = inputs
    return lineage


def _raw_inputs(model: str, lineage: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    pending = [model]
    tables: set[str] = set()
    while pending:
        node = pending.pop()
        for item in lineage.get(node, ()):
            if item.startswith("raw:"):
                tables.add(item[4:])
            elif item not in seen:
                seen.add(item)
                pending.append(item)
    return tables


def empty_inputs(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Contract tables without usable rows (absent, empty, or wholly quarantined).

    Reference tables fall back to the seed defaults and never count as empty.
    """
    empty: set[str] = set()
    for table in contract.tables().values():
        if table.reference:
            continue
        raw_rows = _count(con, loader.RAW_SCHEMA, table.name)
        staged = _count(con, "staging", f"stg_{table.source}__{table.name}")
        if not raw_rows or staged == 0:
            empty.add(table.name)
    return empty


def may_be_empty(marts: Iterable[str], empty: set[str]) -> set[str]:
    """Marts allowed to have no rows, given the contract tables without rows.

    kpi_values and kpi_definitions never; a fact `fct_<table>` of a contract table
    only when that table is empty; any other mart when one of its raw inputs
    (traced through models and macros) is empty.
    """
    lineage = _model_lineage()
    allowed: set[str] = set()
    for mart in marts:
        if mart in ALWAYS_NON_EMPTY:
            continue
        own = mart.removeprefix("fct_")
        if mart.startswith("fct_") and own in contract.tables():
            if own in empty:
                allowed.add(mart)
        elif _raw_inputs(mart, lineage) & empty:
            allowed.add(mart)
    return allowed


def mart_suites(
    kpi_definitions: Iterable[tuple[str, str | None]],
    mart_tables: Iterable[str],
    exempt: Iterable[str] = (),
    previous_volumes: dict[str, int] | None = None,
) -> dict[str, ExpectationSuite]:
    """The mart suites: KPI value ranges, non-empty marts, volumes against the previous build.

    kpi_definitions: (kpi_id, unit) rows; mart_tables: every table of schema marts;
    previous_volumes: row counts of VOLUME_TABLES in the previous published warehouse.
    """
    gx = _gx()
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    suites: dict[str, ExpectationSuite] = {}

    ranges: list[Any] = []
    unchecked: list[str] = []
    known: list[str] = []
    for kpi_id, unit in sorted(kpi_definitions):
        known.append(kpi_id)
        bounds = kpi_range(kpi_id, unit)
        if bounds is None:
            unchecked.append(f"{kpi_id} ({unit})")
            continue
        low, high = bounds
        expected = f"{'-inf' if low is None else low} <= value <= {'inf' if high is None else high}"
        ranges.append(
            gxe.ExpectColumnValuesToBeBetween(
                column="value",
                min_value=low,
                max_value=high,
                row_condition=Column("kpi_id") == kpi_id,
                meta={
                    "table": "kpi_values",
                    "column": "value",
                    "condition": f"kpi_id = '{kpi_id}' (unit {unit})",
                    "expected": expected,
                },
            )
        )
    ranges.append(
        gxe.ExpectColumnValuesToBeInSet(
            column="kpi_id",
            value_set=known,
            meta={"table": "kpi_values", "column": "kpi_id", "expected": "in kpi_definitions"},
        )
    )
    suites["kpi_values"] = gx.ExpectationSuite(
        name="marts.kpi_values",
        expectations=ranges,
        meta={"table": "marts.kpi_values", "unchecked_kpis": unchecked},
    )

    exempt = set(exempt)
    counts: list[Any] = []
    for table in sorted(mart_tables):
        if table in exempt:
            continue
        counts.append(
            gxe.ExpectColumnValuesToBeBetween(
                column="row_count",
                min_value=1,
                row_condition=Column("table_name") == table,
                meta={
                    "table": table,
                    "column": None,
                    "condition": f"table_name = '{table}'",
                    "expected": "at least one row",
                },
            )
        )
    suites["row_counts"] = gx.ExpectationSuite(
        name="marts.row_counts", expectations=counts, meta={"table": "marts.*"}
    )

    if previous_volumes:
        volumes: list[Any] = []
        for table, previous in sorted(previous_volumes.items()):
            low = previous * (1 - VOLUME_TOLERANCE)
            high = previous * (1 + VOLUME_TOLERANCE)
            volumes.append(
                gxe.ExpectColumnValuesToBeBetween(
                    column="row_count",
                    min_value=low,
                    max_value=high,
                    row_condition=Column("table_name") == table,
                    meta={
                        "table": table,
                        "column": None,
                        "condition": f"table_name = '{table}'",
                        "expected": (
                            f"within ±{VOLUME_TOLERANCE:.0%} of the previous build's "
                            f"{previous:,} rows ({low:,.0f}..{high:,.0f})"
                        ),
                    },
                )
            )
        suites["volumes"] = gx.ExpectationSuite(
            name="marts.volumes", expectations=volumes, meta={"table": "marts.*"}
        )
    return {key: _described(suite) for key, suite in suites.items()}


def _mart_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    tables = [
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' "
            "order by table_name"
        ).fetchall()
    ]
    return {table: _count(con, "marts", table) or 0 for table in tables}


def validate_marts(candidate: Path, previous: Path | None, run_dir: Path) -> Report:
    """Runs the mart suites on the candidate warehouse (volumes against previous, if any)."""
    import pandas as pd

    started = time.perf_counter()
    report = _new_report("marts", run_dir)
    context = _context(report.run_dir)
    con = duckdb.connect(str(candidate), read_only=True)
    try:
        counts = _mart_counts(con)
        definitions = (
            con.execute("select kpi_id, unit from marts.kpi_definitions").fetchall()
            if "kpi_definitions" in counts
            else []
        )
        kpi_values = (
            con.execute(KPI_EXTREMES).df()
            if "kpi_values" in counts
            else pd.DataFrame({"kpi_id": pd.Series(dtype=str), "value": pd.Series(dtype=float)})
        )
        empty = empty_inputs(con)
    finally:
        con.close()
    if "kpi_values" not in counts:
        report.skipped["marts.kpi_values"] = "no marts.kpi_values in the candidate"

    exempt = may_be_empty(counts, empty)
    previous_volumes: dict[str, int] | None = None
    if previous is not None and previous.exists():
        con = duckdb.connect(str(previous), read_only=True)
        try:
            before = {table: _count(con, "marts", table) for table in VOLUME_TABLES}
        finally:
            con.close()
        previous_volumes = {
            table: rows for table, rows in before.items() if rows is not None and table in counts
        }
    else:
        report.skipped["marts.volumes"] = "no previous published warehouse"

    suites = mart_suites(definitions, counts, exempt, previous_volumes)
    unchecked = suites["kpi_values"].meta.get("unchecked_kpis")
    if unchecked:
        report.skipped["marts.kpi_values (no range)"] = "unit states no range: " + ", ".join(
            unchecked
        )
    count_frame = pd.DataFrame(
        {"table_name": list(counts), "row_count": [counts[table] for table in counts]}
    )
    frames = {"kpi_values": kpi_values, "row_counts": count_frame, "volumes": count_frame}
    results: dict[str, Any] = {}
    for key, suite in suites.items():
        if key == "kpi_values" and "kpi_values" not in counts:
            continue
        result = _validate(context, "marts", suite, frames[key])
        results[suite.name] = result
        outcome = _outcome(suite.name, key, result, len(frames[key]))
        if key == "kpi_values":
            outcome.table_rows, outcome.drawn = counts["kpi_values"], "each KPI's extremes"
        report.suites[suite.name] = outcome
    if exempt:
        report.skipped["marts.row_counts (exempt)"] = (
            f"may be empty ({', '.join(sorted(empty))} without rows): {', '.join(sorted(exempt))}"
        )
    report.seconds = time.perf_counter() - started
    return _finish(context, report, results)


# --------------------------------------------------------------------------- publish hook


def run_directory(warehouse_dir: Path, load_id: str, now: datetime | None = None) -> Path:
    """<warehouse dir>/quality/<UTC timestamp>-<load_id>/"""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return warehouse_dir / "quality" / f"{stamp}-{load_id}"


def _load_id(database: Path) -> str:
    con = duckdb.connect(str(database), read_only=True)
    try:
        row = con.execute(
            f"select load_id from {loader.LOADER_SCHEMA}.load_runs order by loaded_at desc limit 1"
        ).fetchone()
    except duckdb.Error:
        row = None
    finally:
        con.close()
    return str(row[0]) if row else "unknown"


def _raise_if_blocking(report: Report) -> None:
    blocking = report.blocking_failures
    if not blocking:
        return
    lines = [f"quality {report.name}: {len(blocking)} blocking check(s) failed:"]
    lines += [f"  {failure.describe()}" for failure in blocking]
    lines.append(f"Data Docs: {report.data_docs}")
    raise publish.BuildError("\n".join(lines))


def make_validators(
    run_dir: Path | None = None, *, previous: Path | None = None
) -> list[Callable[[Path], None]]:
    """Validators for `publish.build(..., validators=make_validators())`.

    The first runs the raw suites on the candidate's raw schema (blocking only on
    structural failures), the second the mart suites (ranges, emptiness and volume
    drift block). run_dir defaults to <warehouse dir>/quality/<UTC timestamp>-<load_id>/
    and previous to the currently published warehouse the candidate will replace.
    """
    state: dict[str, Path] = {}

    def resolved(candidate: Path) -> Path:
        if "run_dir" not in state:
            state["run_dir"] = run_dir or run_directory(
                publish.published_of(candidate).parent, _load_id(candidate)
            )
        return state["run_dir"]

    def report_out(report: Report) -> None:
        for line in report.lines():
            print(line, flush=True)
        print(report.summary(), flush=True)

    def validate_raw(candidate: Path) -> None:
        if run_dir is None:
            state.pop("run_dir", None)  # a new build (the raw validator runs first): a new run
        report = validate_landing(candidate, resolved(candidate))
        report_out(report)
        _raise_if_blocking(report)

    def validate_mart(candidate: Path) -> None:
        published = previous if previous is not None else publish.published_of(candidate)
        baseline = published if published != candidate and published.exists() else None
        report = validate_marts(candidate, baseline, resolved(candidate))
        report_out(report)
        _raise_if_blocking(report)

    return [validate_raw, validate_mart]
