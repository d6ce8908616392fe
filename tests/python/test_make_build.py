"""The documented entry point: `RAW_DIR=… WAREHOUSE=… make build` on the hand-made landing
directory reproduces first reply times worked out by hand across a DST weekend and Easter."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import duckdb

from tests.python.conftest import FIXTURES, ROOT


def test_make_build_with_raw_dir_and_warehouse(tmp_path: Path) -> None:
    warehouse = tmp_path / "custom" / "warehouse.duckdb"
    environment = dict(
        os.environ,
        RAW_DIR=str(FIXTURES / "landing_small"),
        WAREHOUSE=str(warehouse),
        DBT_TARGET_PATH=str(tmp_path / "target"),
        DBT_LOG_PATH=str(tmp_path / "logs"),
    )
    completed = subprocess.run(
        ["make", "--no-print-directory", "build"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert f"Published warehouse: {warehouse}" in completed.stdout
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        values = dict(
            con.execute(
                "select kpi_id || ' ' || cast(period_start as varchar), value "
                "from marts.kpi_values where grain = 'day' and scope_type = 'overall' "
                "and kpi_id in ('first_reply_time', 'first_reply_time_business')"
            ).fetchall()
        )
    finally:
        con.close()
    # tests/fixtures/landing_small/README.md: K1 across the DST weekend, K2 across Easter.
    assert values == {
        "first_reply_time 2025-03-28": 226_800,
        "first_reply_time_business 2025-03-28": 21_600,
        "first_reply_time 2025-04-17": 399_600,
        "first_reply_time_business 2025-04-17": 18_000,
    }
    assert not list(warehouse.parent.glob("*.wal"))
