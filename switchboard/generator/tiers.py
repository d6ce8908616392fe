"""Benchmark tiers: 1M and 10M tickets, built by replicating one generated base.

Simulating ten million tickets one by one in Python would take over an hour,
so a tier is the base landing directory (`BASE_TICKETS` tickets over
`BASE_DAYS` days, generated once per seed) copied `replicas` times by DuckDB:
every copy is another site of the same contact centre with its own tickets,
customers, agents, calls, surveys, evaluations and views (their ids get a
`-r<k>` suffix), served by the same teams, schedules and help articles.
Forecast volumes and costs are scaled by the number of copies instead of
copied, so they stay one row per key. DuckDB streams each table straight
from the base Parquet to the tier's Parquet, so memory stays bounded.

The last day of the period is held back in `next_day/`: the rows that arrive
that day (tickets created, events, calls offered, …) as one new part per
table, which `make bench` drops into the landing folders for the incremental
build. Tables without an arrival time (teams, agents, help articles, costs)
are fully in the base.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
from tqdm import tqdm

from switchboard import contract

TIERS = {"100k": 1, "1m": 10, "10m": 100}
BASE_TICKETS = 100_000
BASE_DAYS = 365
BASE_START = date(2025, 2, 3)
LANDING = "landing"
NEXT_DAY = "next_day"
MANIFEST = "_tier.json"

# Columns holding ids of per-site entities; team, article and schedule ids are shared.
SITE_ID_COLUMNS = frozenset(
    {
        "ticket_id",
        "merged_into_ticket_id",
        "customer_id",
        "agent_id",
        "evaluator_id",
        "event_id",
        "call_id",
        "response_id",
        "evaluation_id",
        "calibration_session_id",
        "contact_id",
        "view_id",
        "session_id",
        "order_id",
        "subscription_id",
    }
)
# Tables copied once with volumes scaled, so their keys stay unique.
SCALED_COLUMNS = {
    "forecasts": ("forecast_contacts", "required_agents"),
    "costs": ("amount",),
}
SHARED_TABLES = frozenset({"teams", "help_articles"})
# The column whose (UTC) date says on which day a row arrives.
ARRIVAL_COLUMNS = {
    "tickets": "created_at",
    "ticket_events": "event_at",
    "calls": "offered_at",
    "survey_responses": "responded_at",
    "qa_evaluations": "evaluated_at",
    "agent_intervals": "interval_start",
    "article_views": "viewed_at",
    "orders": "ordered_at",
    "customers": "created_at",
    "agent_surveys": "survey_date",
    "forecasts": "created_at",
    "subscriptions": "updated_at",
    "product_activations": "purchased_at",
    "agent_team_history": "valid_from",
}


@dataclass(frozen=True)
class Tier:
    name: str
    directory: Path
    replicas: int
    next_day: date

    @property
    def landing(self) -> Path:
        return self.directory / LANDING

    @property
    def next_day_dir(self) -> Path:
        return self.directory / NEXT_DAY


def base_directory(data_dir: Path, seed: int) -> Path:
    return data_dir / f"bench-base-seed{seed}-{BASE_TICKETS}-{BASE_DAYS}d"


def ensure_base(data_dir: Path, seed: int, *, progress: bool) -> Path:
    """The generated base landing directory, generated once per seed."""
    from switchboard.generator import generate

    base = base_directory(data_dir, seed)
    done = base / MANIFEST
    if not done.exists():
        generate(
            base,
            seed=seed,
            tickets=BASE_TICKETS,
            start=BASE_START,
            days=BASE_DAYS,
            file_format="parquet",
            progress=progress,
        )
        done.write_text(json.dumps({"seed": seed, "tickets": BASE_TICKETS, "days": BASE_DAYS}))
    return base


def _projection(table: str, columns: list[str], replicas: int) -> str:
    parts = []
    for name in columns:
        quoted = f'"{name}"'
        if name in SITE_ID_COLUMNS and table not in SCALED_COLUMNS:
            parts.append(
                f"case when replica = 0 then {quoted} "
                f"else {quoted} || '-r' || lpad(cast(replica as varchar), 3, '0') end "
                f"as {quoted}"
            )
        elif name in SCALED_COLUMNS.get(table, ()):
            parts.append(f"{quoted} * {replicas} as {quoted}")
        else:
            parts.append(quoted)
    return ", ".join(parts)


def _copies(table: str, replicas: int) -> str:
    if table in SCALED_COLUMNS or table in SHARED_TABLES:
        return "(select 0 as replica)"
    return f"(select range as replica from range({replicas}))"


def write_tier(
    base: Path, directory: Path, name: str, replicas: int, *, progress: bool = True
) -> Tier:
    """Writes `directory/landing/<table>/part-0.parquet` and `directory/next_day/…`."""
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.execute("set preserve_insertion_order = false")
    last = con.execute(
        f"select max(cast(created_at as date)) from read_parquet('{base / 'tickets.parquet'}')"
    ).fetchone()
    if not last or last[0] is None:
        raise ValueError(f"{base}: tickets.parquet has no rows")
    next_day: date = last[0]
    tier = Tier(name=name, directory=directory, replicas=replicas, next_day=next_day)
    tables = [
        table for table in contract.tables().values() if (base / f"{table.name}.parquet").exists()
    ]
    for table in tqdm(tables, desc=f"tier {name}", unit=" tables", disable=not progress):
        source = base / f"{table.name}.parquet"
        columns = [row[0] for row in con.execute(f"describe select * from '{source}'").fetchall()]
        select = (
            f"select {_projection(table.name, columns, replicas)} "
            f"from read_parquet('{source}') cross join {_copies(table.name, replicas)}"
        )
        arrival = ARRIVAL_COLUMNS.get(table.name)
        landing = tier.landing / table.name
        landing.mkdir(parents=True, exist_ok=True)
        if arrival is None:
            con.execute(f"copy ({select}) to '{landing / 'part-0.parquet'}' (format parquet)")
            continue
        day = f"cast(cast(\"{arrival}\" as timestamptz) as date) = date '{next_day}'"
        con.execute(
            f"copy ({select} where not coalesce({day}, false)) "
            f"to '{landing / 'part-0.parquet'}' (format parquet)"
        )
        later = tier.next_day_dir / table.name
        later.mkdir(parents=True, exist_ok=True)
        con.execute(
            f"copy ({select} where {day}) to '{later / f'day-{next_day}.parquet'}' (format parquet)"
        )
    con.close()
    (directory / MANIFEST).write_text(
        json.dumps({"tier": name, "replicas": replicas, "next_day": str(next_day)})
    )
    return tier


def ensure_tier(data_dir: Path, name: str, seed: int = 42, *, progress: bool = True) -> Tier:
    """The tier's directory under data_dir, written once (base generated if needed)."""
    replicas = TIERS[name]
    directory = data_dir / f"tier-{name}-seed{seed}"
    manifest = directory / MANIFEST
    if manifest.exists():
        written = json.loads(manifest.read_text())
        return Tier(
            name=name,
            directory=directory,
            replicas=replicas,
            next_day=date.fromisoformat(written["next_day"]),
        )
    base = ensure_base(data_dir, seed, progress=progress)
    return write_tier(base, directory, name, replicas, progress=progress)
