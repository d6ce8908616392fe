"""Shared pytest fixtures: generated landing directories and warehouses built from them.

Every build goes through the product's own entry point (`switchboard.publish.build`:
load, `dbt build` with all data tests, atomic publish), each with private dbt
artifacts so that builds never share files. Builds are session-scoped: the demo
is built once and read by many tests.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, Phase, settings

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from switchboard import generator, publish  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"

# Property-based tests (tests/python/test_fuzz.py). "ci", the default, is reproducible:
# derandomized (the same examples every run), no example database, no deadline (an
# example loads files and runs SQL). "explore" draws new examples each run, e.g.
# `pytest tests/python/test_fuzz.py --hypothesis-profile=explore`.
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile("explore", settings.get_profile("ci"), derandomize=False)
settings.register_profile(
    "debug", settings.get_profile("ci"), phases=[Phase.explicit, Phase.generate]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@dataclass(frozen=True)
class Build:
    """A landing directory and the warehouse published from it."""

    landing_dir: Path
    warehouse: Path

    def query(self, sql: str, parameters: list[Any] | None = None) -> list[tuple[Any, ...]]:
        con = duckdb.connect(str(self.warehouse), read_only=True)
        try:
            return con.execute(sql, parameters or []).fetchall()
        finally:
            con.close()

    def scalar(self, sql: str, parameters: list[Any] | None = None) -> Any:
        return self.query(sql, parameters)[0][0]


def build_landing(landing_dir: Path, work_dir: Path) -> Build:
    """Builds and publishes landing_dir into work_dir/warehouse.duckdb."""
    work_dir.mkdir(parents=True, exist_ok=True)
    warehouse = work_dir / "warehouse.duckdb"
    publish.build(landing_dir, warehouse, progress=False, artifacts_dir=work_dir / "dbt")
    return Build(landing_dir=landing_dir, warehouse=warehouse)


def generate(out_dir: Path, **options: Any) -> Path:
    generator.generate(out_dir, progress=False, **options)
    return out_dir


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The hand-made landing directory tests/fixtures/landing_small (required tables only)."""
    return build_landing(FIXTURES / "landing_small", tmp_path_factory.mktemp("fixture"))


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The demo: seed 42, 20 000 tickets over 91 days, CSV (as `make build`)."""
    work = tmp_path_factory.mktemp("demo")
    landing = generate(work / "landing", seed=42, tickets=20_000, days=91, file_format="csv")
    return build_landing(landing, work)


@pytest.fixture(scope="session")
def second_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Another seed and size, in Parquet."""
    work = tmp_path_factory.mktemp("second")
    landing = generate(work / "landing", seed=7, tickets=4_000, days=42, file_format="parquet")
    return build_landing(landing, work)


@pytest.fixture(scope="session")
def second_build_csv(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The same data as second_build, written as CSV."""
    work = tmp_path_factory.mktemp("second_csv")
    landing = generate(work / "landing", seed=7, tickets=4_000, days=42, file_format="csv")
    return build_landing(landing, work)


@pytest.fixture(scope="session")
def bad_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """CSV with 3 % injected bad rows of every kind the contract names, and re-exports."""
    work = tmp_path_factory.mktemp("bad")
    landing = generate(
        work / "landing", seed=5, tickets=2_000, days=21, file_format="csv", bad_row_share=0.03
    )
    return build_landing(landing, work)


@pytest.fixture
def landing_copy(tmp_path: Path) -> Iterator[Path]:
    """A writable copy of the hand-made landing directory."""
    import shutil

    target = tmp_path / "landing"
    shutil.copytree(FIXTURES / "landing_small", target)
    yield target
