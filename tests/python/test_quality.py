"""Great Expectations suites (switchboard/quality.py): they pass on good data and fail,
naming table, column and expectation, on planted defects. No dbt build: the raw
suites run on loader output, the mart suites on tiny hand-made DuckDB files."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from switchboard import contract, loader, publish, quality

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "landing_small"


@pytest.fixture(scope="module")
def fixture_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    database = tmp_path_factory.mktemp("raw") / "landing.duckdb"
    loader.load(FIXTURE, database, progress=False)
    return database


def _rewrite(path: Path, **values: str) -> None:
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row.update(values)
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_raw_suite_is_derived_from_the_contract() -> None:
    suite = quality.raw_suite(contract.tables()["tickets"])
    kinds = {(e.expectation_type, getattr(e, "column", None)) for e in suite.expectations}
    assert ("expect_column_to_exist", "updated_at") in kinds
    assert ("expect_column_values_to_not_be_null", "ticket_id") in kinds
    assert ("expect_column_values_to_be_in_set", "channel") in kinds
    assert ("expect_column_values_to_match_regex", "created_at") in kinds
    # tickets is versioned (re-exports repeat keys): no uniqueness; ticket_events is append-only
    assert not any("unique" in kind for kind, _ in kinds)
    events = quality.raw_suite(contract.tables()["ticket_events"])
    assert "expect_column_values_to_be_unique" in {e.expectation_type for e in events.expectations}
    # a column with a contract minimum is checked on its numeric twin
    calls = quality.raw_suite(contract.tables()["calls"])
    between = [
        e for e in calls.expectations if e.expectation_type == "expect_column_values_to_be_between"
    ]
    assert {e.column for e in between} >= {"talk_seconds__as_number", "hold_seconds__as_number"}


def test_raw_suites_pass_on_the_fixture(fixture_raw: Path, tmp_path: Path) -> None:
    report = quality.validate_landing(fixture_raw, tmp_path / "run")
    assert report.success, [failure.describe() for failure in report.failures]
    assert report.tables["tickets"] is True
    assert report.data_docs == tmp_path / "run" / "data_docs" / "index.html"
    assert report.data_docs.is_file()
    assert (tmp_path / "run" / "results" / "raw.tickets.json").is_file()


def test_broken_export_fails_the_tickets_suite_with_data_docs(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    shutil.copytree(FIXTURE, landing)
    _rewrite(landing / "tickets.csv", created_at="last tuesday", channel="fax")
    database = tmp_path / "landing.duckdb"
    loader.load(landing, database, progress=False)

    report = quality.validate_landing(database, tmp_path / "run")

    assert not report.success
    assert report.tables["tickets"] is False
    assert report.tables["calls"] is True
    failed = {(f.table, f.column, f.expectation) for f in report.failures}
    assert ("tickets", "created_at", "expect_column_values_to_match_regex") in failed
    assert ("tickets", "channel", "expect_column_values_to_be_in_set") in failed
    assert not report.blocking_failures  # row-level raw defects are reported, not blocking
    channel = next(f for f in report.failures if f.column == "channel")
    assert "fax" in channel.examples

    pages = list((tmp_path / "run" / "data_docs" / "validations").rglob("raw-tickets.html"))
    assert len(pages) == 1
    html = pages[0].read_text()
    for text in (
        "tickets.created_at",
        "tickets.channel",
        "expect_column_values_to_match_regex",
        "expect_column_values_to_be_in_set",
        "last tuesday",
        "fax",
    ):
        assert text in html, text
    assert "raw.tickets" in report.data_docs.read_text()


def test_a_missing_raw_column_blocks_the_build(fixture_raw: Path, tmp_path: Path) -> None:
    candidate = tmp_path / ".warehouse.duckdb.building"
    shutil.copy(fixture_raw, candidate)
    con = duckdb.connect(str(candidate))
    con.execute('alter table raw.calls drop column "queue"')
    con.close()
    validate_raw, _ = quality.make_validators()

    with pytest.raises(publish.BuildError) as raised:
        validate_raw(candidate)

    message = str(raised.value)
    assert "calls.queue: expect_column_to_exist" in message
    assert "Data Docs: " in message
    runs = list((tmp_path / "quality").iterdir())  # <warehouse dir>/quality/<UTC>-<load id>
    assert len(runs) == 1
    assert runs[0].name.endswith("-" + _load_id(candidate))
    assert (runs[0] / "data_docs" / "index.html").is_file()


def _load_id(database: Path) -> str:
    """The newest load of database."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        newest = "select max(load_id) from loader.load_runs"
        return str(con.execute(newest).fetchone()[0])  # type: ignore[index]
    finally:
        con.close()


