"""Spark as a dbt target: a local PySpark session (dbt-spark, method: session).

Everything Spark keeps lives in one state directory (SWITCHBOARD_SPARK_DIR of the
profile), so two runs never share a metastore or a table:

    <state>/warehouse                spark.sql.warehouse.dir (the models' Parquet files)
    <state>/metastore_db             the Derby metastore (table names -> locations)
    <state>/raw-parquet/<schema>/<table>/   the loader's tables as Parquet
    <state>/dbt/                     dbt's target/ and logs/ of the registration run

start(work_dir) uses <work_dir>/spark (the parity check); attach() uses the
SWITCHBOARD_SPARK_DIR of the environment (`switchboard engines load --engine spark`).

Loading: `switchboard.loader` already wrote the landing directory into a DuckDB
file's `raw` and `loader` schemas (every row as text, file and line numbers).
DuckDB writes each table to Parquet, and a `dbt run-operation` registers them as
Spark tables (`using parquet location ...`) in the run's metastore, inside dbt's
own Spark session and with the same profile (profiles/profiles.yml, target
`spark`) that `dbt build` then uses. Typing, dedupe and quarantine run in dbt.

The Derby metastore admits one JVM at a time: query() starts a session of its own
only after dbt has finished, and stop() ends it (and its JVM).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import yaml

from switchboard import PROJECT_DIR

SCHEMAS = ("raw", "loader")
PROFILE = PROJECT_DIR / "profiles" / "profiles.yml"


class SparkError(Exception):
    """A Spark step that failed; the message says which."""


def _render(text: str, environment: dict[str, str]) -> str:
    """Renders a profiles.yml value that uses env_var(), as dbt would."""

    def env_var(name: str, default: str | None = None) -> str:
        if name in environment:
            return environment[name]
        if default is None:
            raise SparkError(f"profiles.yml needs environment variable {name}")
        return default

    return jinja2.Template(text).render(env_var=env_var)


def session_conf(environment: dict[str, str]) -> dict[str, str]:
    """The Spark settings of the profile's `spark` target, rendered for an environment."""
    profile = yaml.safe_load(PROFILE.read_text())
    target = profile["switchboard"]["outputs"]["spark"]
    parameters: dict[str, Any] = target.get("server_side_parameters", {})
    return {key: _render(str(value), environment) for key, value in parameters.items()}


def _timestamp_columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> set[str]:
    rows = con.execute(
        "select column_name from information_schema.columns where table_schema = ? "
        "and table_name = ? and data_type like 'TIMESTAMP%'",
        [schema, table],
    ).fetchall()
    return {row[0] for row in rows}


def export_parquet(loaded: Path, out_dir: Path) -> list[dict[str, str]]:
    """Writes every table of the loaded DuckDB file's raw and loader schemas to
    <out_dir>/<schema>/<table>/part-0.parquet; returns the tables to register.

    Naive timestamps (loader.load_runs.loaded_at, UTC) are written as UTC instants
    so that Spark reads them as TIMESTAMP in its UTC session."""
    con = duckdb.connect(str(loaded), read_only=True)
    tables: list[dict[str, str]] = []
    try:
        con.execute("set TimeZone = 'UTC'")
        listed = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('raw', 'loader') order by 1, 2"
        ).fetchall()
        for schema, table in listed:
            folder = out_dir / schema / table
            folder.mkdir(parents=True, exist_ok=True)
            for old in folder.glob("*.parquet"):
                old.unlink()
            columns = [
                row[0]
                for row in con.execute(
                    "select column_name from information_schema.columns where table_schema = ? "
                    "and table_name = ? order by ordinal_position",
                    [schema, table],
                ).fetchall()
            ]
            timestamps = _timestamp_columns(con, schema, table)
            projection = ", ".join(
                f'cast("{name}" as timestamptz) as "{name}"' if name in timestamps else f'"{name}"'
                for name in columns
            )
            target = folder / "part-0.parquet"
            con.execute(
                f'copy (select {projection} from "{schema}"."{table}") '
                f"to '{target}' (format parquet, compression zstd)"
            )
            tables.append({"schema": schema, "name": table, "location": str(folder)})
    finally:
        con.close()
    return tables


class SparkEngine:
    """Local Spark (PySpark session inside the dbt process), state under one directory."""

    name = "spark"

    def __init__(self) -> None:
        self.state_dir: Path | None = None
        self._session: Any = None

    def _state(self) -> Path:
        if self.state_dir is None:
            raise SparkError("SparkEngine.start() or attach() was not called")
        return self.state_dir

    @staticmethod
    def _check_installed() -> None:
        try:
            import pyspark  # noqa: F401
        except ImportError as error:
            raise SparkError("Spark needs its extra: run `make install-spark`") from error

    def start(self, work_dir: Path) -> None:
        self.state_dir = (work_dir / "spark").resolve()
        self.state_dir.mkdir(parents=True, exist_ok=True)

    def attach(self, environment: dict[str, str] | None = None) -> None:
        """Uses the state directory the profile's `spark` target points at
        (SWITCHBOARD_SPARK_DIR, default target/spark of the project)."""
        env = os.environ if environment is None else environment
        state = Path(env.get("SWITCHBOARD_SPARK_DIR", "target/spark"))
        self.state_dir = (state if state.is_absolute() else PROJECT_DIR / state).resolve()
        self.state_dir.mkdir(parents=True, exist_ok=True)

    def stop(self) -> None:
        session, self._session = self._session, None
        if session is None:
            return
        session.stop()
        from pyspark import SparkContext

        gateway = SparkContext._gateway
        if gateway is not None:
            gateway.shutdown()
            process = getattr(gateway, "proc", None)
            if process is not None:
                if process.stdin is not None:
                    process.stdin.close()
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    process.kill()
            SparkContext._gateway = None
            SparkContext._jvm = None

    def dbt_environment(self) -> dict[str, str]:
        return {
            "SWITCHBOARD_TARGET": "spark",
            "SWITCHBOARD_SPARK_DIR": str(self._state()),
        }

    def _run_dbt(self, arguments: list[str]) -> None:
        environment = {**os.environ, **self.dbt_environment()}
        environment.setdefault("DBT_PROFILES_DIR", str(PROJECT_DIR / "profiles"))
        environment["DBT_TARGET_PATH"] = str(self._state() / "dbt" / "target")
        environment["DBT_LOG_PATH"] = str(self._state() / "dbt" / "logs")
        dbt = Path(sys.executable).with_name("dbt")
        completed = subprocess.run(
            [str(dbt), *arguments, "--project-dir", str(PROJECT_DIR)],
            env=environment,
            cwd=PROJECT_DIR,
        )
        if completed.returncode != 0:
            raise SparkError(f"`dbt {' '.join(arguments[:2])}` failed on Spark")

    def load_raw(self, loaded: Path) -> None:
        self._check_installed()
        tables = export_parquet(loaded, self._state() / "raw-parquet")
        self._run_dbt(
            [
                "run-operation",
                "spark_register_parquet_tables",
                "--args",
                json.dumps({"tables": tables, "schemas": list(SCHEMAS)}),
            ]
        )

    def session(self) -> Any:
        """A Spark session on the run's metastore (not while dbt runs: Derby is single-JVM)."""
        if self._session is None:
            from pyspark.sql import SparkSession

            environment = {**os.environ, **self.dbt_environment()}
            builder = SparkSession.builder.enableHiveSupport()
            for key, value in session_conf(environment).items():
                builder = builder.config(key, value)
            self._session = builder.getOrCreate()
        return self._session

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.session().sql(sql).collect()]
