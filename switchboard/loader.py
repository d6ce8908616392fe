"""Loads a landing directory of contract files into a DuckDB raw schema.

The loader does only what SQL cannot: find the files, check that required
files and columns exist, and present every row as text (with its file and row
number) as `raw.<table>`. Typing, trimming, quarantine reasons and dedupe
happen in dbt (macros/contract/), so every engine applies the same rules.

- A table whose files are all Parquet becomes a *view* over those files
  (`read_parquet`, every column cast to text): nothing is copied, which is
  what makes the 10M-ticket tier load in seconds. Landing parts are immutable,
  so the view stays valid; the published warehouse's raw views point at the
  landing directory (the marts never do).
- A table with CSV files is copied into a text table (pyarrow reads it in
  blocks); rows that cannot even be split into the header's columns go to
  `loader.rejected_lines`. Nothing read is dropped.
"""

from __future__ import annotations

import csv
import gzip
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from tqdm import tqdm

from switchboard import contract

RAW_SCHEMA = "raw"
LOADER_SCHEMA = "loader"
LOADER_COLUMNS = ("_source_file", "_line_number", "_load_id")


class ContractError(Exception):
    """A landing directory that cannot be loaded: names the file and the column."""


@dataclass
class TableLoad:
    table: str
    files: list[Path]
    rows_read: int = 0
    rows_rejected: int = 0


@dataclass
class LoadReport:
    load_id: str
    raw_dir: Path
    tables: dict[str, TableLoad] = field(default_factory=dict)
    absent: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"Loaded {self.raw_dir} (load {self.load_id}):"]
        for load in self.tables.values():
            rejected = f", {load.rows_rejected} malformed lines" if load.rows_rejected else ""
            lines.append(f"  {load.table:<22} {load.rows_read:>12,} rows{rejected}")
        if self.absent:
            lines.append("  absent (optional): " + ", ".join(self.absent))
        return "\n".join(lines)


def find_files(raw_dir: Path, table: str) -> list[Path]:
    """The landing files of a table: `<table>.csv`, `<table>.parquet` or a folder of parts."""
    candidates = [raw_dir / f"{table}.{suffix}" for suffix in ("csv", "csv.gz", "parquet")]
    found = [path for path in candidates if path.is_file()]
    folder = raw_dir / table
    if folder.is_dir():
        found += sorted(
            path
            for path in folder.iterdir()
            if path.is_file() and path.name.endswith((".csv", ".csv.gz", ".parquet"))
        )
    if len({path.suffix for path in found if path.parent == raw_dir}) > 1:
        names = ", ".join(path.name for path in found)
        raise ContractError(f"{raw_dir}: table '{table}' is given more than once ({names})")
    return found


def _is_parquet(path: Path) -> bool:
    return path.name.endswith(".parquet")


def _header(path: Path) -> list[str]:
    if _is_parquet(path):
        try:
            return list(pq.read_schema(path).names)
        except (pa.ArrowInvalid, OSError) as error:
            raise ContractError(f"{path}: not a readable Parquet file ({error})") from error
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle), None)
    except (UnicodeDecodeError, OSError, csv.Error) as error:
        raise ContractError(f"{path}: cannot read a UTF-8 CSV header row ({error})") from error
    if not header:
        raise ContractError(f"{path}: has no header row")
    return header


def check_columns(table: contract.Table, path: Path, header: list[str]) -> list[str]:
    """Normalised header names; raises naming the file and every missing column."""
    names = [name.strip().lower() for name in header]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ContractError(f"{path}: column {', '.join(duplicates)} appears more than once")
    missing = [name for name in table.column_names if name not in names]
    if missing:
        listed = ", ".join(f"'{name}'" for name in missing)
        raise ContractError(f"{path}: missing required column {listed} of table '{table.name}'")
    return names


