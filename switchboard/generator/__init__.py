"""Deterministic, realistic raw-data generator for the switchboard contract.

`generate()` writes one file per non-reference contract table (column names and order come
from `switchboard.contract.tables()`), day by day so memory stays bounded, and optionally
injects bad rows with a sidecar `_injected_bad_rows.json` listing them.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path
from typing import Any, Literal

import numpy as np
from tqdm import tqdm

from switchboard.generator.arrivals import allocate
from switchboard.generator.bad_rows import Injector
from switchboard.generator.calls import flush_calls, simulate_calls
from switchboard.generator.commerce import (
    Articles,
    article_views_for_day,
    orders_for_day,
    subscriptions,
)
from switchboard.generator.common import (
    DAY,
    STAGE_CALLS,
    STAGE_TICKETS,
    STAGE_VIEWS,
    Period,
    id_width,
    load_schedules,
    rng_for,
)
from switchboard.generator.people import (
    CHANNELS,
    QUEUE_SHARE,
    QUEUE_TEAM,
    QUEUES,
    TEAM_SPECS,
    build_customers,
    build_people,
    customer_columns,
)
from switchboard.generator.surveys import qa_evaluations
from switchboard.generator.tickets import TicketSimulator
from switchboard.generator.workforce import agent_intervals, agent_surveys, costs, forecasts
from switchboard.generator.world import Counter, World
from switchboard.generator.writer import Writer

__all__ = ["SIDECAR", "add_arguments", "generate", "main", "run"]

SIDECAR = "_injected_bad_rows.json"
CALLS_PER_TICKET = 1.3
DEFAULT_START = date(2025, 2, 3)


def generate(
    out_dir: Path,
    *,
    seed: int = 42,
    tickets: int = 20_000,
    start: date = DEFAULT_START,
    days: int = 91,
    file_format: Literal["csv", "parquet"] = "csv",
    bad_row_share: float = 0.0,
    progress: bool = True,
) -> dict[str, int]:
    """Write the raw landing files into out_dir; returns the rows written per table."""
    if file_format not in ("csv", "parquet"):
        raise ValueError(f"file_format must be csv or parquet, not {file_format!r}")
    if days < 1 or tickets < 1:
        raise ValueError("days and tickets must be positive")
    if not 0 <= bad_row_share < 1:
        raise ValueError("bad_row_share must be in [0, 1)")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    period = Period(start, days)
    schedules = load_schedules(period)
    bar = tqdm(total=days + 9, desc="generate", unit="step", disable=not progress, leave=False)

    bar.set_description("people")
    people = build_people(seed, period, tickets, schedules)
    customers = build_customers(seed, period, tickets)
    n_calls = round(tickets * CALLS_PER_TICKET)
    ids = {
        "tickets": Counter("K", id_width(tickets * 11 // 10, 6)),
        "ticket_events": Counter("E", id_width(tickets * 15, 7)),
        "calls": Counter("CL", id_width(n_calls * 11 // 10, 7)),
        "survey_responses": Counter("R", id_width(tickets, 7)),
        "article_views": Counter("V", id_width(tickets * 5, 7)),
        "sessions": Counter("S", id_width(tickets * 4, 7)),
        "orders": Counter("O", id_width(tickets // 5, 6)),
    }
    world = World(
        seed=seed,
        period=period,
        schedules=schedules,
        people=people,
        customers=customers,
        ids=ids,
        handling=np.zeros((len(people.agents), period.n_slots), dtype=np.float32),
        actual=np.zeros((len(CHANNELS), period.n_slots), dtype=np.float32),
    )
    writer = Writer(out_dir, file_format, seed)
    writer.write("teams", {
        "team_id": [t.team_id for t in TEAM_SPECS],
        "team_name": [t.name for t in TEAM_SPECS],
        "schedule_id": [t.schedule_id for t in TEAM_SPECS],
        "updated_at": [period.start_ts - 30 * DAY + i * 3600 for i in range(len(TEAM_SPECS))],
    })  # fmt: skip
    agent_names = writer.tables["agents"].table.column_names
    writer.write("agents", {n: [row[n] for row in people.agent_versions] for n in agent_names})
    history_names = writer.tables["agent_team_history"].table.column_names
    writer.write(
        "agent_team_history", {n: [row[n] for row in people.history_rows] for n in history_names}
    )
    writer.write("customers", customer_columns(customers))
    articles = Articles(world)
    writer.write("help_articles", articles.rows.take())
    bar.update(1)

    ticket_counts = allocate(
        seed, 1, period, tickets, [t.ticket_share for t in TEAM_SPECS],
        [schedules[t.schedule] for t in TEAM_SPECS], open_only=False,
    )  # fmt: skip
    call_counts = allocate(
        seed, 2, period, n_calls, [QUEUE_SHARE[q] for q in QUEUES],
        [world.schedule_of(QUEUE_TEAM[q]) for q in QUEUES], open_only=True,
    )  # fmt: skip
    simulator = TicketSimulator(world, rng_for(seed, STAGE_TICKETS, 0))
    for index, day in enumerate(period.dates()):
        bar.set_description(f"contacts {day.isoformat()}")
        call_rng = rng_for(seed, STAGE_CALLS, index)
        answered = simulate_calls(world, call_rng, day, call_counts[index])
        simulator.rng = rng_for(seed, STAGE_TICKETS, index)
        simulator.run_day(day, ticket_counts[index], answered)
        flush_calls(world, call_rng)
        view_rng = rng_for(seed, STAGE_VIEWS, index)
        article_views_for_day(world, view_rng, articles, day, int(ticket_counts[index].sum()))
        orders_for_day(world, view_rng, day)
        for table, rows in world.rows.items():
            writer.write(table, rows.take())
        bar.update(1)

    bar.set_description("qa_evaluations")
    writer.write("qa_evaluations", qa_evaluations(world))
    bar.update(1)
    bar.set_description("agent_intervals")
    paid: dict[Any, float] = {}
    for columns, agent_paid in agent_intervals(world):
        writer.write("agent_intervals", columns)
        for key, value in agent_paid.items():
            paid[key] = paid.get(key, 0.0) + value
    bar.update(1)
    bar.set_description("forecasts")
    writer.write("forecasts", forecasts(world))
    bar.update(1)
    bar.set_description("costs")
    writer.write("costs", costs(world, paid))
    bar.update(1)
    bar.set_description("subscriptions")
    writer.write("subscriptions", subscriptions(world))
    bar.update(1)
    bar.set_description("agent_surveys")
    writer.write("agent_surveys", agent_surveys(world))
    bar.update(1)
    if bad_row_share > 0:
        bar.set_description("bad rows")
        sidecar = Injector(writer, period, seed, bad_row_share).run()
        sidecar["seed"] = seed
        (out_dir / SIDECAR).write_text(json.dumps(sidecar, indent=1, sort_keys=True) + "\n")
    bar.update(1)
    bar.set_description("closing files")
    counts = writer.close()
    bar.update(1)
    bar.close()
    return counts


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The generator's command-line options (shared with `switchboard generate`)."""
    parser.add_argument("--out", type=Path, required=True, help="landing directory to write")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--tickets", type=int, default=20_000, help="tickets to create")
    parser.add_argument("--start", type=date.fromisoformat, default=DEFAULT_START,
                        help="first day, YYYY-MM-DD (default 2025-02-03)")  # fmt: skip
    parser.add_argument("--days", type=int, default=91, help="days in the period (default 91)")
    parser.add_argument("--format", dest="file_format", choices=("csv", "parquet"),
                        default="csv", help="file format (default csv)")  # fmt: skip
    parser.add_argument(
        "--bad-rows",
        dest="bad_row_share",
        type=float,
        default=0.0,
        help="share of extra bad rows per table, e.g. 0.02 (default 0)",
    )
    parser.add_argument("--no-progress", dest="progress", action="store_false",
                        help="no progress bar")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    began = time.perf_counter()
    counts = generate(
        args.out,
        seed=args.seed,
        tickets=args.tickets,
        start=args.start,
        days=args.days,
        file_format=args.file_format,
        bad_row_share=args.bad_row_share,
        progress=args.progress,
    )
    width = max(len(name) for name in counts)
    for name, rows in counts.items():
        print(f"{name:<{width}}  {rows:>10,}")
    print(f"{'total':<{width}}  {sum(counts.values()):>10,}  "
          f"in {time.perf_counter() - began:.1f} s -> {args.out}")  # fmt: skip
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m switchboard.generator", description=__doc__.splitlines()[0]
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))
