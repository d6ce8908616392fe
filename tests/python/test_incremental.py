"""Incremental builds: a run with no new files changes nothing, and a run over a new
day of landing files publishes exactly the marts a full rebuild of the same files does.

The data is a generated landing directory written as a (two-site) tier, whose last
day is held back as one new Parquet part per table, like a daily export.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import duckdb
import pytest

from switchboard import PROJECT_DIR, contract, publish
from switchboard.bench.runner import link_tree
from switchboard.generator import tiers
from tests.python.conftest import generate

# Bookkeeping that legitimately differs between two builds of the same rows.
LOAD_COLUMNS = {"_load_id", "load_id", "loaded_at", "_refreshed_at"}


def _sort_key(row: tuple[object, ...]) -> str:
    """Rows align by their text, floats rounded: parallel double sums differ in the last bits."""
    return repr(tuple(round(value, 6) if isinstance(value, float) else value for value in row))


def _same_row(left: tuple[object, ...], right: tuple[object, ...]) -> bool:
    """Equal, floats within 1e-9 (relative, or absolute near zero)."""
    return len(left) == len(right) and all(
        math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
        if isinstance(a, float) and isinstance(b, float)
        else a == b
        for a, b in zip(left, right, strict=True)
    )


def _snapshot(warehouse: Path, schemas: tuple[str, ...]) -> dict[str, list[tuple[object, ...]]]:
    """Every table of the schemas as a sorted list of rows (load bookkeeping left out)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            f"where table_schema in ({', '.join('?' for _ in schemas)}) "
            "and table_type = 'BASE TABLE' order by all",
            list(schemas),
        ).fetchall()
        snapshot = {}
        for schema, table in tables:
            columns = [
                row[0]
                for row in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position",
                    [schema, table],
                ).fetchall()
                if row[0] not in LOAD_COLUMNS
            ]
            projection = ", ".join(f'"{name}"' for name in columns)
            rows = con.execute(f'select {projection} from {schema}."{table}"').fetchall()
            snapshot[f"{schema}.{table}"] = sorted(rows, key=_sort_key)
        return snapshot
    finally:
        con.close()


def _differences(
    left: dict[str, list[tuple[object, ...]]], right: dict[str, list[tuple[object, ...]]]
) -> list[str]:
    problems = [f"{name}: only in one build" for name in sorted(set(left) ^ set(right))]
    for name in sorted(set(left) & set(right)):
        pairs = zip(left[name], right[name], strict=False)
        differing = sum(not _same_row(a, b) for a, b in pairs)
        if len(left[name]) != len(right[name]) or differing:
            problems.append(
                f"{name}: {len(left[name])} vs {len(right[name])} rows, {differing} rows differ"
            )
    return problems


@pytest.fixture(scope="module")
def tier(tmp_path_factory: pytest.TempPathFactory) -> tiers.Tier:
    root = tmp_path_factory.mktemp("incremental")
    # Six weeks across a month end, so the held-back day's month is not the
    # first: an incremental build must recompute the periods the day's tickets
    # touch (back into the earlier month or not), carry the backlog count of
    # the day before them, and keep the earlier periods.
    base = generate(
        root / "base", seed=11, tickets=1_500, days=42, start=date(2025, 2, 17),
        file_format="parquet",
    )  # fmt: skip
    return tiers.write_tier(base, root / "tier", "test", replicas=2, progress=False)


def _build(landing: Path, warehouse: Path, *, incremental: bool) -> None:
    publish.build(
        landing,
        warehouse,
        progress=False,
        artifacts_dir=warehouse.parent / "dbt",
        incremental=incremental,
    )


SCHEMAS = ("marts", "staging", "intermediate")


def test_incremental_day_equals_full_rebuild(tier: tiers.Tier, tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    link_tree(tier.landing, landing)
    warehouse = tmp_path / "incremental" / "warehouse.duckdb"
    _build(landing, warehouse, incremental=False)
    before = _snapshot(warehouse, SCHEMAS)

    _build(landing, warehouse, incremental=True)  # no new files
    unchanged = _differences(before, _snapshot(warehouse, SCHEMAS))
    assert unchanged == [], "\n".join(unchanged)

    link_tree(tier.next_day_dir, landing)
    _build(landing, warehouse, incremental=True)
    incremental = _snapshot(warehouse, SCHEMAS)
    assert len(incremental["marts.fct_tickets"]) > len(before["marts.fct_tickets"])

    full = tmp_path / "full" / "warehouse.duckdb"
    _build(landing, full, incremental=False)
    differences = _differences(incremental, _snapshot(full, SCHEMAS))
    assert differences == [], "\n".join(differences)


def test_held_back_day_is_one_part_per_table(tier: tiers.Tier) -> None:
    parts = sorted(path.parent.name for path in tier.next_day_dir.glob("*/*.parquet"))
    assert "tickets" in parts and "ticket_events" in parts
    con = duckdb.connect()
    try:
        held_back = con.execute(
            f"select count(*), min(cast(created_at as date)) "
            f"from read_parquet('{tier.next_day_dir / 'tickets' / '*.parquet'}')"
        ).fetchone()
        in_landing = con.execute(
            f"select max(cast(created_at as date)) "
            f"from read_parquet('{tier.landing / 'tickets' / '*.parquet'}')"
        ).fetchone()
    finally:
        con.close()
    assert held_back is not None and in_landing is not None
    assert held_back[0] > 0
    assert held_back[1] == tier.next_day
    assert in_landing[0] < tier.next_day


def test_touched_tickets_cover_every_reference_of_tickets_and_events() -> None:
    """touched_ticket_filter re-reads a ticket when a parent its rows reference arrives
    (a quarantined row becomes valid without a new version): events reference tickets
    (covered by new ticket versions) and agents (its default `via_agents`). A new
    reference in the contract must be added there; this names it."""
    tables = contract.tables()
    referenced = {
        (table, column.name, parent)
        for table in ("tickets", "ticket_events")
        for column in tables[table].columns
        for parent, *_ in column.references
    }
    assert referenced == {
        ("ticket_events", "ticket_id", "tickets"),
        ("ticket_events", "agent_id", "agents"),
    }
    macro = (PROJECT_DIR / "macros" / "incremental" / "touched_ticket_filter.sql").read_text()
    assert "via_agents=['base_helpdesk__agents']" in macro
