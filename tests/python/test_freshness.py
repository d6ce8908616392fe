"""Source freshness of the raw tables: `_loaded_at` (set by the loader) and the dbt
`freshness` config (warn after 36 hours, no error) run as a stage of publish.build."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from switchboard import loader, publish
from tests.python.conftest import FIXTURES


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    database = tmp_path_factory.mktemp("freshness") / "loaded.duckdb"
    loader.load(FIXTURES / "landing_small", database, progress=False)
    return database


def _loaded_days_ago(loaded: Path, tmp_path: Path, table: str, days: int) -> Path:
    """A copy of `loaded` whose raw `table` was loaded `days` days earlier."""
    stale = tmp_path / "stale.duckdb"
    shutil.copyfile(loaded, stale)
    con = duckdb.connect(str(stale))
    try:
        con.execute(f"update raw.{table} set _loaded_at = _loaded_at - interval {days} day")
    finally:
        con.close()
    return stale


def test_the_loader_stamps_every_raw_row(loaded: Path) -> None:
    con = duckdb.connect(str(loaded), read_only=True)
    try:
        stamps = con.execute(
            "select min(_loaded_at), max(_loaded_at), count(*) filter (where _loaded_at is null) "
            "from raw.tickets"
        ).fetchone()
        run = con.execute("select loaded_at from loader.load_runs").fetchone()
    finally:
        con.close()
    assert stamps is not None and run is not None
    assert stamps[0] == stamps[1] == run[0] and stamps[2] == 0
    assert datetime.now(UTC).replace(tzinfo=None) - stamps[0] < timedelta(minutes=10)


def test_a_fresh_load_passes_and_three_days_back_warns(loaded: Path, tmp_path: Path) -> None:
    artifacts = tmp_path / "dbt"
    assert publish.check_freshness(loaded, artifacts) == []
    # Absent optional tables are created empty by the loader: not checked.
    assert "source:helpdesk.customers" not in publish.freshness_sources(loaded)

    stale = _loaded_days_ago(loaded, tmp_path, "tickets", 3)
    warnings = publish.check_freshness(stale, artifacts)
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith("helpdesk.tickets: ") and "(warn after 36 hours)" in warnings[0]
    assert "72." in warnings[0]  # hours ago


def test_an_error_status_blocks_and_a_warning_does_not() -> None:
    warn = {
        "unique_id": "source.switchboard.helpdesk.tickets",
        "status": "warn",
        "max_loaded_at": "2025-01-01T00:00:00+00:00",
        "max_loaded_at_time_ago_in_s": 40 * 3600.0,
        "criteria": {"warn_after": {"count": 36, "period": "hour"}, "error_after": {}},
    }
    assert publish.freshness_outcome([warn]) == [
        "helpdesk.tickets: last loaded 2025-01-01T00:00:00+00:00, 40.0 h ago (warn after 36 hours)"
    ]
    error = warn | {
        "status": "error",
        "criteria": {"error_after": {"count": 2, "period": "day"}},
    }
    with pytest.raises(
        publish.BuildError, match=r"freshness error:\n  helpdesk\.tickets: .*2 days"
    ):
        publish.freshness_outcome([warn, error])
    broken = {"unique_id": "source.switchboard.telephony.calls", "status": "runtime error"}
    with pytest.raises(
        publish.BuildError, match=r"telephony\.calls: freshness could not be checked"
    ):
        publish.freshness_outcome([broken | {"error": "no such table"}])


def test_the_build_runs_in_the_freshness_process_and_its_failure_is_raised(
    loaded: Path, tmp_path: Path
) -> None:
    artifacts = tmp_path / "dbt"
    stale = _loaded_days_ago(loaded, tmp_path, "calls", 2)
    # The warnings of the check come back when the command after it succeeds ...
    warnings = publish.check_freshness(stale, artifacts, then=["ls", "--select", "fct_calls"])
    assert [warning.split(":")[0] for warning in warnings] == ["telephony.calls"]
    assert publish.freshness_seconds(stale, artifacts) > 0
    # ... and the command's failure is the build's.
    with pytest.raises(publish.BuildError, match=r"`dbt run-operation no_such_macro` failed"):
        publish.check_freshness(stale, artifacts, then=["run-operation", "no_such_macro"])
