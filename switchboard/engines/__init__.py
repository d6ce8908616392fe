"""Other engines for the same dbt project: Spark and Postgres beside the embedded DuckDB.

Every engine receives the landing directory through the same path: `switchboard.loader`
loads it into a DuckDB file's `raw` and `loader` schemas (every row as text, file and
line numbers, rejected lines), and the engine copies those tables unchanged into its
own `raw`/`loader` schemas. Typing, dedupe and quarantine then run in dbt on the
engine itself (macros/contract/), so the rules are the same everywhere.

An engine module (`switchboard/engines/<name>.py`) provides a class implementing
`Engine`; `ENGINES` names them. The parity check (`switchboard engines parity`,
`make test-engines`) builds one landing directory on DuckDB and on each engine and
compares `marts.kpi_values` row by row.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol


class Engine(Protocol):
    """A dbt target other than DuckDB, started for a run and stopped after it."""

    name: str  # the dbt target name in profiles/profiles.yml (`spark`, `postgres`)

    def start(self, work_dir: Path) -> None:
        """Starts what the engine needs (a throwaway server, a metastore) under work_dir."""

    def stop(self) -> None:
        """Stops what start() started; safe to call twice."""

    def dbt_environment(self) -> dict[str, str]:
        """Environment variables that point profiles/profiles.yml's target at this engine."""

    def load_raw(self, loaded: Path) -> None:
        """Copies the `raw` and `loader` schemas of a DuckDB file written by
        switchboard.loader into the engine (same table and column names, all text)."""

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """Rows of a query on the engine (for the parity comparison)."""


ENGINES: dict[str, str] = {
    # name -> "module:Class"; filled in as engines are implemented
    "postgres": "switchboard.engines.postgres:PostgresEngine",
    "spark": "switchboard.engines.spark:SparkEngine",
}


def create_engine(name: str) -> Engine:
    """A new, unstarted engine by its name in ENGINES."""
    import importlib

    try:
        module_name, class_name = ENGINES[name].split(":")
    except KeyError as error:
        known = ", ".join(sorted(ENGINES))
        raise ValueError(f"unknown engine {name!r} (known: {known})") from error
    engine: Engine = getattr(importlib.import_module(module_name), class_name)()
    return engine