def _csv_batches(
    path: Path, names: list[str], rejects: list[dict[str, object]]
) -> Iterator[pa.RecordBatch]:
    def on_invalid(row: pa_csv.InvalidRow) -> str:
        rejects.append(
            {
                "raw_row": row.text,
                "reason": (
                    f"malformed CSV line: expected {row.expected_columns} fields, "
                    f"found {row.actual_columns}"
                ),
                "line_number": row.number,
            }
        )
        return "skip"

    try:
        reader = pa_csv.open_csv(
            path,
            read_options=pa_csv.ReadOptions(column_names=names, skip_rows=1, block_size=16 << 20),
            parse_options=pa_csv.ParseOptions(
                newlines_in_values=True, invalid_row_handler=on_invalid
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types={name: pa.string() for name in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        yield from reader
    except pa.ArrowInvalid as error:
        raise ContractError(f"{path}: cannot be parsed as UTF-8 CSV ({error})") from error


def _create_raw_table(
    con: duckdb.DuckDBPyConnection, table: contract.Table, extra: list[str]
) -> None:
    columns = [*table.column_names, *extra]
    definition = ", ".join(f'"{name}" varchar' for name in columns)
    con.execute(f'drop table if exists {RAW_SCHEMA}."{table.name}"')
    con.execute(
        f'create table {RAW_SCHEMA}."{table.name}" ({definition}, '
        "_source_file varchar, _line_number bigint, _load_id varchar)"
    )


def _insert_batch(
    con: duckdb.DuckDBPyConnection,
    table: contract.Table,
    columns: list[str],
    batch: pa.RecordBatch,
    source_file: str,
    first_line: int,
    load_id: str,
) -> None:
    renamed = batch.rename_columns([name.strip().lower() for name in batch.schema.names])
    con.register("landing_batch", renamed)
    projection = ", ".join(f'cast("{name}" as varchar)' for name in columns)
    con.execute(
        f'insert into {RAW_SCHEMA}."{table.name}" '
        f"select {projection}, ?, ? + row_number() over (), ? from landing_batch",
        [source_file, first_line - 1, load_id],
    )
    con.unregister("landing_batch")


def _raw_kind(con: duckdb.DuckDBPyConnection, table: str) -> str | None:
    """'VIEW', 'BASE TABLE', or None when raw.<table> does not exist."""
    found = con.execute(
        "select table_type from information_schema.tables where table_schema = ? "
        "and table_name = ?",
        [RAW_SCHEMA, table],
    ).fetchone()
    return str(found[0]) if found else None


def _loaded_parquet_files(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, list[Path]]:
    """The Parquet files an earlier load put behind raw.<table>, by load id."""
    rows = con.execute(
        f"select load_id, source_file from {LOADER_SCHEMA}.load_files "
        "where source_table = ? order by load_id, source_file",
        [table],
    ).fetchall()
    by_load: dict[str, list[Path]] = {}
    for load_id, source_file in rows:
        path = Path(source_file)
        if not path.is_file():
            raise ContractError(
                f"{path}: loaded earlier into table '{table}' but no longer exists; "
                "landing parts must not change between incremental builds (run a full build)"
            )
        by_load.setdefault(load_id, []).append(path)
    return by_load


def _parquet_view(
    con: duckdb.DuckDBPyConnection,
    table: contract.Table,
    by_load: dict[str, list[Path]],
    extra: list[str],
) -> None:
    """raw.<table> as a view over Parquet files: every column as text, one branch per load."""
    branches = []
    for load_id, paths in by_load.items():
        names: dict[str, str] = {}
        for path in paths:
            for original in pq.read_schema(path).names:
                names.setdefault(original.strip().lower(), original)
        projection = [
            f'cast("{names[name]}" as varchar) as "{name}"'
            if name in names
            else f'cast(null as varchar) as "{name}"'
            for name in [*table.column_names, *extra]
        ]
        files = ", ".join(_sql_string(str(path)) for path in paths)
        branches.append(
            f"select {', '.join(projection)}, filename as _source_file, "
            f"file_row_number + 1 as _line_number, {_sql_string(load_id)} as _load_id "
            f"from read_parquet([{files}], filename = true, file_row_number = true, "
            "union_by_name = true)"
        )
    con.execute(f'drop view if exists {RAW_SCHEMA}."{table.name}"')
    con.execute(f'drop table if exists {RAW_SCHEMA}."{table.name}"')
    con.execute(f'create view {RAW_SCHEMA}."{table.name}" as ' + "\nunion all\n".join(branches))


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _raw_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str] | None:
    """The columns of raw.<table> before the loader columns, or None if it does not exist."""
    names = [
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [RAW_SCHEMA, table],
        ).fetchall()
    ]
    return [name for name in names if name not in LOADER_COLUMNS] or None


def _load_table(
    con: duckdb.DuckDBPyConnection,
    table: contract.Table,
    files: list[Path],
    load_id: str,
    progress: tqdm | None,
    append: bool = False,
) -> TableLoad:
    load = TableLoad(table=table.name, files=files)
    headers = {path: check_columns(table, path, _header(path)) for path in files}
    extra: list[str] = []
    for names in headers.values():
        extra += [name for name in names if name not in table.column_names and name not in extra]
    extra = [name for name in extra if name not in LOADER_COLUMNS]
    columns = [*table.column_names, *extra]
    existing_kind = _raw_kind(con, table.name) if append else None
    if all(_is_parquet(path) for path in files) and existing_kind in (None, "VIEW"):
        return _load_parquet_view(con, table, files, extra, load_id, progress)
    if existing_kind == "VIEW":
        # A CSV part arrives for a table that was a Parquet view: keep its rows as text.
        con.execute(f'create table {RAW_SCHEMA}."_{table.name}_text" as '
                    f'select * from {RAW_SCHEMA}."{table.name}"')  # fmt: skip
        con.execute(f'drop view {RAW_SCHEMA}."{table.name}"')
        con.execute(f'alter table {RAW_SCHEMA}."_{table.name}_text" rename to "{table.name}"')
    existing = _raw_columns(con, table.name) if append else None
    if existing is None:
        _create_raw_table(con, table, extra)
    elif set(columns) - set(existing):
        new = ", ".join(sorted(set(columns) - set(existing)))
        raise ContractError(
            f"{files[0]}: column {new} is new to table '{table.name}'; "
            "an incremental load cannot add columns (run a full build)"
        )
    else:
        columns = existing
    for path in files:
        names = headers[path]
        if _is_parquet(path):
            rows = _insert_parquet(con, table, columns, path, names, load_id)
            load.rows_read += rows
            if progress is not None:
                progress.update(rows)
            _record_file(con, load_id, table.name, path, rows, 0)
            continue
        rejects: list[dict[str, object]] = []
        rows_in_file = 0
        for batch in _csv_batches(path, names, rejects):
            present = set(batch.schema.names)
            missing = [name for name in columns if name not in present]
            for name in missing:
                batch = batch.append_column(name, pa.nulls(batch.num_rows, pa.string()))
            _insert_batch(con, table, columns, batch, str(path), rows_in_file + 1, load_id)
            rows_in_file += batch.num_rows
            if progress is not None:
                progress.update(batch.num_rows)
        for reject in rejects:
            con.execute(
                f"insert into {LOADER_SCHEMA}.rejected_lines values (?, ?, ?, ?, ?, ?)",
                [
                    table.name,
                    reject["raw_row"],
                    reject["reason"],
                    str(path),
                    reject["line_number"],
                    load_id,
                ],
            )
        load.rows_read += rows_in_file + len(rejects)
        load.rows_rejected += len(rejects)
        _record_file(con, load_id, table.name, path, rows_in_file + len(rejects), len(rejects))
    return load


def _load_parquet_view(
    con: duckdb.DuckDBPyConnection,
    table: contract.Table,
    files: list[Path],
    extra: list[str],
    load_id: str,
    progress: tqdm | None,
) -> TableLoad:
    """raw.<table> as a view over this load's Parquet files and those of earlier loads."""
    load = TableLoad(table=table.name, files=files)
    by_load = _loaded_parquet_files(con, table.name)
    earlier_extra = _raw_columns(con, table.name) or []
    extra = [*[name for name in earlier_extra if name not in table.column_names], *extra]
    extra = list(dict.fromkeys(extra))
    by_load[load_id] = files
    for path in files:
        rows = pq.read_metadata(path).num_rows
        load.rows_read += rows
        if progress is not None:
            progress.update(rows)
        _record_file(con, load_id, table.name, path, rows, 0)
    _parquet_view(con, table, by_load, extra)
    return load


def _record_file(
    con: duckdb.DuckDBPyConnection, load_id: str, table: str, path: Path, rows: int, rejected: int
) -> None:
    con.execute(
        f"insert into {LOADER_SCHEMA}.load_files values (?, ?, ?, ?, ?)",
        [load_id, table, str(path), rows, rejected],
    )


def _insert_parquet(
    con: duckdb.DuckDBPyConnection,
    table: contract.Table,
    columns: list[str],
    path: Path,
    names: list[str],
    load_id: str,
) -> int:
    """Copies a Parquet file as text in one DuckDB statement (parallel, streaming)."""
    original = dict(zip(names, pq.read_schema(path).names, strict=True))
    projection = ", ".join(
        f'cast("{original[name]}" as varchar)' if name in original else "null" for name in columns
    )
    inserted = con.execute(
        f'insert into {RAW_SCHEMA}."{table.name}" '
        f"select {projection}, ?, file_row_number + 1, ? "
        "from read_parquet(?, file_row_number = true)",
        [str(path), load_id, str(path)],
    ).fetchone()
    return int(inserted[0]) if inserted else 0


def _create_loader_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    con.execute(f"create schema if not exists {LOADER_SCHEMA}")
    con.execute(
        f"create table if not exists {LOADER_SCHEMA}.load_runs "
        "(load_id varchar, loaded_at timestamp, raw_dir varchar)"
    )
    con.execute(
        f"create table if not exists {LOADER_SCHEMA}.load_files (load_id varchar, "
        "source_table varchar, source_file varchar, rows_read bigint, rows_rejected bigint)"
    )
    con.execute(
        f"create table if not exists {LOADER_SCHEMA}.rejected_lines (source_table varchar, "
        "raw_row varchar, reason varchar, source_file varchar, line_number bigint, "
        "load_id varchar)"
    )


def plan(raw_dir: Path) -> dict[str, list[Path]]:
    """The files of every contract table, after checking required tables exist."""
    if not raw_dir.is_dir():
        raise ContractError(f"{raw_dir}: landing directory does not exist")
    files = {name: find_files(raw_dir, name) for name in contract.tables()}
    for table in contract.required_tables():
        if not files[table.name]:
            raise ContractError(
                f"{raw_dir / (table.name + '.csv')}: required file of table '{table.name}' "
                f"is missing (give {table.name}.csv, {table.name}.parquet or a folder "
                f"{table.name}/ of parts)"
            )
    for name, paths in files.items():
        for path in paths:
            if path.stat().st_size == 0:
                raise ContractError(f"{path}: file of table '{name}' is empty (no header row)")
    return files


def new_load_id() -> str:
    """A load id that sorts by time: incremental models take rows of loads newer than theirs."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:6]}"


def loaded_files(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The landing files already loaded into this database (by path)."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? "
        "and table_name = 'load_files'",
        [LOADER_SCHEMA],
    ).fetchone()
    if not exists or not exists[0]:
        return set()
    rows = con.execute(f"select source_file from {LOADER_SCHEMA}.load_files").fetchall()
    return {row[0] for row in rows}


def load(
    raw_dir: Path,
    database: Path,
    *,
    load_id: str | None = None,
    progress: bool = True,
    incremental: bool = False,
) -> LoadReport:
    """Loads every contract table found in raw_dir into the DuckDB file `database`.

    incremental: `database` already holds earlier loads of raw_dir; only files not
    loaded before are read and appended (landing parts are immutable: a daily
    export adds a new part to the table's folder).
    """
    raw_dir = raw_dir.resolve()
    files = plan(raw_dir)
    report = LoadReport(load_id=load_id or new_load_id(), raw_dir=raw_dir)
    con = duckdb.connect(str(database))
    try:
        con.execute("set TimeZone = 'UTC'")
        if incremental:
            done = loaded_files(con)
            files = {
                name: [path for path in paths if str(path) not in done]
                for name, paths in files.items()
            }
        _create_loader_schema(con)
        con.execute(
            f"insert into {LOADER_SCHEMA}.load_runs values (?, ?, ?)",
            [report.load_id, datetime.now(UTC).replace(tzinfo=None), str(raw_dir)],
        )
        bar = tqdm(total=None, unit=" rows", desc="load", disable=not progress, unit_scale=True)
        with bar:
            for name, table in contract.tables().items():
                paths = files[name]
                if paths:
                    bar.set_postfix_str(name)
                    report.tables[name] = _load_table(
                        con, table, paths, report.load_id, bar, append=incremental
                    )
                elif incremental:
                    continue
                elif table.reference:
                    # The project's seed default applies (macros/contract/reference_relation.sql).
                    con.execute(f'drop table if exists {RAW_SCHEMA}."{name}"')
                    report.absent.append(name)
                else:
                    _create_raw_table(con, table, [])
                    report.absent.append(name)
        con.execute("checkpoint")
    finally:
        con.close()
    return report
