"""The Spark engine's own parts that need no JVM: the profile's session settings and the
Parquet export of a loaded DuckDB file (the parity check runs the rest on Spark)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from switchboard import loader
from switchboard.engines import create_engine
from switchboard.engines.spark import SparkEngine, export_parquet, session_conf

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "landing_small"


def test_session_settings_come_from_the_profile_and_point_at_the_state_dir() -> None:
    conf = session_conf({"SWITCHBOARD_SPARK_DIR": "/state"})
    assert conf["spark.sql.session.timeZone"] == "UTC"
    assert conf["spark.sql.warehouse.dir"] == "/state/warehouse"
    assert conf["spark.hadoop.javax.jdo.option.ConnectionURL"] == (
        "jdbc:derby:;databaseName=/state/metastore_db;create=true"
    )
    assert conf["spark.driver.bindAddress"] == "127.0.0.1"


def test_engine_environment_names_the_target_and_its_state_dir(tmp_path: Path) -> None:
    engine = create_engine("spark")
    assert isinstance(engine, SparkEngine)
    engine.attach({"SWITCHBOARD_SPARK_DIR": str(tmp_path / "state")})
    assert engine.dbt_environment() == {
        "SWITCHBOARD_TARGET": "spark",
        "SWITCHBOARD_SPARK_DIR": str(tmp_path / "state"),
    }
    engine.stop()  # nothing started: safe


def test_export_writes_every_raw_and_loader_table_as_parquet(tmp_path: Path) -> None:
    database = tmp_path / "loaded.duckdb"
    loader.load(FIXTURE, database, progress=False)
    tables = export_parquet(database, tmp_path / "parquet")

    con = duckdb.connect(str(database), read_only=True)
    expected = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema in ('raw', 'loader') order by 1, 2"
    ).fetchall()
    assert [(table["schema"], table["name"]) for table in tables] == expected
    for table in tables:
        parquet = pq.read_table(Path(table["location"]) / "part-0.parquet")
        rows = con.execute(f'select count(*) from {table["schema"]}."{table["name"]}"').fetchone()
        assert rows is not None and parquet.num_rows == rows[0]
    con.close()

    tickets = pq.read_table(tmp_path / "parquet" / "raw" / "tickets" / "part-0.parquet")
    assert str(tickets.schema.field("ticket_id").type) == "string"
    assert str(tickets.schema.field("_line_number").type) == "int64"
    runs = pq.read_table(tmp_path / "parquet" / "loader" / "load_runs" / "part-0.parquet")
    # loaded_at is an instant (UTC-adjusted), which Spark reads as TIMESTAMP
    assert runs.schema.field("loaded_at").type.tz is not None
