"""Teams, agents (with shifts and team history) and customers."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from switchboard.generator.common import (
    DAY,
    STAGE_CUSTOMERS,
    STAGE_PEOPLE,
    Period,
    Schedule,
    date_epoch,
    id_width,
    ident,
    rng_for,
)

TOPICS = ("billing", "delivery", "technical", "sales", "account", "returns")
CHANNELS = ("email", "chat", "web", "phone", "social", "messaging")
QUEUES = ("billing", "support", "sales", "retention")
SEGMENTS = ("consumer", "smb", "enterprise")
COUNTRIES = ("DE", "AT", "CH", "NL", "FR", "GB", "US", "PL", "IT", "ES")
COUNTRY_WEIGHTS = (0.38, 0.08, 0.06, 0.06, 0.06, 0.07, 0.16, 0.05, 0.05, 0.03)

FIRST_NAMES = (
    "Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hannah", "Ivan", "Jana",
    "Karim", "Lena", "Marco", "Nina", "Oskar", "Paula", "Quentin", "Rosa", "Sven", "Tara",
    "Umut", "Vera", "Wiebke", "Xaver", "Yusuf", "Zoe", "Emma", "Liam", "Mia", "Noah",
)  # fmt: skip
LAST_NAMES = (
    "Schmidt", "Müller", "Weber", "Fischer", "Wagner", "Becker", "Hoffmann", "Koch", "Richter",
    "Klein", "Wolf", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hartmann", "Lange",
    "Smith", "Johnson", "Garcia", "Rossi", "Dubois", "Kowalski", "Jansen", "Yilmaz", "Novak",
)  # fmt: skip


@dataclass(frozen=True)
class TeamSpec:
    team_id: str
    name: str
    schedule_id: str | None  # None = default schedule
    ticket_share: float
    topics: dict[str, float]
    queue: str | None
    phone_share: float  # share of the agents' time on the phone queue
    base_agents: int  # frontline incl. the team lead, at demo size

    @property
    def schedule(self) -> str:
        return self.schedule_id or "default"


TEAM_SPECS: tuple[TeamSpec, ...] = (
    TeamSpec("T01", "Technical Support", "extended", 0.27,
             {"technical": 0.75, "account": 0.25}, "support", 0.75, 7),
    TeamSpec("T02", "Orders & Delivery", "default", 0.24,
             {"delivery": 0.65, "returns": 0.35}, None, 0.0, 4),
    TeamSpec("T03", "Billing", None, 0.19, {"billing": 0.85, "account": 0.15}, "billing", 0.6, 5),
    TeamSpec("T04", "Sales", "us_east", 0.12, {"sales": 1.0}, "sales", 0.6, 4),
    TeamSpec("T05", "Retention", "default", 0.08,
             {"account": 0.55, "billing": 0.45}, "retention", 0.7, 4),
    TeamSpec("T06", "VIP", "extended", 0.10,
             {"billing": 0.2, "delivery": 0.2, "technical": 0.25, "sales": 0.1,
              "account": 0.15, "returns": 0.1}, None, 0.0, 3),
)  # fmt: skip
QUEUE_TEAM = {"support": "T01", "billing": "T03", "sales": "T04", "retention": "T05"}
QUEUE_SHARE = {"support": 0.31, "billing": 0.30, "sales": 0.21, "retention": 0.18}
FRONTLINE = ("agent", "team_lead")
MAX_SHIFT = 9 * 3600


@dataclass
class Agent:
    index: int
    agent_id: str
    name: str
    email: str
    role: str
    hire: date
    termination: date | None
    hourly_cost: float
    skill: float  # QA mean score and survey effect
    morale: float
    speed: float  # handle-time multiplier
    teams: list[tuple[int, str]] = field(default_factory=list)  # (valid_from ts, team_id)
    shifts: list[tuple[int, int, bool]] = field(default_factory=list)  # (start, end, absent)
    shift_starts: list[int] = field(default_factory=list)
    shift_ends: list[int] = field(default_factory=list)  # present shifts only

    @property
    def frontline(self) -> bool:
        return self.role in FRONTLINE

    @property
    def current_team(self) -> str | None:
        return self.teams[-1][1] if self.teams else None

    def team_at(self, ts: int) -> str | None:
        if not self.teams:
            return None
        index = bisect.bisect_right([start for start, _ in self.teams], ts) - 1
        return self.teams[max(index, 0)][1]

    def next_on_shift(self, ts: int) -> int | None:
        """ts when on shift, else the start of the next present shift; None if none left."""
        index = bisect.bisect_right(self.shift_ends, ts)
        if index >= len(self.shift_starts):
            return None
        return max(ts, self.shift_starts[index])


class Roster:
    """Present shifts of one team, to pick an agent on shift at a given time."""

    def __init__(self, entries: list[tuple[int, int, int, float]]) -> None:
        entries.sort()
        self.starts = [entry[0] for entry in entries]
        self.ends = [entry[1] for entry in entries]
        self.agents = [entry[2] for entry in entries]
        self.weights = [entry[3] for entry in entries]

    def _on_shift(self, ts: int) -> list[int]:
        low = bisect.bisect_left(self.starts, ts - MAX_SHIFT)
        high = bisect.bisect_right(self.starts, ts)
        return [i for i in range(low, high) if self.ends[i] > ts]

    def count_on_shift(self, ts: int) -> int:
        return len(self._on_shift(ts))

    def pick(self, ts: int, rng: np.random.Generator) -> tuple[int, int]:
        """(agent index, time) of an agent on shift at ts or at the next shift start."""
        candidates = self._on_shift(ts)
        if not candidates:
            following = bisect.bisect_right(self.starts, ts)
            if following >= len(self.starts):
                return -1, ts + 30 * DAY
            ts = self.starts[following]
            candidates = self._on_shift(ts)
        weights = np.array([self.weights[i] for i in candidates])
        choice = candidates[int(np.searchsorted(np.cumsum(weights), rng.random() * weights.sum()))]
        return self.agents[min(choice, len(self.agents) - 1)], ts


@dataclass
class People:
    teams: tuple[TeamSpec, ...]
    agents: list[Agent]
    rosters: dict[str, Roster]
    agent_versions: list[dict[str, Any]]
    history_rows: list[dict[str, Any]]
    scale: float

    def team(self, team_id: str) -> TeamSpec:
        for team in self.teams:
            if team.team_id == team_id:
                return team
        raise KeyError(team_id)

    def staff(self, role: str) -> list[Agent]:
        return [agent for agent in self.agents if agent.role == role]


def _fake_name(rng: np.random.Generator) -> tuple[str, str]:
    first = FIRST_NAMES[int(rng.integers(len(FIRST_NAMES)))]
    last = LAST_NAMES[int(rng.integers(len(LAST_NAMES)))]
    return first, last


def _email_local(first: str, last: str) -> str:
    table = str.maketrans({"ü": "ue", "ö": "oe", "ä": "ae", "ß": "ss"})
    return f"{first}.{last}".lower().translate(table)


def build_people(seed: int, period: Period, tickets: int, schedules: dict[str, Schedule]) -> People:
    rng = rng_for(seed, STAGE_PEOPLE)
    scale = (tickets / period.days) / (20_000 / 91)
    agents: list[Agent] = []
    plan: list[tuple[str, str | None]] = []  # (role, team)
    for team in TEAM_SPECS:
        count = max(2, round(team.base_agents * scale))
        plan.append(("team_lead", team.team_id))
        plan.extend(("agent", team.team_id) for _ in range(count - 1))
    plan.extend(("qa_specialist", None) for _ in range(max(2, round(2 * scale))))
    plan.extend(("trainer", None) for _ in range(max(1, round(scale))))
    plan.extend(("ops_manager", None) for _ in range(max(1, round(0.5 * scale))))

    start_ts = period.start_ts
    width = id_width(len(plan) * 2, 4)
    for role, team_id in plan:
        index = len(agents)
        first, last = _fake_name(rng)
        hire = period.start - timedelta(days=int(rng.integers(60, 6 * 365)))
        base_cost = {"agent": 31.0, "team_lead": 42.0, "qa_specialist": 40.0,
                     "trainer": 40.0, "ops_manager": 55.0}[role]  # fmt: skip
        agent = Agent(
            index=index,
            agent_id=ident("A", index + 1, width),
            name=f"{first} {last}",
            email=f"{_email_local(first, last)}{index + 1}@switchboard.example",
            role=role,
            hire=hire,
            termination=None,
            hourly_cost=round(base_cost * float(rng.uniform(0.9, 1.15)), 2),
            skill=float(np.clip(rng.normal(87, 5), 70, 97)),
            morale=float(rng.normal(0, 0.6)),
            speed=float(np.exp(rng.normal(0, 0.18))),
        )
        if team_id is not None:
            agent.teams.append((date_epoch(hire), team_id))
        agents.append(agent)

    # Terminations inside the period, each replaced by a new hire in the same team.
    frontline = [agent for agent in agents if agent.role == "agent"]
    n_leavers = min(len(frontline) // 6, max(1, round(3 * scale)))
    leavers = rng.choice(len(frontline), size=n_leavers, replace=False) if n_leavers else []
    for position in sorted(int(value) for value in leavers):
        leaver = frontline[position]
        leaver.termination = period.start + timedelta(
            days=int(rng.integers(period.days // 4, max(period.days // 4 + 1, period.days - 3)))
        )
        first, last = _fake_name(rng)
        index = len(agents)
        team_id = leaver.teams[0][1]
        hire = leaver.termination - timedelta(days=int(rng.integers(0, 10)))
        joiner = Agent(
            index=index,
            agent_id=ident("A", index + 1, width),
            name=f"{first} {last}",
            email=f"{_email_local(first, last)}{index + 1}@switchboard.example",
            role="agent",
            hire=max(hire, period.start + timedelta(days=1)),
            termination=None,
            hourly_cost=round(29.0 * float(rng.uniform(0.95, 1.1)), 2),
            skill=float(np.clip(rng.normal(82, 5), 70, 95)),
            morale=float(rng.normal(0.3, 0.5)),
            speed=float(np.exp(rng.normal(0.15, 0.15))),
        )
        joiner.teams.append((date_epoch(joiner.hire), team_id))
        agents.append(joiner)

    # Some agents move team mid-period (never below two frontline agents per team).
    movable = [a for a in agents if a.role == "agent" and a.termination is None
               and a.hire < period.start]  # fmt: skip
    n_movers = min(len(movable) // 5, max(1, round(3 * scale)))
    team_ids = [team.team_id for team in TEAM_SPECS]
    for position in sorted(int(v) for v in rng.choice(len(movable), n_movers, replace=False)):
        mover = movable[position]
        source = mover.teams[-1][1]
        size = sum(1 for a in agents if a.frontline and a.current_team == source)
        if size <= 3:
            continue
        target = team_ids[int(rng.integers(len(team_ids)))]
        if target == source:
            target = team_ids[(team_ids.index(source) + 1) % len(team_ids)]
        move_day = period.start + timedelta(days=int(rng.integers(7, max(8, period.days - 7))))
        mover.teams.append((date_epoch(move_day), target))

    _build_shifts(rng, period, agents, schedules)
    rosters = _build_rosters(agents)
    versions = _agent_versions(rng, period, agents, start_ts)
    history = [
        {
            "agent_id": agent.agent_id,
            "team_id": team_id,
            "valid_from": valid_from,
            "valid_to": agent.teams[i + 1][0] if i + 1 < len(agent.teams) else None,
        }
        for agent in agents
        for i, (valid_from, team_id) in enumerate(agent.teams)
    ]
    return People(TEAM_SPECS, agents, rosters, versions, history, scale)


def _build_shifts(
    rng: np.random.Generator,
    period: Period,
    agents: list[Agent],
    schedules: dict[str, Schedule],
) -> None:
    specs = {team.team_id: team for team in TEAM_SPECS}
    days = [*period.dates(), period.end, period.end + timedelta(days=1)]
    for agent in agents:
        if not agent.frontline:
            continue
        for day in days:
            if day < agent.hire or (agent.termination is not None and day >= agent.termination):
                continue
            team_id = agent.team_at(date_epoch(day) + 12 * 3600)
            if team_id is None:
                continue
            schedule = schedules[specs[team_id].schedule]
            window = schedule.open_window(day)
            if window is None:
                continue
            weekday = day.isoweekday()
            if len(schedule.hours) == 7 and weekday in {
                (agent.index * 2) % 7 + 1,
                (agent.index * 2 + 1) % 7 + 1,
            }:
                continue
            opens, closes = window
            length = closes - opens
            if length <= 5 * 3600 and (agent.index + day.isocalendar()[1]) % 2:
                continue
            if length > 8.5 * 3600:
                if (agent.index + day.toordinal()) % 2 == 0:
                    closes = opens + 8 * 3600
                else:
                    opens = closes - 8 * 3600
            absent = bool(rng.random() < 0.035)
            agent.shifts.append((opens, closes, absent))
            if not absent:
                agent.shift_starts.append(opens)
                agent.shift_ends.append(closes)


def _build_rosters(agents: list[Agent]) -> dict[str, Roster]:
    entries: dict[str, list[tuple[int, int, int, float]]] = {t.team_id: [] for t in TEAM_SPECS}
    for agent in agents:
        weight = 0.35 if agent.role == "team_lead" else 1.0
        for start, end, absent in agent.shifts:
            team_id = agent.team_at(start)
            if not absent and team_id is not None:
                entries[team_id].append((start, end, agent.index, weight))
    return {team_id: Roster(items) for team_id, items in entries.items()}


def _agent_versions(
    rng: np.random.Generator, period: Period, agents: list[Agent], start_ts: int
) -> list[dict[str, Any]]:
    """Agent rows as exported over time: re-exports carry a later updated_at."""
    rows: list[dict[str, Any]] = []
    for agent in agents:
        first_export = min(start_ts - int(rng.integers(5, 40)) * DAY, date_epoch(agent.hire))
        changes: list[tuple[int, dict[str, Any]]] = []
        base = {
            "agent_id": agent.agent_id,
            "agent_name": agent.name,
            "email": agent.email,
            "team_id": agent.teams[0][1] if agent.teams else None,
            "role": agent.role,
            "hire_date": agent.hire,
            "termination_date": None,
            "hourly_cost": agent.hourly_cost,
        }
        if rng.random() < 0.15:
            raise_at = start_ts + int(rng.integers(1, period.days)) * DAY + 3600 * 9
            changes.append((raise_at, {"hourly_cost": round(agent.hourly_cost * 1.03, 2)}))
        for valid_from, team_id in agent.teams[1:]:
            changes.append((valid_from + 600, {"team_id": team_id}))
        if agent.termination is not None:
            changes.append((date_epoch(agent.termination) + 17 * 3600,
                            {"termination_date": agent.termination}))  # fmt: skip
        changes.sort(key=lambda item: item[0])
        rows.append({**base, "updated_at": first_export})
        current = dict(base)
        for when, change in changes:
            current.update(change)
            rows.append({**current, "updated_at": min(when, period.end_ts - 60)})
        agent.hourly_cost = current["hourly_cost"]
    rows.sort(key=lambda row: (row["updated_at"], row["agent_id"]))
    return rows


# --------------------------------------------------------------------------- customers


@dataclass
class Customers:
    ids: list[str]
    created: np.ndarray  # epoch seconds, ascending
    segment: np.ndarray  # index into SEGMENTS
    pools: dict[int, tuple[np.ndarray, np.ndarray]]  # segment -> (customer indices, created)
    updated: np.ndarray
    country: np.ndarray
    emails: list[str]
    _sorted: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    def _pool(self, is_vip: bool) -> tuple[np.ndarray, np.ndarray]:
        key = int(is_vip)
        if key not in self._sorted:
            segments = (1, 2) if is_vip else (0, 1, 2)
            indices = np.concatenate([self.pools[s][0] for s in segments])
            order = np.argsort(self.created[indices], kind="stable")
            self._sorted[key] = (indices[order], self.created[indices[order]])
        return self._sorted[key]

    def pick(self, rng: np.random.Generator, when: np.ndarray, vip: np.ndarray) -> np.ndarray:
        """A customer created before each instant; enterprise/smb for VIP contacts."""
        result = np.empty(when.size, dtype=np.int64)
        for is_vip in (False, True):
            mask = vip == is_vip
            if not mask.any():
                continue
            indices, created = self._pool(is_vip)
            available = np.maximum(np.searchsorted(created, when[mask], side="right"), 1)
            result[mask] = indices[(rng.random(available.size) * available).astype(np.int64)]
        return result


def build_customers(seed: int, period: Period, tickets: int) -> Customers:
    rng = rng_for(seed, STAGE_CUSTOMERS)
    count = max(300, int(tickets * 0.75))
    before = rng.random(count) < 0.85
    created = np.where(
        before,
        period.start_ts - rng.integers(DAY, 4 * 365 * DAY, size=count),
        period.start_ts + rng.integers(0, period.days * DAY, size=count),
    )
    created = np.sort(created)
    segment = rng.choice(3, size=count, p=[0.74, 0.2, 0.06])
    country = rng.choice(len(COUNTRIES), size=count, p=np.array(COUNTRY_WEIGHTS))
    updated = np.where(
        rng.random(count) < 0.1,
        np.maximum(created, period.start_ts) + rng.integers(0, period.days * DAY // 2, size=count),
        created,
    )
    updated = np.minimum(updated, period.end_ts - 1)
    width = id_width(count, 6)
    ids = [ident("C", i + 1, width) for i in range(count)]
    domains = ("example.com", "example.org", "example.net", "mail.example")
    emails = []
    for i in range(count):
        first, last = _fake_name(rng)
        domain = domains[int(rng.integers(len(domains)))]
        emails.append(f"{_email_local(first, last)}{i + 1}@{domain}")
    pools = {s: (np.flatnonzero(segment == s), created[segment == s]) for s in range(len(SEGMENTS))}
    return Customers(ids, created, segment, pools, updated, country, emails)


def customer_columns(customers: Customers) -> dict[str, Any]:
    return {
        "customer_id": customers.ids,
        "email": customers.emails,
        "segment": [SEGMENTS[s] for s in customers.segment],
        "country": [COUNTRIES[c] for c in customers.country],
        "created_at": customers.created,
        "updated_at": customers.updated,
    }
