"""Spark as a dbt target: a local PySpark session (dbt-spark, method: session).

Everything Spark keeps lives under the run's work directory, so two runs never
share a metastore or a table:

    <work_dir>/spark/warehouse       spark.sql.warehouse.dir (the models' Parquet files)
    <work_dir>/spark/metastore_db    the Derby metastore (table names -> locations)
    <work_dir>/raw-parquet/<schema>/<table>/   the loader's tables as Parquet
    <work_dir>/dbt/                  dbt's target/ and logs/ of the registration run

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
    """Local Spark (PySpark session inside the dbt process), state under a work dir."""

    name = "spark"

    def __init__(self) -> None:
        self.work_dir: Path | None = None
        self._session: Any = None

    def _work(self) -> Path:
        if self.work_dir is None:
            raise SparkError("SparkEngine.start() was not called")
        return self.work_dir

    def start(self, work_dir: Path) -> None:
        try:
            import pyspark  # noqa: F401
        except ImportError as error:
            raise SparkError("Spark needs its extra: run `make install-spark`") from error
        self.work_dir = work_dir.resolve()
        (self.work_dir / "spark").mkdir(parents=True, exist_ok=True)

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
            "SWITCHBOARD_SPARK_DIR": str(self._work() / "spark"),
        }

    def _run_dbt(self, arguments: list[str]) -> None:
        environment = {**os.environ, **self.dbt_environment()}
        environment.setdefault("DBT_PROFILES_DIR", str(PROJECT_DIR / "profiles"))
        environment["DBT_TARGET_PATH"] = str(self._work() / "dbt" / "target")
        environment["DBT_LOG_PATH"] = str(self._work() / "dbt" / "logs")
        dbt = Path(sys.executable).with_name("dbt")
        completed = subprocess.run(
            [str(dbt), *arguments, "--project-dir", str(PROJECT_DIR)],
            env=environment,
            cwd=self._work(),
        )
        if completed.returncode != 0:
            raise SparkError(f"`dbt {' '.join(arguments[:2])}` failed on Spark")

    def load_raw(self, loaded: Path) -> None:
        tables = export_parquet(loaded, self._work() / "raw-parquet")
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
            previous = Path.cwd()
            os.chdir(self._work())  # relative paths of the profile resolve as in dbt's run
            try:
                self._session = builder.getOrCreate()
            finally:
                os.chdir(previous)
        return self._session

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.session().sql(sql).collect()]


def main(argv: list[str] | None = None) -> int:
    """`python -m switchboard.engines.spark --raw-dir DIR --work-dir DIR`: loads a landing
    directory into Spark's raw/loader schemas; prints the environment for `dbt build`."""
    import argparse
    import tempfile

    from switchboard import loader

    parser = argparse.ArgumentParser(prog="python -m switchboard.engines.spark")
    parser.add_argument("--raw-dir", required=True, help="landing directory (raw contract)")
    parser.add_argument("--work-dir", required=True, help="private Spark state (metastore, files)")
    arguments = parser.parse_args(argv)
    engine = SparkEngine()
    engine.start(Path(arguments.work_dir))
    try:
        with tempfile.TemporaryDirectory() as scratch:
            loaded = Path(scratch) / "loaded.duckdb"
            print(loader.load(Path(arguments.raw_dir), loaded, progress=False).summary())
            engine.load_raw(loaded)
    except (loader.ContractError, SparkError) as error:
        print(f"switchboard spark load: {error}", file=sys.stderr)
        return 1
    finally:
        engine.stop()
    exports = " ".join(f"{key}={value}" for key, value in engine.dbt_environment().items())
    print(f"Loaded. Build with: {exports} dbt build")
    return 0


if __name__ == "__main__":
    sys.exit(main())
