"""The raw contract, read from the dbt source YAML files.

`models/staging/*/_*__sources.yml` hold each contract table with a
`meta.contract` block (required, primary key, version column, row checks) and
per-column `meta` (type, enumeration values, nullability, references). This
module is the Python view of that single source of truth: the loader, the
generator and the tests read the contract from here, never from a copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from switchboard import PROJECT_DIR

STAGING_DIR = PROJECT_DIR / "models" / "staging"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    values: tuple[str, ...] = ()
    nullable: bool = True
    pii: bool = False
    minimum: float | None = None
    # (parent table, parent key column, condition column, condition value) per
    # reference; the condition is None for an unconditional reference.
    references: tuple[tuple[str, str, str | None, str | None], ...] = ()


@dataclass(frozen=True)
class Table:
    source: str
    name: str
    required: bool
    reference: bool
    primary_key: tuple[str, ...]
    version_column: str | None
    columns: tuple[Column, ...]
    checks: tuple[dict[str, str], ...] = field(default=())
    nullable_key_columns: tuple[str, ...] = field(default=())

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def append_only(self) -> bool:
        return self.version_column is None

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name}")


def _column(raw: dict[str, Any]) -> Column:
    meta = raw.get("meta", {})
    declared = meta.get("references") or []
    if isinstance(declared, dict):
        declared = [declared]
    references = []
    for parent in declared:
        when = parent.get("when") or {}
        ((when_column, when_value),) = when.items() if when else ((None, None),)
        references.append((parent["table"], parent["column"], when_column, when_value))
    return Column(
        name=raw["name"],
        type=meta["type"],
        values=tuple(str(value) for value in meta.get("values", ())),
        nullable=bool(meta.get("nullable", True)),
        pii=bool(meta.get("pii", False)),
        minimum=meta.get("min"),
        references=tuple(references),
    )


@cache
def tables() -> dict[str, Table]:
    """Every contract table by name, in the order the YAML files declare them."""
    result: dict[str, Table] = {}
    for path in sorted(STAGING_DIR.glob("*/_*__sources.yml")):
        document = yaml.safe_load(Path(path).read_text())
        for source in document.get("sources", []):
            for raw_table in source.get("tables", []):
                contract = raw_table["meta"]["contract"]
                result[raw_table["name"]] = Table(
                    source=source["name"],
                    name=raw_table["name"],
                    required=bool(contract.get("required", False)),
                    reference=bool(contract.get("reference", False)),
                    primary_key=tuple(contract["primary_key"]),
                    version_column=contract.get("version_column"),
                    columns=tuple(_column(column) for column in raw_table["columns"]),
                    checks=tuple(contract.get("checks", ())),
                    nullable_key_columns=tuple(contract.get("nullable_key_columns", ())),
                )
    return result


def required_tables() -> list[Table]:
    return [table for table in tables().values() if table.required]
