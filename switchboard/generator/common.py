"""Shared helpers of the generator: seeded random streams, calendars, time zones, ids."""

from __future__ import annotations

import bisect
import csv
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, cached_property
from zoneinfo import ZoneInfo

import numpy as np

from switchboard import PROJECT_DIR

DAY = 86_400
SLOT = 1_800
SEEDS_DIR = PROJECT_DIR / "seeds"

# Independent random streams: one per stage (and per day where the stage is chunked),
# so a stage's output never depends on how much randomness another stage consumed.
STAGE_PEOPLE = 1
STAGE_CUSTOMERS = 2
STAGE_CALLS = 3
STAGE_TICKETS = 4
STAGE_VIEWS = 5
STAGE_QA = 6
STAGE_INTERVALS = 7
STAGE_FORECASTS = 8
STAGE_COSTS = 9
STAGE_SUBSCRIPTIONS = 10
STAGE_AGENT_SURVEYS = 11
STAGE_ARTICLES = 12
STAGE_ALLOCATION = 13
STAGE_ACTIVATIONS = 14
STAGE_BAD_ROWS = 15
STAGE_WRITER = 16


def rng_for(seed: int, *keys: int) -> np.random.Generator:
    """A PCG64 stream derived from the seed and stage keys (order-independent of other stages)."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, *keys])))


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


@cache
def date_epoch(day: date) -> int:
    """00:00 UTC of a date as epoch seconds."""
    return epoch(datetime.combine(day, time(0), tzinfo=UTC))


def choose(rng: np.random.Generator, cumulative: list[float]) -> int:
    """Index drawn from cumulative weights ending at 1 (faster than rng.choice per row)."""
    return min(bisect.bisect_right(cumulative, rng.random()), len(cumulative) - 1)


def cumulative(weights: list[float] | tuple[float, ...] | np.ndarray) -> list[float]:
    total = float(np.sum(weights))
    return [float(v) / total for v in np.cumsum(weights)]


def ident(prefix: str, number: int, width: int) -> str:
    return f"{prefix}{number:0{width}d}"


def id_width(expected: int, minimum: int) -> int:
    return max(minimum, len(str(max(expected, 1))))


@dataclass(frozen=True)
class Period:
    start: date
    days: int

    @property
    def end(self) -> date:
        return self.start + timedelta(days=self.days)

    @cached_property
    def start_ts(self) -> int:
        return date_epoch(self.start)

    @cached_property
    def end_ts(self) -> int:
        """Exclusive end and as-of time of the export."""
        return date_epoch(self.end)

    @property
    def n_slots(self) -> int:
        return self.days * DAY // SLOT

    def dates(self) -> list[date]:
        return [self.start + timedelta(days=offset) for offset in range(self.days)]

    def slot_of(self, ts: int) -> int:
        return (ts - self.start_ts) // SLOT


# --------------------------------------------------------------------------- schedules


@dataclass
class Schedule:
    schedule_id: str
    time_zone: str
    hours: dict[int, tuple[int, int]]  # ISO weekday -> (open second of day, close second)
    holidays: frozenset[date]
    opens: list[int] = field(default_factory=list)  # UTC epoch windows, sorted
    closes: list[int] = field(default_factory=list)
    window_day: dict[date, tuple[int, int]] = field(default_factory=dict)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def open_window(self, day: date) -> tuple[int, int] | None:
        """The UTC opening window of a local date, None when closed (weekday or holiday)."""
        return self.window_day.get(day)

    def is_open(self, ts: int) -> bool:
        index = bisect.bisect_right(self.opens, ts) - 1
        return index >= 0 and ts < self.closes[index]

    def next_open(self, ts: int) -> int:
        """ts itself when open, else the next opening instant."""
        index = bisect.bisect_right(self.closes, ts)
        if index >= len(self.opens):
            return ts
        return max(ts, self.opens[index])

    def add_business(self, ts: int, seconds: float) -> int:
        """The instant `seconds` of opening hours after ts."""
        remaining = float(seconds)
        index = bisect.bisect_right(self.closes, ts)
        current = ts
        while index < len(self.opens):
            current = max(current, self.opens[index])
            room = self.closes[index] - current
            if remaining <= room:
                return int(current + remaining)
            remaining -= room
            index += 1
        return int(current + remaining)

    def local_midnight(self, day: date) -> int:
        return epoch(datetime.combine(day, time(0), tzinfo=self.zone))


def _parse_hhmm(text: str) -> int:
    hours, minutes = text.split(":")[:2]
    return int(hours) * 3600 + int(minutes) * 60


@cache
def _seed_rows(name: str) -> tuple[dict[str, str], ...]:
    with (SEEDS_DIR / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


def load_schedules(period: Period, margin_days: int = 45) -> dict[str, Schedule]:
    """Schedules from the seeds with UTC opening windows around the period."""
    holidays: dict[str, set[date]] = {}
    for row in _seed_rows("holidays"):
        holidays.setdefault(row["schedule_id"], set()).add(date.fromisoformat(row["holiday_date"]))
    schedules: dict[str, Schedule] = {}
    for row in _seed_rows("schedules"):
        schedule = schedules.get(row["schedule_id"])
        if schedule is None:
            schedule = Schedule(
                row["schedule_id"],
                row["time_zone"],
                {},
                frozenset(holidays.get(row["schedule_id"], set())),
            )
            schedules[row["schedule_id"]] = schedule
        schedule.hours[int(row["weekday"])] = (
            _parse_hhmm(row["open_time"]),
            _parse_hhmm(row["close_time"]),
        )
    first = period.start - timedelta(days=margin_days)
    for schedule in schedules.values():
        zone = schedule.zone
        for offset in range(period.days + 2 * margin_days):
            day = first + timedelta(days=offset)
            hours = schedule.hours.get(day.isoweekday())
            if hours is None or day in schedule.holidays:
                continue
            local_open = datetime.combine(day, time(hours[0] // 3600, hours[0] % 3600 // 60))
            local_close = datetime.combine(day, time(0)) + timedelta(seconds=hours[1])
            opens = epoch(local_open.replace(tzinfo=zone))
            closes = epoch(local_close.replace(tzinfo=zone))
            schedule.opens.append(opens)
            schedule.closes.append(closes)
            schedule.window_day[day] = (opens, closes)
    return schedules


# --------------------------------------------------------------------------- time zones


def utc_offsets(time_zone: str, timestamps: np.ndarray) -> np.ndarray:
    """UTC offset in seconds of `time_zone` at each epoch second (vectorised by hour)."""
    if timestamps.size == 0:
        return np.zeros(0, dtype=np.int64)
    hours = timestamps // 3600
    unique, inverse = np.unique(hours, return_inverse=True)
    zone = ZoneInfo(time_zone)
    offsets = np.fromiter(
        (
            int(datetime.fromtimestamp(int(hour) * 3600, tz=zone).utcoffset().total_seconds())  # type: ignore[union-attr]
            for hour in unique
        ),
        dtype=np.int64,
        count=unique.size,
    )
    return offsets[inverse]


def local_to_utc(time_zone: str, local_naive: np.ndarray) -> np.ndarray:
    """Epoch seconds of local wall-clock times given as naive epoch seconds."""
    guess = local_naive - utc_offsets(time_zone, local_naive)
    return local_naive - utc_offsets(time_zone, guess)


def local_dates(time_zone: str, timestamps: np.ndarray) -> np.ndarray:
    """Local calendar date (as numpy datetime64[D]) of each epoch second."""
    local = timestamps + utc_offsets(time_zone, timestamps)
    return (local // DAY).astype("datetime64[D]")


def to_date(value: np.datetime64) -> date:
    return date.fromisoformat(str(value))
