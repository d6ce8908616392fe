"""Loads a landing directory of contract files into a DuckDB raw schema.

The loader does only what SQL cannot: find the files, check that required
files and columns exist, and present every row as text (with its file and row
number) as `raw.<table>`. Typing, trimming, quarantine reasons and dedupe
happen in dbt (macros/contract/), so every engine applies the same rules.

- A table whose files are all Parquet becomes a *view* over those files
  (`read_parquet`, columns in their Parquet types): nothing is copied, which
  is what lets the 10M-ticket tier load in seconds. Landing parts are immutable,
  so the view stays valid; the published warehouse's raw views point at the
  landing directory (the marts never do).
- A table with CSV files is copied into a text table (pyarrow reads it in
  blocks); rows that cannot even be split into the header's columns go to
  `loader.rejected_lines`. Nothing read is dropped.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import re
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from tqdm import tqdm

from switchboard import contract

RAW_SCHEMA = "raw"
LOADER_SCHEMA = "loader"
LOADER_COLUMNS = ("_source_file", "_line_number", "_load_id", "_loaded_at")
LOADER_COLUMN_TYPES = ("varchar", "bigint", "varchar", "timestamp")


class ContractError(Exception):
    """A landing directory that cannot be loaded: names the file and the column."""


@dataclass(frozen=True)
class LoadStamp:
    """What the loader writes beside every raw row: which load, and when (UTC)."""

    load_id: str
    loaded_at: datetime


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


def _open_text(path: Path) -> TextIO:
    """A CSV landing file as text; a UTF-8 byte order mark (as Excel writes) is skipped."""
    if path.name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def _header(path: Path) -> list[str]:
    if _is_parquet(path):
        try:
            return list(pq.read_schema(path).names)
        except (pa.ArrowInvalid, OSError) as error:
            raise ContractError(f"{path}: not a readable Parquet file ({error})") from error
    try:
        with _open_text(path) as handle:
            header = next(csv.reader(handle), None)
    except UnicodeDecodeError as error:
        raise ContractError(f"{path}: is not UTF-8 text ({error})") from error
    except (OSError, csv.Error) as error:
        raise ContractError(f"{path}: cannot read a UTF-8 CSV header row ({error})") from error
    if not header:
        raise ContractError(f"{path}: has no header row")
    return header


def _extra_column_name(path: Path, position: int, name: str) -> str:
    """The raw column name of a non-contract column: lower-case letters, digits and `_`.

    Names are made safe for every engine ("Region Name" -> region_name); a column without
    a name, or with one the loader and the contract macros use for bookkeeping, stops the
    load naming it.
    """
    where = f"{path}: column {position} of the header"
    if not name:
        raise ContractError(f"{where} has no name (a trailing comma?); every column needs one")
    if name.startswith("_") or name.endswith("__raw"):
        raise ContractError(
            f"{where} ('{name}') uses a name reserved for the warehouse's bookkeeping "
            f"(a leading '_' or a '__raw' suffix); rename it"
        )
    safe = re.sub(r"[^0-9a-z_]+", "_", name).strip("_")
    if not safe:
        raise ContractError(f"{where} ('{name}') has no letter or digit in its name")
    return safe


def check_columns(table: contract.Table, path: Path, header: list[str]) -> list[str]:
    """Normalised header names; raises naming the file and every missing column."""
    names = [name.strip().lower() for name in header]
    names = [
        name if name in table.column_names else _extra_column_name(path, position, name)
        for position, name in enumerate(names, start=1)
    ]
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
        not_utf8 = _utf8_problem(path)
        if not_utf8:
            raise ContractError(f"{path}: is not UTF-8 text ({not_utf8})") from error
        column = re.search(r"CSV column #(\d+)", str(error))
        where = f" (column '{names[int(column.group(1))]}')" if column else ""
        raise ContractError(f"{path}: cannot be parsed as UTF-8 CSV{where} ({error})") from error


def _utf8_problem(path: Path) -> str | None:
    """Where a file stops being UTF-8 (read in chunks), or None when it is UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    opener = gzip.open if path.name.endswith(".gz") else open
    offset = 0
    with opener(path, "rb") as handle:
        while True:
            chunk = handle.read(1 << 20)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                return f"invalid byte at offset {offset + max(error.start, 0)}: {error.reason}"
            if not chunk:
                return None
            offset += len(chunk)


