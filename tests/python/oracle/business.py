"""Schedules: local dates and business seconds, walked day by day with zoneinfo."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

from .parsing import Row

DAY = 86_400


class Schedule:
    """One business-hours schedule: local opening intervals per weekday, holidays."""

    def __init__(
        self,
        schedule_id: str,
        time_zone: str,
        hours: dict[int, list[tuple[int, int]]],
        holidays: set[date],
    ) -> None:
        self.schedule_id = schedule_id
        self.zone = ZoneInfo(time_zone)
        self.hours = hours
        self.holidays = holidays
        self._lo: date | None = None
        self._hi: date | None = None
        self._starts: list[float] = []
        self._ends: list[float] = []
        self._cum: list[float] = []
        self._date_cache: dict[int, date] = {}

    # -- local calendar -------------------------------------------------------
    def local_date(self, epoch: float) -> date:
        """Local date of an instant (cached per 15-minute UTC bucket)."""
        bucket = int(epoch // 900)
        found = self._date_cache.get(bucket)
        if found is None:
            found = datetime.fromtimestamp(bucket * 900, self.zone).date()
            self._date_cache[bucket] = found
        return found

    def local_instant(self, day: date, seconds: int) -> float:
        """Epoch of a local wall-clock time (seconds after midnight; 86 400 = next midnight)."""
        extra, seconds = divmod(seconds, DAY)
        wall = datetime.combine(day + timedelta(days=extra), time()) + timedelta(seconds=seconds)
        return wall.replace(tzinfo=self.zone).timestamp()

    def day_end(self, day: date) -> float:
        """The instant the local day ends (the next local midnight)."""
        return self.local_instant(day + timedelta(days=1), 0)

    # -- business time --------------------------------------------------------
    def _build(self, lo: date, hi: date) -> None:
        starts: list[float] = []
        ends: list[float] = []
        day = lo
        while day <= hi:
            if day not in self.holidays:
                for open_s, close_s in self.hours.get(day.isoweekday(), []):
                    starts.append(self.local_instant(day, open_s))
                    ends.append(self.local_instant(day, close_s))
            day += timedelta(days=1)
        self._lo, self._hi = lo, hi
        self._starts, self._ends = starts, ends
        self._cum = [0.0, *accumulate(e - s for s, e in zip(starts, ends, strict=True))]

    def _ensure(self, epoch: float) -> None:
        day = datetime.fromtimestamp(epoch, UTC).date()
        lo = day - timedelta(days=3)
        hi = day + timedelta(days=3)
        if self._lo is None or self._hi is None:
            self._build(lo - timedelta(days=60), hi + timedelta(days=60))
        elif lo < self._lo or hi > self._hi:
            self._build(
                min(lo, self._lo) - timedelta(days=60), max(hi, self._hi) + timedelta(days=60)
            )

    def _cumulative(self, epoch: float) -> float:
        """Business seconds from the start of the built range to the instant."""
        index = bisect_right(self._starts, epoch) - 1
        if index < 0:
            return 0.0
        return self._cum[index] + min(epoch, self._ends[index]) - self._starts[index]

    def business_seconds(self, start: float, end: float) -> float:
        """Open seconds between two instants; negative when end is before start."""
        self._ensure(start)
        self._ensure(end)
        return self._cumulative(end) - self._cumulative(start)


def build_schedules(schedule_rows: list[Row], holiday_rows: list[Row]) -> dict[str, Schedule]:
    zones: dict[str, str] = {}
    hours: dict[str, dict[int, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for row in schedule_rows:
        zones.setdefault(row["schedule_id"], row["time_zone"])
        hours[row["schedule_id"]][row["weekday"]].append((row["open_time"], row["close_time"]))
    holidays: dict[str, set[date]] = defaultdict(set)
    for row in holiday_rows:
        holidays[row["schedule_id"]].add(row["holiday_date"])
    return {
        sid: Schedule(sid, zone, {k: sorted(v) for k, v in hours[sid].items()}, holidays[sid])
        for sid, zone in zones.items()
    }
