"""End-to-end builds: hand-computed values, publishing, and what a bad landing directory does."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from switchboard import publish
from tests.python.conftest import ROOT, Build, build_landing


def kpi(build: Build, kpi_id: str, grain: str, period: str, scope: str = "overall") -> tuple:
    rows = build.query(
        "select numerator, denominator, value, p50, p90 from marts.kpi_values "
        "where kpi_id = ? and grain = ? and period_start = ? and scope_type = ?",
        [kpi_id, grain, period, scope],
    )
    assert len(rows) == 1, f"{kpi_id} {grain} {period} {scope}: {rows}"
    return rows[0]


def test_first_reply_across_dst_weekend_and_holiday(fixture_build: Build) -> None:
    # Worked by hand in tests/fixtures/landing_small/README.md.
    assert kpi(fixture_build, "first_reply_time_business", "day", "2025-03-28")[2] == 21_600
    assert kpi(fixture_build, "first_reply_time", "day", "2025-03-28")[2] == 226_800
    assert kpi(fixture_build, "first_reply_time_business", "day", "2025-04-17")[2] == 18_000
    assert kpi(fixture_build, "first_reply_time", "day", "2025-04-17")[2] == 399_600
    # Month of April holds only K2; March only K1.
    assert kpi(fixture_build, "first_reply_time_business", "month", "2025-04-01")[:3] == (
        18_000,
        1,
        18_000,
    )


def test_call_kpis_by_hand(fixture_build: Build) -> None:
    # C1 waits 15 s, C3 40 s, C2 abandons after 3 s (a short abandon).
    assert kpi(fixture_build, "asa", "day", "2025-03-28")[:3] == (55, 2, 27.5)
    assert kpi(fixture_build, "asa", "day", "2025-03-28")[3:] == (27.5, 37.5)
    assert kpi(fixture_build, "service_level", "day", "2025-03-28")[:3] == (1, 2, 50.0)
    assert kpi(fixture_build, "abandonment_rate", "day", "2025-03-28")[:3] == (0, 2, 0.0)
    # (300 + 0 + 60) and (300 + 30 + 30)
    assert kpi(fixture_build, "aht_calls", "day", "2025-03-28")[:3] == (720, 2, 360.0)


def test_surveys_by_hand(fixture_build: Build) -> None:
    # R1 csat 5 (2025-03-31), R2 csat 2 (2025-03-28); R3 nps 11 is out of scale.
    assert kpi(fixture_build, "csat", "month", "2025-03-01")[:3] == (1, 2, 50.0)
    assert kpi(fixture_build, "dsat", "month", "2025-03-01")[:3] == (1, 2, 50.0)
    assert kpi(fixture_build, "csat_avg_score", "month", "2025-03-01")[:3] == (7, 2, 3.5)
    assert fixture_build.scalar("select count(*) from marts.kpi_values where kpi_id = 'nps'") == 0


def test_dedupe_and_quarantine_of_the_fixture(fixture_build: Build) -> None:
    reasons = dict(
        fixture_build.query(
            "select source_table || ':' || quarantine_kind, reason from audit.quarantined_rows"
        )
    )
    assert reasons == {
        "tickets:superseded": (
            "older version of the same primary key (a later row or updated_at wins)"
        ),
        "ticket_events:unusable": "unknown ticket_id 'K404' (not in tickets)",
        "survey_responses:unusable": (
            "score outside the survey type's scale (csat 1-5, nps 0-10, ces 1-7)"
        ),
    }
    # The later updated_at wins: K1 is solved.
    status = fixture_build.scalar(
        "select status from staging.stg_helpdesk__tickets where ticket_id = 'K1'"
    )
    assert status == "solved"


def test_rows_in_equal_staged_plus_quarantined(bad_build: Build) -> None:
    rows = bad_build.query(
        "select source_table, rows_in, rows_staged, rows_quarantined from audit.row_reconciliation"
    )
    assert len(rows) == 18
    for table, rows_in, staged, quarantined in rows:
        assert rows_in == staged + quarantined, table
        assert rows_in > 0, table


def test_only_required_tables_build(fixture_build: Build) -> None:
    present = {path.stem for path in fixture_build.landing_dir.glob("*.csv")}
    assert present == {
        "teams",
        "agents",
        "tickets",
        "ticket_events",
        "calls",
        "survey_responses",
    }
    assert fixture_build.scalar("select count(*) from marts.fct_agent_intervals") == 0
    assert fixture_build.scalar("select count(*) from marts.kpi_values") > 0


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def published(tmp_path: Path, landing_copy: Path) -> Build:
    return build_landing(landing_copy, tmp_path / "published")


def test_missing_required_column_fails_naming_it(published: Build, tmp_path: Path) -> None:
    before = _digest(published.warehouse)
    tickets = published.landing_dir / "tickets.csv"
    lines = tickets.read_text().splitlines()
    header = lines[0].split(",")
    index = header.index("priority")
    tickets.write_text(
        "\n".join(
            ",".join(v for i, v in enumerate(line.split(",")) if i != index) for line in lines
        )
    )
    with pytest.raises(publish.BuildError) as error:
        publish.build(published.landing_dir, published.warehouse, progress=False)
    message = str(error.value)
    assert "tickets.csv" in message and "'priority'" in message
    assert "unchanged" in message
    assert _digest(published.warehouse) == before


def test_missing_required_file_fails_naming_it(published: Build) -> None:
    before = _digest(published.warehouse)
    (published.landing_dir / "calls.csv").unlink()
    with pytest.raises(publish.BuildError, match=r"calls\.csv.*required file of table 'calls'"):
        publish.build(published.landing_dir, published.warehouse, progress=False)
    assert _digest(published.warehouse) == before


def test_failing_dbt_leaves_the_published_warehouse(
    published: Build, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    before = _digest(published.warehouse)
    # A real dbt failure: a KPI var that is not a number breaks the service-level SQL.
    monkeypatch.setattr(
        publish,
        "build_arguments",
        lambda incremental=False: [
            "build",
            "--vars",
            "{service_level_threshold_seconds: not_a_number}",
        ],
    )
    with pytest.raises(publish.BuildError, match=r"dbt build.*failed") as error:
        publish.build(
            published.landing_dir,
            published.warehouse,
            progress=False,
            artifacts_dir=tmp_path / "dbt",
        )
    assert "unchanged" in str(error.value)
    assert _digest(published.warehouse) == before
    assert not list(published.warehouse.parent.glob(".*building*"))


def test_killed_build_leaves_the_published_warehouse(published: Build, tmp_path: Path) -> None:
    before = _digest(published.warehouse)
    environment = dict(os.environ, DBT_TARGET_PATH=str(tmp_path / "t"), DBT_LOG_PATH=str(tmp_path))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "switchboard.cli",
            "build",
            "--raw-dir",
            str(published.landing_dir),
            "--warehouse",
            str(published.warehouse),
            "--quiet",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 180
    while not list(published.warehouse.parent.glob(".*building*")):
        assert time.monotonic() < deadline, "the build never started writing its private file"
        time.sleep(0.05)
    time.sleep(2)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert _digest(published.warehouse) == before
    # The next build cleans up after the dead one and publishes.
    publish.build(published.landing_dir, published.warehouse, progress=False)
    assert not list(published.warehouse.parent.glob(".*building*"))


def test_a_second_build_of_the_same_warehouse_is_refused(published: Build) -> None:
    before = _digest(published.warehouse)
    with (
        publish.build_lock(published.warehouse),
        pytest.raises(publish.BuildError, match=r"another build of .* is running"),
    ):
        publish.build(published.landing_dir, published.warehouse, progress=False)
    assert _digest(published.warehouse) == before


def _resource_types(artifacts_dir: Path) -> set[str]:
    results = json.loads((artifacts_dir / "target" / "run_results.json").read_text())["results"]
    return {result["unique_id"].split(".")[0] for result in results}


def test_incremental_build_runs_only_on_the_code_that_built_the_warehouse(
    published: Build, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert publish.published_fingerprint(published.warehouse) == publish.code_fingerprint()
    same = publish.build(
        published.landing_dir,
        published.warehouse,
        progress=False,
        artifacts_dir=tmp_path / "same",
        incremental=True,
    )
    assert same.kind == "incremental" and "copy" in same.stage_seconds
    # The unit tests ran at the full build of this code; data tests still run.
    assert "unit_test" not in _resource_types(tmp_path / "same")
    assert "test" in _resource_types(tmp_path / "same")

    # The warehouse as other code (an earlier release) would have published it.
    con = duckdb.connect(str(published.warehouse))
    try:
        con.execute(f"update {publish.BUILDS_TABLE} set code_fingerprint = 'earlier code'")
    finally:
        con.close()
    capsys.readouterr()
    changed = publish.build(
        published.landing_dir,
        published.warehouse,
        progress=False,
        artifacts_dir=tmp_path / "changed",
        incremental=True,
    )
    assert changed.kind == "full" and "copy" not in changed.stage_seconds
    assert "Building in full: the project's code or seeds changed" in capsys.readouterr().out
    assert "unit_test" in _resource_types(tmp_path / "changed")
    con = duckdb.connect(str(published.warehouse), read_only=True)
    try:
        kinds = con.execute(f"select build_kind from {publish.BUILDS_TABLE}").fetchall()
    finally:
        con.close()
    # A full build starts a new file: its record is its own.
    assert kinds == [("full",)]


def test_code_fingerprint_follows_the_project_code_only(tmp_path: Path) -> None:
    (tmp_path / "models" / "marts").mkdir(parents=True)
    model = tmp_path / "models" / "marts" / "fct_example.sql"
    model.write_text("select 1 as example_id\n")
    (tmp_path / "README.md").write_text("notes\n")
    first = publish.code_fingerprint(tmp_path)
    (tmp_path / "README.md").write_text("other notes\n")
    assert publish.code_fingerprint(tmp_path) == first
    model.write_text("select 2 as example_id\n")
    assert publish.code_fingerprint(tmp_path) != first
    model.write_text("select 1 as example_id\n")
    assert publish.code_fingerprint(tmp_path) == first
    model.rename(model.with_name("fct_renamed.sql"))
    assert publish.code_fingerprint(tmp_path) != first


def test_fct_tickets_built_in_parts_equals_one_statement(
    demo_build: Build, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A full build at 2 MB a ticket, nothing reserved, against a 6 GB memory
    # limit (5.5 GiB) splits the demo's 20 000 tickets into
    # ceil(20 000 * 2e6 / 5.5 GiB) = 7 hash parts of ticket_id
    # (macros/incremental/full_build_parts.sql); the table must hold the rows
    # of the one-statement build, no more, no less.
    monkeypatch.setenv("SWITCHBOARD_MEMORY_LIMIT", "6GB")
    copy = tmp_path / "parts.duckdb"
    copy.write_bytes(demo_build.warehouse.read_bytes())
    artifacts = tmp_path / "dbt"
    publish.run_dbt(
        [
            "run",
            "-s",
            "fct_tickets",
            "--full-refresh",
            "--vars",
            "{full_build_bytes_per_row: 2000000, full_build_reserved_bytes: 0}",
        ],
        copy,
        artifacts,
    )
    results = json.loads((artifacts / "target" / "run_results.json").read_text())
    assert "full build part 0 of 7" in results["results"][0]["compiled_code"]
    con = duckdb.connect(str(copy))
    try:
        con.execute(f"attach '{demo_build.warehouse}' as one (read_only)")
        columns = [
            name
            for (name,) in con.execute(
                "select column_name from information_schema.columns where table_catalog = 'one' "
                "and table_schema = 'marts' and table_name = 'fct_tickets' "
                "and column_name <> '_refreshed_at' order by ordinal_position"
            ).fetchall()
        ]
        projection = ", ".join(columns)
        for left, right in (("marts", "one.marts"), ("one.marts", "marts")):
            extra = con.execute(
                f"select count(*) from (select {projection} from {left}.fct_tickets "
                f"except all select {projection} from {right}.fct_tickets)"
            ).fetchone()
            assert extra == (0,), f"rows only in {left}.fct_tickets: {extra}"
        assert con.execute("select count(*) from marts.fct_tickets").fetchone() == (20_000,)
    finally:
        con.close()


@pytest.mark.parametrize(
    ("setting", "expected_bytes"),
    [
        # DuckDB reports 6 GB (6e9 bytes) in binary units rounded to a tenth:
        # '5.5 GiB', that is 5.5 * 2**30 bytes.
        ("6GB", 5.5 * 2**30),
        # No limit reads '16383.9 PiB': at least 2**60 bytes, so one part.
        ("-1", 16383.9 * 2**50),
    ],
)
def test_engine_memory_limit_reads_duckdbs_setting(
    setting: str, expected_bytes: float, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SWITCHBOARD_MEMORY_LIMIT", setting)
    artifacts = tmp_path / "dbt"
    publish.run_dbt(
        [
            "compile",
            "--inline",
            "select {% if execute %}{{ engine_memory_limit_bytes() }}{% endif %} as limit_bytes",
        ],
        tmp_path / "empty.duckdb",
        artifacts,
    )
    results = json.loads((artifacts / "target" / "run_results.json").read_text())
    compiled = results["results"][0]["compiled_code"]
    assert float(compiled.split()[1]) == pytest.approx(expected_bytes)
