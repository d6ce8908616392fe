"""When contacts arrive: daily volumes per team/queue and intraday arrival instants."""

from __future__ import annotations

from datetime import date

import numpy as np

from switchboard.generator.common import (
    DAY,
    STAGE_ALLOCATION,
    Period,
    Schedule,
    date_epoch,
    local_to_utc,
    rng_for,
)
from switchboard.generator.world import HOLIDAY_FACTOR, HOURLY_PROFILE, WEEKDAY_FACTOR


def allocate(
    seed: int,
    key: int,
    period: Period,
    total: int,
    shares: list[float],
    schedules: list[Schedule],
    *,
    open_only: bool,
) -> np.ndarray:
    """Exactly `total` contacts spread over (day, unit) cells by weekday, holiday, noise."""
    rng = rng_for(seed, STAGE_ALLOCATION, key)
    days = period.dates()
    weights = np.zeros((len(days), len(shares)))
    noise = np.exp(rng.normal(0, 0.08, size=weights.shape))
    for d, day in enumerate(days):
        trend = 1 + 0.002 * d
        for u, (share, schedule) in enumerate(zip(shares, schedules, strict=True)):
            factor = WEEKDAY_FACTOR[day.weekday()] * trend * share
            window = schedule.open_window(day)
            if day in schedule.holidays:
                factor *= 0.0 if open_only else HOLIDAY_FACTOR
            elif open_only and window is None:
                factor = 0.0
            elif open_only and window is not None:
                factor *= (window[1] - window[0]) / (9 * 3600)
            weights[d, u] = factor
    weights *= noise
    flat = weights.ravel() / weights.sum()
    return rng.multinomial(total, flat).reshape(weights.shape)


def draw_times(
    rng: np.random.Generator,
    period: Period,
    schedule: Schedule,
    day: date,
    n: int,
    *,
    open_only: bool,
) -> np.ndarray:
    """n arrival instants on a local date, shaped by the hourly profile (sorted)."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    profile = HOURLY_PROFILE.copy()
    if open_only:
        hours = schedule.hours.get(day.isoweekday())
        mask = np.zeros(24, dtype=bool)
        if hours is not None:
            mask[hours[0] // 3600 : (hours[1] + 3599) // 3600] = True
        profile = np.where(mask, profile, 0.0)
        if profile.sum() == 0:
            profile = HOURLY_PROFILE.copy()
    hour = rng.choice(24, size=n, p=profile / profile.sum())
    seconds = hour * 3600 + rng.integers(0, 3600, size=n)
    utc = local_to_utc(schedule.time_zone, date_epoch(day) + seconds)
    if open_only:
        window = schedule.open_window(day)
        if window is not None:
            utc = np.clip(utc, window[0], window[1] - 1)
    outside = (utc < period.start_ts) | (utc >= period.end_ts)
    if outside.any():
        middle = local_to_utc(
            schedule.time_zone, np.array([date_epoch(day) + 12 * 3600], dtype=np.int64)
        )[0]
        utc[outside] = middle + rng.integers(-3 * 3600, 3 * 3600, size=int(outside.sum()))
        utc = np.clip(utc, period.start_ts, period.end_ts - 1)
    return np.sort(utc)


def day_bounds(period: Period, day_index: int) -> tuple[int, int]:
    start = period.start_ts + day_index * DAY
    return start, start + DAY
