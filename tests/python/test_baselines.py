"""The `make bench` baselines compute the warehouse's numbers.

pandas (switchboard/bench/baselines/pandas_baseline.py) and the one-query DuckDB
floor (duckdb_floor.py) must give every marts.kpi_values row of the nine-KPI
subset at grain day, scopes overall and channel: the same keys, and numerator,
denominator and value within 1e-9 relative. Also: the same data as CSV, and
re-exports spread over a folder of parts (dedupe ties: the last row of the last file).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from switchboard.bench.baselines import duckdb_floor_kpis, landing, pandas_kpis
from tests.python.conftest import Build, build_landing, generate

KEY = ["kpi_id", "period_start", "scope_type", "scope_value"]
MEASURES = ["numerator", "denominator", "value"]
SAMPLE = {"seed": 3, "tickets": 1_500, "days": 21}


@pytest.fixture(scope="module")
def baseline_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Seed 3, 1 500 tickets over 21 days, Parquet, built and published."""
    work = tmp_path_factory.mktemp("baselines")
    landing_dir = generate(work / "landing", file_format="parquet", **SAMPLE)
    return build_landing(landing_dir, work)


@pytest.fixture(scope="module")
def warehouse_rows(baseline_build: Build) -> pd.DataFrame:
    kpis = ", ".join(f"'{kpi}'" for kpi in landing.KPIS)
    rows = baseline_build.query(
        f"select {', '.join(KEY + MEASURES)} from marts.kpi_values "
        f"where grain = 'day' and scope_type in ('overall', 'channel') and kpi_id in ({kpis})"
    )
    return pd.DataFrame(rows, columns=KEY + MEASURES)


def assert_same_rows(actual: pd.DataFrame, expected: pd.DataFrame, label: str) -> None:
    """Same keys; numerator, denominator and value equal within 1e-9 relative (NULL = NULL)."""
    assert list(actual.columns) == KEY + MEASURES, label
    assert not actual.duplicated(KEY).any(), f"{label}: duplicate keys"
    joined = actual.merge(expected, on=KEY, how="outer", suffixes=("", "_expected"), indicator=True)
    unmatched = joined[joined["_merge"] != "both"]
    assert unmatched.empty, f"{label}: keys on one side only\n{unmatched[[*KEY, '_merge']]}"
    for measure in MEASURES:
        got = joined[measure].to_numpy(dtype=float)
        want = joined[f"{measure}_expected"].to_numpy(dtype=float)
        same = (np.isnan(got) & np.isnan(want)) | np.isclose(got, want, rtol=1e-9, atol=0)
        wrong = joined.loc[~same, [*KEY, measure, f"{measure}_expected"]]
        assert wrong.empty, f"{label}: {measure} differs in {len(wrong)} rows\n{wrong}"


def test_subset_is_covered(warehouse_rows: pd.DataFrame) -> None:
    """Every KPI of the subset has rows, and channel rows where the catalog has them."""
    assert set(warehouse_rows["kpi_id"]) == set(landing.KPIS)
    with_channel = set(warehouse_rows.loc[warehouse_rows["scope_type"] == "channel", "kpi_id"])
    assert with_channel == {"first_reply_time", "resolution_time", "csat", "nps", "backlog"}


@pytest.mark.parametrize("baseline", [pandas_kpis, duckdb_floor_kpis])
def test_baseline_matches_warehouse(
    baseline_build: Build, warehouse_rows: pd.DataFrame, baseline
) -> None:
    rows = baseline(baseline_build.landing_dir)
    assert_same_rows(rows, warehouse_rows, baseline.__name__)


def test_csv_landing_matches_warehouse(
    tmp_path: Path, baseline_build: Build, warehouse_rows: pd.DataFrame
) -> None:
    """The same generated data as CSV (text timestamps with offsets, enum and boolean
    spellings) gives the rows of the warehouse built from Parquet."""
    csv_landing = generate(tmp_path / "landing", file_format="csv", **SAMPLE)
    assert_same_rows(pandas_kpis(csv_landing), warehouse_rows, "pandas (CSV)")
    assert_same_rows(duckdb_floor_kpis(csv_landing), warehouse_rows, "floor (CSV)")


def _write(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path, index=False)


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_reexports_in_parts(tmp_path: Path, baseline_build: Build, suffix: str) -> None:
    """tickets as a folder of parts with re-exports: an older version, a NULL
    updated_at, and two rows tying with the latest version (the last row of the last
    file wins) must give the same rows as the winners written once."""
    source = baseline_build.landing_dir
    tickets = pq.read_table(source / "tickets.parquet").to_pandas()
    latest = tickets.sort_values("updated_at", kind="stable").drop_duplicates(
        "ticket_id", keep="last"
    )
    live = latest[latest["merged_into_ticket_id"].isna()]
    tie, stale = live.iloc[:40], live.iloc[40:80]

    def moved(rows: pd.DataFrame, channel: str, **changes: object) -> pd.DataFrame:
        return rows.assign(channel=np.where(rows["channel"] == channel, "web", channel), **changes)

    reexports = pd.concat(
        [
            moved(tie, "chat"),  # ties with the latest version, then loses to the next row
            moved(stale, "chat", updated_at=stale["updated_at"] - pd.Timedelta(days=1)),
            moved(stale, "social", updated_at=pd.NaT),
            moved(tie, "email"),  # the last tying row: wins
        ],
        ignore_index=True,
    )
    winners = latest.set_index("ticket_id")
    winners.loc[tie["ticket_id"], "channel"] = moved(tie, "email")["channel"].to_numpy()

    parts, expected = tmp_path / "parts", tmp_path / "expected"
    for directory in (parts, expected):
        directory.mkdir()
        for table in ("teams", "agents", "agent_team_history", "ticket_events", "calls"):
            shutil.copy(source / f"{table}.parquet", directory / f"{table}.parquet")
        shutil.copy(source / "survey_responses.parquet", directory / "survey_responses.parquet")
    half = len(tickets) // 2
    _write(tickets.iloc[:half], parts / "tickets" / f"part-0{suffix}")
    _write(tickets.iloc[half:], parts / "tickets" / f"part-1{suffix}")
    _write(reexports, parts / "tickets" / f"part-2{suffix}")
    _write(winners.reset_index(), expected / "tickets.parquet")

    reference = pandas_kpis(expected)
    assert_same_rows(duckdb_floor_kpis(expected), reference, "floor, winners only")
    assert_same_rows(pandas_kpis(parts), reference, f"pandas, {suffix} parts")
    assert_same_rows(duckdb_floor_kpis(parts), reference, f"floor, {suffix} parts")
    before = pandas_kpis(source).merge(reference, on=KEY, suffixes=("", "_after"))
    assert (before["numerator"] != before["numerator_after"]).any(), "no ticket moved"
