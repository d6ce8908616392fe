"""Incremental, deterministic CSV / Parquet writers, one file per contract table.

Stages hand over column batches in logical form (timestamps as epoch seconds, dates as
`datetime.date`, NULL as None / NaN / `NAT`); the writer orders the columns as the
contract says, renders CSV text (with a mix of timestamp notations) or typed Parquet.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from switchboard import contract
from switchboard.generator.common import STAGE_WRITER, rng_for, utc_offsets

NAT = int(np.iinfo(np.int64).min)
FileFormat = Literal["csv", "parquet"]
ROW_GROUP_ROWS = 200_000
SAMPLE_ROWS = 256
ENUM_VARIANT_SHARE = 0.015
BOOL_VARIANT_SHARE = 0.01
# Timestamp notations in CSV: UTC "Z", Berlin offset, New York offset, naive (read as UTC).
TS_VARIANT_P = (0.85, 0.08, 0.04, 0.03)
TS_ZONES = ("Europe/Berlin", "America/New_York")

ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "enum": pa.string(),
    "time": pa.string(),
    "timestamp": pa.timestamp("us", tz="UTC"),
    "date": pa.date32(),
    "integer": pa.int64(),
    "decimal": pa.float64(),
    "boolean": pa.bool_(),
}


@dataclass
class Normalised:
    kind: str
    values: Any  # np.ndarray for numbers/timestamps/booleans, list for strings/dates
    mask: np.ndarray  # True = NULL


def _kind(column: contract.Column) -> str:
    return column.type if column.type in ARROW_TYPES else "string"


def _normalise(kind: str, raw: Any, size: int) -> Normalised:
    if kind in ("timestamp", "integer"):
        if isinstance(raw, np.ndarray) and raw.dtype != object:
            values = raw.astype(np.int64)
            return Normalised(kind, values, values == NAT)
        mask = np.fromiter((v is None for v in raw), dtype=bool, count=size)
        values = np.fromiter((0 if v is None else int(v) for v in raw), dtype=np.int64, count=size)
        return Normalised(kind, values, mask)
    if kind == "decimal":
        if isinstance(raw, np.ndarray) and raw.dtype != object:
            values = raw.astype(np.float64)
        else:
            values = np.fromiter(
                (np.nan if v is None else float(v) for v in raw), dtype=np.float64, count=size
            )
        return Normalised(kind, values, np.isnan(values))
    if kind == "boolean":
        if isinstance(raw, np.ndarray) and raw.dtype == bool:
            return Normalised(kind, raw, np.zeros(size, dtype=bool))
        mask = np.fromiter((v is None for v in raw), dtype=bool, count=size)
        values = np.fromiter((bool(v) for v in raw), dtype=bool, count=size)
        return Normalised(kind, values, mask)
    values_list = raw.tolist() if isinstance(raw, np.ndarray) else list(raw)
    mask = np.fromiter((v is None for v in values_list), dtype=bool, count=size)
    return Normalised(kind, values_list, mask)


def format_timestamps(values: np.ndarray, variant: np.ndarray) -> np.ndarray:
    """ISO 8601 text of epoch seconds: variant 0 = Z, 1/2 = local offset, 3 = naive."""
    out = np.empty(values.size, dtype=object)
    for code in range(4):
        chosen = variant == code
        if not chosen.any():
            continue
        ts = values[chosen]
        if code in (1, 2):
            offsets = utc_offsets(TS_ZONES[code - 1], ts)
            text = np.datetime_as_string((ts + offsets).astype("datetime64[s]"), unit="s")
            sign = np.where(offsets < 0, "-", "+")
            magnitude = np.abs(offsets)
            suffix = [
                f"{s}{m // 3600:02d}:{m % 3600 // 60:02d}"
                for s, m in zip(sign.tolist(), magnitude.tolist(), strict=True)
            ]
            out[chosen] = [a + b for a, b in zip(text.tolist(), suffix, strict=True)]
        else:
            text = np.datetime_as_string(ts.astype("datetime64[s]"), unit="s")
            out[chosen] = [t + "Z" for t in text.tolist()] if code == 0 else text.tolist()
    return out


def _enum_variant(value: str, pick: int) -> str:
    return (value.upper(), f" {value.title()} ", f"{value} ", value.capitalize())[pick % 4]


class TableWriter:
    def __init__(self, out_dir: Path, table: contract.Table, fmt: FileFormat, seed: int) -> None:
        self.table = table
        self.fmt = fmt
        self.path = out_dir / f"{table.name}.{fmt}"
        self.rows = 0
        self.batches = 0
        self.seed = seed
        self.table_key = sum(ord(ch) * (i + 1) for i, ch in enumerate(table.name))
        self.kinds = [_kind(column) for column in table.columns]
        self.schema = pa.schema(
            [
                pa.field(c.name, ARROW_TYPES[k])
                for c, k in zip(table.columns, self.kinds, strict=True)
            ]
        )
        self.sample: list[dict[str, Any]] = []
        self._seen = 0
        self._sample_rng = rng_for(seed, STAGE_WRITER, self.table_key, 0)
        self._buffer: list[pa.Table] = []
        self._buffered = 0
        self._parquet: pq.ParquetWriter | None = None
        self._csv_handle: Any = None
        self._csv: Any = None

    # -- public -----------------------------------------------------------------------

    def write(
        self,
        columns: Mapping[str, Any],
        *,
        overrides: Mapping[int, Mapping[str, str]] | None = None,
        variants: bool = True,
        sample: bool = True,
    ) -> int:
        """Append a batch; returns the 1-based row number of its first row."""
        names = self.table.column_names
        if set(columns) != set(names):
            missing = sorted(set(names) - set(columns))
            extra = sorted(set(columns) - set(names))
            raise ValueError(f"{self.table.name}: missing columns {missing}, unexpected {extra}")
        size = len(columns[names[0]])
        first_row = self.rows + 1
        if size == 0:
            return first_row
        self.batches += 1
        rng = rng_for(self.seed, STAGE_WRITER, self.table_key, self.batches)
        normalised = []
        for name, kind in zip(names, self.kinds, strict=True):
            column = _normalise(kind, columns[name], size)
            if len(column.mask) != size:
                raise ValueError(f"{self.table.name}.{name}: {len(column.mask)} != {size} rows")
            if kind == "enum" and variants:
                hits = np.flatnonzero((rng.random(size) < ENUM_VARIANT_SHARE) & ~column.mask)
                picks = rng.integers(0, 4, size=hits.size)
                for row, pick in zip(hits.tolist(), picks.tolist(), strict=True):
                    column.values[row] = _enum_variant(column.values[row], pick)
            normalised.append(column)
        if sample:
            self._keep_sample(normalised, size)
        if self.fmt == "parquet":
            self._write_parquet(normalised)
        else:
            self._write_csv(normalised, size, rng, overrides or {})
        self.rows += size
        return first_row

    def close(self) -> int:
        if self.fmt == "parquet":
            self._flush(final=True)
        else:
            self._open_csv()
            self._csv_handle.close()
        return self.rows

    # -- internals --------------------------------------------------------------------

    def _keep_sample(self, normalised: list[Normalised], size: int) -> None:
        """Reservoir sample of rows (logical values), templates for bad rows."""
        chosen: list[tuple[int, int]] = []
        fill = min(size, max(0, SAMPLE_ROWS - len(self.sample)))
        chosen.extend((-1, row) for row in range(fill))
        positions = self._seen + np.arange(fill + 1, size + 1)
        slots = (self._sample_rng.random(positions.size) * positions).astype(np.int64)
        for row in np.flatnonzero(slots < SAMPLE_ROWS).tolist():
            chosen.append((int(slots[row]), fill + row))
        self._seen += size
        for slot, row in chosen:
            record = {}
            for name, column in zip(self.table.column_names, normalised, strict=True):
                if column.mask[row]:
                    record[name] = None
                elif isinstance(column.values, np.ndarray):
                    record[name] = column.values[row].item()
                else:
                    record[name] = column.values[row]
            if slot < 0:
                self.sample.append(record)
            else:
                self.sample[slot] = record

    def _arrow(self, column: Normalised) -> pa.Array:
        mask = column.mask if column.mask.any() else None
        if column.kind == "timestamp":
            return pa.array(column.values * 1_000_000, mask=mask).cast(pa.timestamp("us", tz="UTC"))
        if column.kind in ("integer", "decimal", "boolean"):
            return pa.array(column.values, mask=mask, type=ARROW_TYPES[column.kind])
        if column.kind == "date":
            return pa.array(column.values, type=pa.date32())
        return pa.array(column.values, type=pa.string())

    def _write_parquet(self, normalised: list[Normalised]) -> None:
        arrays = [self._arrow(column) for column in normalised]
        self._buffer.append(pa.Table.from_arrays(arrays, schema=self.schema))
        self._buffered += len(arrays[0])
        if self._buffered >= ROW_GROUP_ROWS:
            self._flush(final=False)

    def _flush(self, *, final: bool) -> None:
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(self.path, self.schema, compression="zstd")
        if self._buffer:
            self._parquet.write_table(pa.concat_tables(self._buffer), row_group_size=ROW_GROUP_ROWS)
            self._buffer, self._buffered = [], 0
        if final:
            self._parquet.close()

    def _open_csv(self) -> None:
        if self._csv_handle is None:
            self._csv_handle = self.path.open("w", newline="", encoding="utf-8")
            self._csv = csv.writer(self._csv_handle)
            self._csv.writerow(self.table.column_names)

    def _write_csv(
        self,
        normalised: list[Normalised],
        size: int,
        rng: np.random.Generator,
        overrides: Mapping[int, Mapping[str, str]],
    ) -> None:
        self._open_csv()
        ts_variant = rng.choice(4, size=size, p=np.array(TS_VARIANT_P))
        texts: list[Sequence[str]] = []
        for column in normalised:
            texts.append(self._column_text(column, size, ts_variant, rng))
        rows = [list(row) for row in zip(*texts, strict=True)]
        if overrides:
            index = {name: i for i, name in enumerate(self.table.column_names)}
            for row, changes in overrides.items():
                for name, raw in changes.items():
                    rows[row][index[name]] = raw  # type: ignore[index]
        self._csv.writerows(rows)

    def _column_text(
        self,
        column: Normalised,
        size: int,
        ts_variant: np.ndarray,
        rng: np.random.Generator,
    ) -> Sequence[str]:
        mask = column.mask
        if column.kind == "timestamp":
            text = format_timestamps(column.values, ts_variant)
        elif column.kind == "integer":
            text = np.array([str(v) for v in column.values.tolist()], dtype=object)
        elif column.kind == "decimal":
            text = np.array([repr(v) for v in column.values.tolist()], dtype=object)
        elif column.kind == "boolean":
            text = np.where(column.values, "true", "false").astype(object)
            hits = np.flatnonzero(rng.random(size) < BOOL_VARIANT_SHARE)
            styles = rng.integers(0, 3, size=hits.size)
            for row, style in zip(hits.tolist(), styles.tolist(), strict=True):
                flag = bool(column.values[row])
                text[row] = (("TRUE", "FALSE"), ("1", "0"), ("yes", "no"))[style][0 if flag else 1]
        elif column.kind == "date":
            text = np.array(
                [v.isoformat() if isinstance(v, date) else "" for v in column.values], dtype=object
            )
        else:
            return ["" if v is None else str(v) for v in column.values]
        if mask.any():
            text[mask] = ""
        return text.tolist()


class Writer:
    """All table writers of one output directory."""

    def __init__(self, out_dir: Path, fmt: FileFormat, seed: int) -> None:
        self.out_dir = out_dir
        self.fmt = fmt
        self.seed = seed
        self.tables = {
            name: TableWriter(out_dir, table, fmt, seed)
            for name, table in contract.tables().items()
            if not table.reference
        }

    def write(self, table: str, columns: Mapping[str, Any], **kwargs: Any) -> int:
        return self.tables[table].write(columns, **kwargs)

    def close(self) -> dict[str, int]:
        return {name: writer.close() for name, writer in self.tables.items()}
