"""The loader: file discovery, the required-file/column errors, and that no line is lost."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

from switchboard import loader
from tests.python.conftest import FIXTURES


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    target = tmp_path / "landing"
    shutil.copytree(FIXTURES / "landing_small", target)
    return target


def rows(database: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_loads_every_row_as_text_with_its_line_number(landing: Path, tmp_path: Path) -> None:
    report = loader.load(landing, tmp_path / "w.duckdb", progress=False)
    assert report.tables["tickets"].rows_read == 3
    loaded = rows(
        tmp_path / "w.duckdb",
        "select ticket_id, channel, _line_number from raw.tickets order by _line_number",
    )
    assert loaded == [("K1", "email", 1), ("K1", "Email", 2), ("K2", "EMAIL ", 3)]
    # Optional tables absent from the landing directory exist, empty, with every column.
    assert rows(tmp_path / "w.duckdb", "select count(*) from raw.agent_intervals") == [(0,)]
    assert "schedules" in report.absent


def test_missing_column_names_file_and_column(landing: Path, tmp_path: Path) -> None:
    calls = landing / "calls.csv"
    text = calls.read_text().replace("hold_seconds,", "", 1)
    calls.write_text(text)
    with pytest.raises(loader.ContractError) as error:
        loader.load(landing, tmp_path / "w.duckdb", progress=False)
    assert str(error.value).startswith(str(calls))
    assert "'hold_seconds'" in str(error.value)


def test_malformed_lines_are_kept_not_dropped(landing: Path, tmp_path: Path) -> None:
    with (landing / "teams.csv").open("a") as teams:
        teams.write("T9,Too,many,fields,here\n")
        teams.write("T8,Fine,default,2025-01-01T00:00:00Z\n")
    report = loader.load(landing, tmp_path / "w.duckdb", progress=False)
    assert report.tables["teams"].rows_read == 4
    assert report.tables["teams"].rows_rejected == 1
    rejected = rows(
        tmp_path / "w.duckdb", "select source_table, raw_row, reason from loader.rejected_lines"
    )
    assert rejected == [
        ("teams", "T9,Too,many,fields,here", "malformed CSV line: expected 4 fields, found 5")
    ]


def test_extra_columns_are_kept(landing: Path, tmp_path: Path) -> None:
    teams = landing / "teams.csv"
    lines = teams.read_text().splitlines()
    teams.write_text("\n".join([lines[0] + ",Region"] + [line + ",EMEA" for line in lines[1:]]))
    loader.load(landing, tmp_path / "w.duckdb", progress=False)
    assert rows(tmp_path / "w.duckdb", "select distinct region from raw.teams") == [("EMEA",)]


def test_folder_of_parquet_parts(landing: Path, tmp_path: Path) -> None:
    calls = landing / "calls.csv"
    table = pa_csv.read_csv(calls, convert_options=pa_csv.ConvertOptions(strings_can_be_null=True))
    calls.unlink()
    (landing / "calls").mkdir()
    pq.write_table(table.slice(0, 2), landing / "calls" / "part-0.parquet")
    pq.write_table(table.slice(2), landing / "calls" / "part-1.parquet")
    report = loader.load(landing, tmp_path / "w.duckdb", progress=False)
    assert report.tables["calls"].rows_read == 3
    assert len(report.tables["calls"].files) == 2


def test_a_table_given_twice_is_an_error(landing: Path, tmp_path: Path) -> None:
    table = pa_csv.read_csv(landing / "teams.csv")
    pq.write_table(table, landing / "teams.parquet")
    with pytest.raises(loader.ContractError, match="given more than once"):
        loader.load(landing, tmp_path / "w.duckdb", progress=False)


def test_empty_file_is_an_error(landing: Path, tmp_path: Path) -> None:
    (landing / "agents.csv").write_text("")
    with pytest.raises(loader.ContractError, match=r"agents\.csv.*empty"):
        loader.load(landing, tmp_path / "w.duckdb", progress=False)


def test_bad_encoding_is_an_error_naming_the_file(landing: Path, tmp_path: Path) -> None:
    with (landing / "teams.csv").open("ab") as teams:
        teams.write(b"T7,Caf\xe9,default,2025-01-01T00:00:00Z\n")
    with pytest.raises(loader.ContractError, match=r"teams\.csv.*UTF-8"):
        loader.load(landing, tmp_path / "w.duckdb", progress=False)
