"""Mutable state shared by the generation stages: people, calendars, accumulators, buffers."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from switchboard import contract
from switchboard.generator.common import SLOT, Period, Schedule, ident
from switchboard.generator.people import CHANNELS, TOPICS, Customers, People

HOURLY_PROFILE = np.array(
    [0.15, 0.1, 0.08, 0.07, 0.08, 0.15, 0.35, 0.7, 1.0, 1.25, 1.4, 1.45,
     1.3, 1.35, 1.4, 1.3, 1.15, 1.0, 0.85, 0.75, 0.6, 0.5, 0.35, 0.22]
)  # fmt: skip
WEEKDAY_FACTOR = np.array([1.25, 1.1, 1.05, 1.0, 0.95, 0.55, 0.4])  # Monday .. Sunday
HOLIDAY_FACTOR = 0.45
REPEAT_WINDOW = 7 * 86_400
QA_POOL_SIZE = 6


class Rows:
    """Rows of one table, keyed by contract column name, turned into column lists."""

    def __init__(self, table: str) -> None:
        self.names = contract.tables()[table].column_names
        self.rows: list[dict[str, Any]] = []

    def add(self, **values: Any) -> None:
        self.rows.append(values)

    def __len__(self) -> int:
        return len(self.rows)

    def take(self) -> dict[str, list[Any]]:
        rows, self.rows = self.rows, []
        return {name: [row.get(name) for row in rows] for name in self.names}


@dataclass
class Counter:
    prefix: str
    width: int
    value: int = 0

    def next(self) -> str:
        self.value += 1
        return ident(self.prefix, self.value, self.width)


@dataclass
class RecentContact:
    ts: int
    customer: int
    kind: str  # "ticket" | "call"
    contact_id: str


@dataclass
class World:
    seed: int
    period: Period
    schedules: dict[str, Schedule]
    people: People
    customers: Customers
    ids: dict[str, Counter]
    handling: np.ndarray  # agent x slot: handled seconds
    actual: np.ndarray  # channel x slot: contacts arriving
    qa_pool: dict[tuple[int, int], list[tuple[str, str]]] = field(default_factory=dict)
    qa_seen: dict[tuple[int, int], int] = field(default_factory=dict)
    recent: dict[str, list[RecentContact]] = field(default_factory=dict)
    recent_ts: dict[str, list[int]] = field(default_factory=dict)
    sales_contacts: list[tuple[str, str, int, int]] = field(default_factory=list)
    rows: dict[str, Rows] = field(default_factory=dict)
    pending_calls: dict[str, dict[str, Any]] = field(default_factory=dict)
    precontact: list[tuple[int, int, str]] = field(default_factory=list)  # customer, ts, topic

    def __post_init__(self) -> None:
        self.recent = {topic: [] for topic in TOPICS}
        self.recent_ts = {topic: [] for topic in TOPICS}
        for table in ("tickets", "ticket_events", "calls", "survey_responses", "article_views",
                      "orders", "product_activations"):  # fmt: skip
            self.rows[table] = Rows(table)

    def schedule_of(self, team_id: str) -> Schedule:
        return self.schedules[self.people.team(team_id).schedule]

    def add_handling(self, agent: int, start: int, seconds: int) -> None:
        """Spread handled seconds over the 30-minute slots from start on."""
        slot = self.period.slot_of(start)
        offset = (start - self.period.start_ts) % SLOT
        remaining = seconds
        n_slots = self.handling.shape[1]
        while remaining > 0 and 0 <= slot < n_slots:
            room = SLOT - offset
            used = min(room, remaining)
            self.handling[agent, slot] += used
            remaining -= used
            slot += 1
            offset = 0

    def add_actual(self, channel: str, ts: int) -> None:
        slot = self.period.slot_of(ts)
        if 0 <= slot < self.actual.shape[1]:
            self.actual[CHANNELS.index(channel), slot] += 1

    def remember_qa(
        self, rng: np.random.Generator, agent: int, ts: int, kind: str, cid: str
    ) -> None:
        """Reservoir of contacts per agent and week: what QA can evaluate."""
        key = (agent, (ts - self.period.start_ts) // (7 * 86_400))
        seen = self.qa_seen.get(key, 0) + 1
        self.qa_seen[key] = seen
        pool = self.qa_pool.setdefault(key, [])
        if len(pool) < QA_POOL_SIZE:
            pool.append((kind, cid))
        else:
            slot = int(rng.integers(seen))
            if slot < QA_POOL_SIZE:
                pool[slot] = (kind, cid)

    def recent_contact(self, rng: np.random.Generator, topic: str, ts: int) -> RecentContact | None:
        """A contact on the topic within the repeat window before ts, if any."""
        times, items = self.recent_ts[topic], self.recent[topic]
        low = bisect.bisect_right(times, ts - REPEAT_WINDOW)
        high = bisect.bisect_left(times, ts)
        if high <= low:
            return None
        # Repeat contacts cluster soon after the first one.
        weights = np.exp(-(ts - np.array(times[low:high])) / (2 * 86_400))
        pick = int(np.searchsorted(np.cumsum(weights), weights.sum() * rng.random()))
        return items[low + min(pick, high - low - 1)]

    def remember_contact(self, topic: str, item: RecentContact) -> None:
        times, items = self.recent_ts[topic], self.recent[topic]
        if len(times) > 4096 and times[0] < item.ts - 3 * REPEAT_WINDOW:
            cut = bisect.bisect_left(times, item.ts - 2 * REPEAT_WINDOW)
            del times[:cut], items[:cut]
        position = bisect.bisect_right(times, item.ts)
        times.insert(position, item.ts)
        items.insert(position, item)
