"""Agent intervals (WFM), forecasts, costs and agent pulse surveys."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import numpy as np

from switchboard.generator.common import (
    DAY,
    SLOT,
    STAGE_AGENT_SURVEYS,
    STAGE_COSTS,
    STAGE_FORECASTS,
    STAGE_INTERVALS,
    date_epoch,
    rng_for,
)
from switchboard.generator.people import CHANNELS, TEAM_SPECS
from switchboard.generator.world import Rows, World

FORECAST_AHT = {"email": 330, "chat": 420, "web": 300, "phone": 400, "social": 180,
                "messaging": 260}  # fmt: skip


def agent_intervals(world: World) -> Iterator[tuple[dict[str, Any], dict[tuple[str, date], float]]]:
    """Per agent: interval rows, and paid labour cost by (team, month)."""
    rng = rng_for(world.seed, STAGE_INTERVALS)
    period = world.period
    for agent in world.people.agents:
        starts: list[int] = []
        scheduled: list[int] = []
        logged: list[int] = []
        available: list[int] = []
        handling: list[int] = []
        aux: list[int] = []
        absent: list[int] = []
        paid: dict[tuple[str, date], float] = {}
        for shift_start, shift_end, day_absent in agent.shifts:
            if shift_start < period.start_ts or shift_end > period.end_ts:
                continue
            slots = list(range(shift_start, shift_end, SLOT))
            lunch = len(slots) // 2 if len(slots) >= 12 else -1
            team_id = agent.team_at(shift_start) or ""
            epoch_day = date(1970, 1, 1).toordinal() + shift_start // DAY
            month = date.fromordinal(epoch_day).replace(day=1)
            hours = len(slots) * SLOT / 3600
            paid[(team_id, month)] = paid.get((team_id, month), 0.0) + hours * agent.hourly_cost
            for position, slot_start in enumerate(slots):
                slot = period.slot_of(slot_start)
                worked = int(world.handling[agent.index, slot])
                starts.append(slot_start)
                scheduled.append(SLOT)
                if day_absent:
                    logged.append(0)
                    available.append(0)
                    handling.append(0)
                    aux.append(0)
                    absent.append(SLOT)
                    continue
                missing = 0
                if position == 0 and rng.random() < 0.08:
                    missing = int(rng.integers(60, 900))
                elif position == len(slots) - 1 and rng.random() < 0.04:
                    missing = int(rng.integers(60, 1200))
                on = SLOT - missing
                if position == lunch or rng.random() < 0.04:
                    busy = min(worked, on)
                    away = on - busy
                else:
                    busy = min(worked, on)
                    away = min(on - busy, int(rng.integers(0, 240)))
                handling.append(busy)
                aux.append(away)
                available.append(on - busy - away)
                logged.append(on)
                absent.append(missing)
        columns = {
            "agent_id": [agent.agent_id] * len(starts), "interval_start": starts,
            "scheduled_seconds": scheduled, "logged_in_seconds": logged,
            "available_seconds": available, "handling_seconds": handling,
            "aux_seconds": aux, "absent_seconds": absent,
        }  # fmt: skip
        yield columns, paid


def forecasts(world: World) -> dict[str, list[Any]]:
    """Versions of the 30-minute forecast per channel over the opening hours of any schedule."""
    rng = rng_for(world.seed, STAGE_FORECASTS)
    period = world.period
    open_slots: set[int] = set()
    for schedule in world.schedules.values():
        for opens, closes in zip(schedule.opens, schedule.closes, strict=True):
            for ts in range(opens - opens % SLOT, closes, SLOT):
                slot = period.slot_of(ts)
                if 0 <= slot < period.n_slots:
                    open_slots.add(slot)
    slots = np.array(sorted(open_slots), dtype=np.int64)
    rows = Rows("forecasts")
    columns: dict[str, list[Any]] = {name: [] for name in rows.names}
    for c, channel in enumerate(CHANNELS):
        actual = world.actual[c, slots]
        interval = period.start_ts + slots * SLOT
        day_start = interval - interval % DAY
        # A seasonal forecast: the same weekday and time slot over the period, blended
        # with the actual level (the planners' view of the trend).
        slot_of_week = slots % (7 * DAY // SLOT)
        seasonal_sum = np.bincount(slot_of_week, weights=actual, minlength=7 * DAY // SLOT)
        seasonal_n = np.bincount(slot_of_week, minlength=7 * DAY // SLOT)
        seasonal = seasonal_sum[slot_of_week] / np.maximum(seasonal_n[slot_of_week], 1)
        base = 0.6 * actual + 0.4 * seasonal
        versions = (
            (rng.random(slots.size) < 0.6, day_start - 7 * DAY + 6 * 3600, 0.22),
            (np.ones(slots.size, dtype=bool), day_start - DAY + 16 * 3600, 0.12),
            (rng.random(slots.size) < 0.35, interval + rng.integers(5, 26, slots.size) * 60, 0.02),
        )
        for v, (present, created, sigma) in enumerate(versions):
            source = actual if v == 2 else base
            value = np.round(source * np.exp(rng.normal(0, sigma, slots.size)), 2)
            aht = np.round(FORECAST_AHT[channel] * np.exp(rng.normal(0, 0.06, slots.size)), 1)
            required = np.ceil(value * aht / SLOT / 0.8 + 0.5)
            has_required = rng.random(slots.size) < 0.12
            for i in np.flatnonzero(present).tolist():
                columns["interval_start"].append(int(interval[i]))
                columns["channel"].append(channel)
                columns["forecast_contacts"].append(float(value[i]))
                columns["forecast_aht_seconds"].append(float(aht[i]))
                columns["required_agents"].append(float(required[i]) if has_required[i] else None)
                columns["created_at"].append(int(created[i]))
    return columns


def costs(world: World, paid: dict[tuple[str, date], float]) -> dict[str, list[Any]]:
    """Monthly costs per team (labour, tooling) and centre-wide (overhead, outsourcing …)."""
    rng = rng_for(world.seed, STAGE_COSTS)
    period = world.period
    rows = Rows("costs")
    months: list[date] = []
    month = period.start.replace(day=1)
    while month < period.end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    staff = [a for a in world.people.agents if not a.frontline]
    scale = world.people.scale
    for month_start in months:
        for team in TEAM_SPECS:
            cost = paid.get((team.team_id, month_start), 0.0)
            heads = sum(1 for a in world.people.agents if a.team_at(date_epoch(month_start))
                        == team.team_id)  # fmt: skip
            rows.add(cost_month=month_start, team_id=team.team_id, cost_type="labor",
                     amount=round(cost, 2), currency="EUR")  # fmt: skip
            rows.add(cost_month=month_start, team_id=team.team_id, cost_type="tooling",
                     amount=round(heads * 85.0 * float(rng.uniform(0.95, 1.05)), 2),
                     currency="EUR")  # fmt: skip
        staff_cost = sum(a.hourly_cost * 8 * 21 for a in staff)
        rows.add(cost_month=month_start, team_id=None, cost_type="labor",
                 amount=round(staff_cost, 2), currency="EUR")  # fmt: skip
        rows.add(
            cost_month=month_start,
            team_id=None,
            cost_type="overhead",
            amount=round(24_000 * scale * float(rng.uniform(0.95, 1.05)), 2),
            currency="EUR",
        )
        rows.add(
            cost_month=month_start,
            team_id=None,
            cost_type="tooling",
            amount=round(3_500 * scale * float(rng.uniform(0.98, 1.02)), 2),
            currency="EUR",
        )
        if month_start.month in (3, 4, 11, 12):
            rows.add(cost_month=month_start, team_id=None, cost_type="outsourcing",
                     amount=round(9_000 * scale * float(rng.uniform(0.8, 1.2)), 2),
                     currency="EUR")  # fmt: skip
    return rows.take()


def agent_surveys(world: World) -> dict[str, list[Any]]:
    """Monthly pulse survey on the 15th; a quarter answer anonymously (team only)."""
    rng = rng_for(world.seed, STAGE_AGENT_SURVEYS)
    period = world.period
    rows = Rows("agent_surveys")
    number = 0
    day = period.start.replace(day=15)
    while day < period.end:
        if day >= period.start:
            for agent in world.people.agents:
                if agent.hire > day or (agent.termination is not None and agent.termination <= day):
                    continue
                if rng.random() > 0.85:
                    continue
                number += 1
                mood = agent.morale + rng.normal(0, 0.7)
                anonymous = rng.random() < 0.25
                rows.add(
                    response_id=f"P{number:05d}",
                    agent_id=None if anonymous else agent.agent_id,
                    team_id=agent.team_at(date_epoch(day)),
                    survey_date=day,
                    satisfaction=int(np.clip(round(3.7 + 0.9 * mood), 1, 5)),
                    enps=int(np.clip(round(7.4 + 1.8 * mood), 0, 10)),
                )
        day = (day + timedelta(days=32)).replace(day=15)
    return rows.take()