def _malformed_records(path: Path, expected: int) -> tuple[int, list[int]] | None:
    """The number of data records and the 1-based numbers of those without `expected`
    fields, read again with Python's RFC 4180 reader (Arrow does not say where a
    malformed line was); None when that reader cannot read the file. Blank lines are
    no records, as for Arrow."""
    limit = csv.field_size_limit()
    csv.field_size_limit(sys.maxsize)
    try:
        with _open_text(path) as handle:
            records = csv.reader(handle)
            next(records, None)
            total, malformed = 0, []
            for fields in records:
                if fields:
                    total += 1
                    if len(fields) != expected:
                        malformed.append(total)
            return total, malformed
    except (csv.Error, UnicodeDecodeError, OSError):
        return None
    finally:
        csv.field_size_limit(limit)


def _number_lines(
    con: duckdb.DuckDBPyConnection,
    table: contract.Table,
    path: Path,
    expected: int,
    rows_in_file: int,
    rejects: list[dict[str, object]],
) -> None:
    """Gives the rows of a file with malformed lines their data-row numbers.

    Rows are numbered as Arrow returns them (well-formed rows only); each malformed
    record before a row shifts it by one, and the malformed lines get their own numbers.
    Where the two readers disagree, Arrow's numbering stays and the lines are unnumbered.
    """
    records = _malformed_records(path, expected)
    if records is None:
        return
    total, malformed = records
    if total != rows_in_file + len(rejects) or len(malformed) != len(rejects):
        return
    for reject, number in zip(rejects, malformed, strict=True):
        reject["line_number"] = number
    well_formed_before = [number - rank for rank, number in enumerate(malformed, 1)]
    con.execute(
        f'update {RAW_SCHEMA}."{table.name}" set _line_number = _line_number + ('
        "select count(*) from unnest(cast(? as bigint[])) as shifts(before) "
        f'where shifts.before < {RAW_SCHEMA}."{table.name}"._line_number) '
        "where _source_file = ?",
        [well_formed_before, str(path)],
    )


def _create_raw_table(
    con: duckdb.DuckDBPyConnection, table: contract.Table, extra: list[str]
) -> None:
    columns = [f'"{name}" varchar' for name in [*table.column_names, *extra]]
    loader_columns = [
        f"{name} {type_}" for name, type_ in zip(LOADER_COLUMNS, LOADER_COLUMN_TYPES, strict=True)
    ]
    con.execute(f'drop table if exists {RAW_SCHEMA}."{table.name}"')
    con.execute(f'create table {RAW_SCHEMA}."{table.name}" ({", ".join(columns + loader_columns)})')