def _marts(path: Path, values: dict[str, list[float]], tickets: int = 10) -> Path:
    """A tiny warehouse: kpi_definitions, kpi_values (kpi -> values) and fct_tickets."""
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute("create table marts.kpi_definitions (kpi_id varchar, unit varchar)")
    con.execute(
        "insert into marts.kpi_definitions values "
        "('csat', 'percent'), ('nps', 'points'), ('aht', 'seconds'), ('ces', 'score')"
    )
    con.execute("create table marts.kpi_values (kpi_id varchar, period_start date, value double)")
    for kpi_id, kpi_values in values.items():
        for day, value in enumerate(kpi_values):
            con.execute(
                "insert into marts.kpi_values values (?, date '2025-03-01' + ?::integer, ?)",
                [kpi_id, day, value],
            )
    con.execute(
        f"create table marts.fct_tickets as select range as ticket_id from range({tickets})"
    )
    con.close()
    return path


CLEAN = {"csat": [80.0, 100.0, 0.0], "nps": [-40.0, 35.0], "aht": [300.0], "ces": [1.0, 6.5]}


def test_mart_suite_passes_on_a_clean_warehouse(tmp_path: Path) -> None:
    candidate = _marts(tmp_path / "clean.duckdb", CLEAN)
    report = quality.validate_marts(candidate, None, tmp_path / "run")
    assert report.success, [failure.describe() for failure in report.failures]
    assert "marts.volumes" in report.skipped
    assert report.data_docs.is_file()


def test_a_percent_kpi_of_140_fails_naming_it(tmp_path: Path) -> None:
    candidate = _marts(tmp_path / "bad.duckdb", {**CLEAN, "csat": [80.0, 140.0]})
    report = quality.validate_marts(candidate, None, tmp_path / "run")
    assert not report.success
    [failure] = report.failures
    assert failure.blocking
    assert (failure.table, failure.column) == ("kpi_values", "value")
    assert "kpi_id = 'csat'" in (failure.condition or "")
    assert failure.examples == (140.0,)
    assert "csat" in failure.describe() and "0 <= value <= 100" in failure.describe()


def test_an_empty_kpi_values_fails(tmp_path: Path) -> None:
    candidate = _marts(tmp_path / "empty.duckdb", {})
    report = quality.validate_marts(candidate, None, tmp_path / "run")
    assert [(f.table, f.blocking) for f in report.failures] == [("kpi_values", True)]
    assert "at least one row" in report.failures[0].describe()


def test_volume_drift_blocks_through_the_validator(tmp_path: Path) -> None:
    previous = _marts(tmp_path / "warehouse.duckdb", {"csat": [50.0] * 100}, tickets=100)
    candidate = _marts(tmp_path / ".warehouse.duckdb.building", {"csat": [50.0] * 10})
    _, validate_mart = quality.make_validators(tmp_path / "run")  # previous: the published file

    with pytest.raises(publish.BuildError) as raised:
        validate_mart(candidate)

    message = str(raised.value)
    assert "kpi_values: expect_column_values_to_be_between [table_name = 'kpi_values']" in message
    assert "previous build's 100 rows" in message
    assert "fct_tickets" in message  # 10 vs 100 rows
    assert previous.is_file()
    assert str(tmp_path / "run" / "data_docs" / "index.html") in message
    summary = (tmp_path / "run" / "results" / "marts_summary.json").read_text()
    assert '"success": false' in summary


def test_optional_inputs_without_rows_exempt_their_marts() -> None:
    exempt = quality.may_be_empty(
        ["staffing_intervals", "fct_agent_intervals", "fct_tickets", "kpi_values"],
        {"forecasts", "agent_intervals"},
    )
    assert exempt == {"staffing_intervals", "fct_agent_intervals"}
    assert quality.may_be_empty(["staffing_intervals"], set()) == set()


def test_an_incremental_load_is_checked_on_its_new_rows_only(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    shutil.copytree(FIXTURE, landing)
    (landing / "tickets").mkdir()
    (landing / "tickets.csv").rename(landing / "tickets" / "part-1.csv")
    _rewrite(landing / "tickets" / "part-1.csv", channel="fax")
    database = tmp_path / "landing.duckdb"
    loader.load(landing, database, progress=False)
    assert quality.validate_landing(database, tmp_path / "first").tables["tickets"] is False

    shutil.copy(FIXTURE / "tickets.csv", landing / "tickets" / "part-2.csv")
    with (FIXTURE / "tickets.csv").open(newline="") as handle:
        new_rows = sum(1 for _ in csv.DictReader(handle))
    loader.load(landing, database, progress=False, incremental=True)

    report = quality.validate_landing(database, tmp_path / "second")

    assert report.success, [failure.describe() for failure in report.failures]
    tickets = report.suites["raw.tickets"]
    assert (tickets.rows, tickets.table_rows) == (new_rows, 2 * new_rows)
    assert report.skipped["raw.calls"] == f"no rows in load {_load_id(database)}"