def _add_loaded_at(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Raw tables of warehouses loaded before `_loaded_at` existed get it, from load_runs."""
    if "_loaded_at" in _table_columns(con, table):
        return
    con.execute(f'alter table {RAW_SCHEMA}."{table}" add column _loaded_at timestamp')
    con.execute(
        f'update {RAW_SCHEMA}."{table}" as raw set _loaded_at = runs.loaded_at '
        f"from {LOADER_SCHEMA}.load_runs as runs where raw._load_id = runs.load_id"
    )


def _insert_batch(
    con: duckdb.DuckDBPyConnection,
    table: contract.Table,
    columns: list[str],
    batch: pa.RecordBatch,
    source_file: str,
    first_line: int,
    load: LoadStamp,
) -> None:
    numbered = batch.append_column(
        "_landing_row", pa.array(range(first_line, first_line + batch.num_rows), pa.int64())
    )
    con.register("landing_batch", numbered)
    projection = ", ".join(f'cast("{name}" as varchar)' for name in columns)
    con.execute(
        f'insert into {RAW_SCHEMA}."{table.name}" '
        f"select {projection}, ?, _landing_row, ?, ? from landing_batch",
        [source_file, load.load_id, load.loaded_at],
    )
    con.unregister("landing_batch")


def _table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [RAW_SCHEMA, table],
        ).fetchall()
    ]


def _raw_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str] | None:
    """The columns of raw.<table> before the loader columns, or None if it does not exist."""
    return [name for name in _table_columns(con, table) if name not in LOADER_COLUMNS] or None


def _raw_kind(con: duckdb.DuckDBPyConnection, table: str) -> str | None:
    """'VIEW', 'BASE TABLE', or None when raw.<table> does not exist."""
    found = con.execute(
        "select table_type from information_schema.tables where table_schema = ? "
        "and table_name = ?",
        [RAW_SCHEMA, table],
    ).fetchone()
    return str(found[0]) if found else None


def _loaded_parquet_files(
    con: duckdb.DuckDBPyConnection, table: str
) -> dict[LoadStamp, list[Path]]:
    """The Parquet files earlier loads put behind raw.<table>, by load."""
    rows = con.execute(
        f"select files.load_id, runs.loaded_at, files.source_file "
        f"from {LOADER_SCHEMA}.load_files as files "
        f"inner join {LOADER_SCHEMA}.load_runs as runs on files.load_id = runs.load_id "
        "where files.source_table = ? order by files.load_id, files.source_file",
        [table],
    ).fetchall()
    by_load: dict[LoadStamp, list[Path]] = {}
    for load_id, loaded_at, source_file in rows:
        path = Path(source_file)
        if not path.is_file():
            raise ContractError(
                f"{path}: loaded earlier into table '{table}' but no longer exists; "
                "landing parts must not change between incremental builds (run a full build)"
            )
        by_load.setdefault(LoadStamp(load_id, loaded_at), []).append(path)
    return by_load


def _parquet_view(
    con: duckdb.DuckDBPyConnection,
    table: contract.Table,
    by_load: dict[LoadStamp, list[Path]],
    extra: list[str],
) -> None:
    """raw.<table> as a view over Parquet files, one branch per load.

    Columns keep their Parquet types: the contract macros parse a typed column of the
    contract's type without a text round trip (macros/contract/contract_parse_column.sql)
    and read every other one from its text, so the rules are the text rules.
    """
    branches = []
    for stamp, paths in by_load.items():
        original: dict[str, str] = {}
        for path in paths:
            names = check_columns(table, path, _header(path))
            for name, source_name in zip(names, pq.read_schema(path).names, strict=True):
                original.setdefault(name, source_name)
        projection = [
            f"{_quote(original[name])} as {_quote(name)}"
            if name in original
            else f"cast(null as varchar) as {_quote(name)}"
            for name in [*table.column_names, *extra]
        ]
        files = ", ".join(sql_string(str(path)) for path in paths)
        branches.append(
            f"select {', '.join(projection)}, filename as _source_file, "
            f"file_row_number + 1 as _line_number, {sql_string(stamp.load_id)} as _load_id, "
            f"timestamp {sql_string(stamp.loaded_at.isoformat(sep=' '))} as _loaded_at "
            f"from read_parquet([{files}], filename = true, file_row_number = true, "
            "union_by_name = true)"
        )
    con.execute(f'drop view if exists {RAW_SCHEMA}."{table.name}"')
    con.execute(f'drop table if exists {RAW_SCHEMA}."{table.name}"')
    con.execute(f'create view {RAW_SCHEMA}."{table.name}" as ' + "\nunion all\n".join(branches))


def sql_string(text: str) -> str:
    """text as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _load_parquet_view(
    con: duckdb.DuckDBPyConnection,
    table: contract.Table,
    files: list[Path],
    extra: list[str],
    stamp: LoadStamp,
    progress: tqdm | None,
) -> TableLoad:
    """raw.<table> as a view over this load's Parquet files and those of earlier loads."""
    load = TableLoad(table=table.name, files=files)
    by_load = _loaded_parquet_files(con, table.name)
    known = table.column_names
    earlier = [name for name in _raw_columns(con, table.name) or [] if name not in known]
    extra = list(dict.fromkeys([*earlier, *extra]))
    by_load[stamp] = files
    for path in files:
        rows = pq.read_metadata(path).num_rows
        load.rows_read += rows
        if progress is not None:
            progress.update(rows)
        _record_file(con, stamp.load_id, table.name, path, rows, 0)
    _parquet_view(con, table, by_load, extra)
    return load


def _load_table(
    con: duckdb.DuckDBPyConnection,
    table: contract.Table,
    files: list[Path],
    stamp: LoadStamp,
    progress: tqdm | None,
    append: bool = False,
) -> TableLoad:
    load = TableLoad(table=table.name, files=files)
    headers = {path: check_columns(table, path, _header(path)) for path in files}
    extra: list[str] = []
    for names in headers.values():
        extra += [name for name in names if name not in table.column_names and name not in extra]
    columns = [*table.column_names, *extra]
    existing_kind = _raw_kind(con, table.name) if append else None
    if all(_is_parquet(path) for path in files) and existing_kind in (None, "VIEW"):
        return _load_parquet_view(con, table, files, extra, stamp, progress)
    if existing_kind == "VIEW":
        # A CSV part arrives for a table that was a Parquet view: keep its rows as text.
        text_table = f'{RAW_SCHEMA}."_{table.name}_text"'
        con.execute(f'create table {text_table} as select * from {RAW_SCHEMA}."{table.name}"')
        con.execute(f'drop view {RAW_SCHEMA}."{table.name}"')
        con.execute(f'alter table {text_table} rename to "{table.name}"')
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
        _add_loaded_at(con, table.name)
    load_id = stamp.load_id
    for path in files:
        names = headers[path]
        if _is_parquet(path):
            rows = _insert_parquet(con, table, columns, path, names, stamp)
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
            _insert_batch(con, table, columns, batch, str(path), rows_in_file + 1, stamp)
            rows_in_file += batch.num_rows
            if progress is not None:
                progress.update(batch.num_rows)
        if rejects:
            _number_lines(con, table, path, len(names), rows_in_file, rejects)
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
    stamp: LoadStamp,
) -> int:
    """Copies a Parquet file as text in one DuckDB statement (parallel, streaming)."""
    original = dict(zip(names, pq.read_schema(path).names, strict=True))
    projection = ", ".join(
        "cast(" + _quote(original[name]) + " as varchar)" if name in original else "null"
        for name in columns
    )
    inserted = con.execute(
        f'insert into {RAW_SCHEMA}."{table.name}" '
        f"select {projection}, ?, file_row_number + 1, ?, ? "
        "from read_parquet(?, file_row_number = true)",
        [str(path), stamp.load_id, stamp.loaded_at, str(path)],
    ).fetchone()
    return int(inserted[0]) if inserted else 0


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


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
    stamp = LoadStamp(report.load_id, datetime.now(UTC).replace(tzinfo=None))
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
            [stamp.load_id, stamp.loaded_at, str(raw_dir)],
        )
        bar = tqdm(total=None, unit=" rows", desc="load", disable=not progress, unit_scale=True)
        with bar:
            for name, table in contract.tables().items():
                paths = files[name]
                if paths:
                    bar.set_postfix_str(name)
                    report.tables[name] = _load_table(
                        con, table, paths, stamp, bar, append=incremental
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
