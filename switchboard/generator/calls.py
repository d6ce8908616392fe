"""Calls: arrivals in opening hours, queue waits driven by staffing, abandonment, handling."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np

from switchboard.generator.arrivals import draw_times
from switchboard.generator.common import SLOT
from switchboard.generator.people import QUEUE_TEAM, QUEUES
from switchboard.generator.surveys import call_survey
from switchboard.generator.world import RecentContact, World

QUEUE_TOPIC = {"billing": "billing", "support": "technical", "sales": "sales",
               "retention": "account"}  # fmt: skip
CALL_AHT = 330.0


@dataclass
class AnsweredCall:
    call_id: str
    queue: str
    customer: int  # -1 = unknown
    agent: int
    offered_at: int
    answered_at: int
    ended_at: int
    wait: int


def _wait_model(offered: int, agents: float) -> tuple[float, float]:
    """(probability of waiting, mean wait when waiting) for one 30-minute slot."""
    traffic = offered * CALL_AHT / SLOT
    servers = agents + 0.5
    rho = traffic / servers
    if rho >= 0.97:
        return 1.0, min(1200.0, CALL_AHT * (0.8 + rho))
    p_wait = rho ** math.sqrt(2 * (servers + 1))
    return p_wait, CALL_AHT / (servers * (1 - rho)) * 0.35


def simulate_calls(
    world: World, rng: np.random.Generator, day: date, counts: np.ndarray
) -> list[AnsweredCall]:
    """Write one local day's calls; returns the answered inbound calls (for phone tickets)."""
    period = world.period
    rows = world.rows["calls"]
    answered_calls: list[AnsweredCall] = []
    for q, queue in enumerate(QUEUES):
        n = int(counts[q])
        team_id = QUEUE_TEAM[queue]
        team = world.people.team(team_id)
        schedule = world.schedule_of(team_id)
        roster = world.people.rosters[team_id]
        offered = draw_times(rng, period, schedule, day, n, open_only=True)
        slots = offered // SLOT
        unique_slots, per_slot = np.unique(slots, return_counts=True)
        slot_load = dict(zip(unique_slots.tolist(), per_slot.tolist(), strict=True))
        patience = np.where(rng.random(n) < 0.06, rng.uniform(1, 5, n), rng.exponential(200, n))
        known = rng.random(n) < 0.9
        for i in range(n):
            t0 = int(offered[i])
            slot = int(slots[i])
            on_shift = roster.count_on_shift(slot * SLOT + SLOT // 2)
            p_wait, mean_wait = _wait_model(slot_load[slot], on_shift * team.phone_share)
            if rng.random() < p_wait:
                wait = int(rng.exponential(mean_wait)) + int(rng.integers(2, 9))
            else:
                wait = int(rng.integers(2, 9))
            customer = -1
            if known[i]:
                topic = QUEUE_TOPIC[queue]
                recent = world.recent_contact(rng, topic, t0) if rng.random() < 0.13 else None
                if recent is not None:
                    customer = recent.customer
                else:
                    customer = int(world.customers.pick(rng, np.array([t0]), np.array([False]))[0])
            call_id = world.ids["calls"].next()
            world.add_actual("phone", t0)
            if customer >= 0:
                world.remember_contact(
                    QUEUE_TOPIC[queue], RecentContact(t0, customer, "call", call_id)
                )
            agent, answer_at = -1, t0 + wait
            if patience[i] >= wait:
                agent, picked_at = roster.pick(answer_at, rng)
                if picked_at != answer_at:
                    agent = -1
            if agent < 0:
                gave_up = t0 + max(1, int(min(patience[i], 900)))
                if gave_up >= period.end_ts:
                    continue
                rows.add(
                    call_id=call_id, queue=queue, direction="inbound",
                    customer_id=world.customers.ids[customer] if customer >= 0 else None,
                    ticket_id=None, agent_id=None, offered_at=t0, answered_at=None,
                    abandoned_at=gave_up, ended_at=gave_up, talk_seconds=0, hold_seconds=0,
                    acw_seconds=0, transferred_to_queue=None,
                    updated_at=gave_up + int(rng.integers(5, 300)),
                )  # fmt: skip
                continue
            speed = world.people.agents[agent].speed
            talk = int(rng.lognormal(math.log(235 * speed), 0.6)) + 10
            hold = int(rng.lognormal(math.log(50), 0.7)) if rng.random() < 0.35 else 0
            acw = int(rng.lognormal(math.log(40 * speed), 0.6))
            ended = answer_at + talk + hold
            if ended + acw >= period.end_ts:
                continue
            transferred = None
            if rng.random() < 0.06:
                others = [other for other in QUEUES if other != queue]
                transferred = others[int(rng.integers(len(others)))]
            world.add_handling(agent, answer_at, talk + hold + acw)
            world.remember_qa(rng, agent, answer_at, "call", call_id)
            customer_id = world.customers.ids[customer] if customer >= 0 else None
            row = dict(
                call_id=call_id, queue=queue, direction="inbound", customer_id=customer_id,
                ticket_id=None, agent_id=world.people.agents[agent].agent_id, offered_at=t0,
                answered_at=answer_at, abandoned_at=None, ended_at=ended, talk_seconds=talk,
                hold_seconds=hold, acw_seconds=acw, transferred_to_queue=transferred,
                updated_at=min(period.end_ts - 1, ended + acw + int(rng.integers(5, 600))),
            )  # fmt: skip
            answered = AnsweredCall(call_id, queue, customer, agent, t0, answer_at, ended, wait)
            answered_calls.append(answered)
            world.pending_calls[call_id] = row
            if queue == "sales" and customer >= 0:
                world.sales_contacts.append(("call", call_id, customer, ended))
            if customer >= 0 and rng.random() < 0.2:
                call_survey(world, rng, answered, row, transferred is not None)
        # Outbound calls: call-backs and sales follow-ups by agents on shift.
        n_out = int(rng.binomial(max(n, 1), 0.05))
        for t0 in draw_times(rng, period, schedule, day, n_out, open_only=True).tolist():
            agent, picked_at = roster.pick(t0, rng)
            if agent < 0 or picked_at != t0:
                continue
            customer = int(world.customers.pick(rng, np.array([t0]), np.array([False]))[0])
            call_id = world.ids["calls"].next()
            if rng.random() < 0.75:
                answer_at = t0 + int(rng.integers(5, 30))
                talk = int(rng.lognormal(math.log(180), 0.6)) + 10
                acw = int(rng.lognormal(math.log(30), 0.5))
                ended = answer_at + talk
                agent_id: str | None = world.people.agents[agent].agent_id
                world.add_handling(agent, t0, ended - t0 + acw)
            else:
                answer_at, talk, acw, ended, agent_id = None, 0, 0, t0 + 35, None  # type: ignore[assignment]
            if ended + acw >= period.end_ts:
                continue
            world.pending_calls[call_id] = dict(
                call_id=call_id, queue=queue, direction="outbound",
                customer_id=world.customers.ids[customer], ticket_id=None, agent_id=agent_id,
                offered_at=t0, answered_at=answer_at, abandoned_at=None, ended_at=ended,
                talk_seconds=talk, hold_seconds=0, acw_seconds=acw, transferred_to_queue=None,
                updated_at=min(period.end_ts - 1, ended + acw + 60),
            )  # fmt: skip
    return answered_calls


def flush_calls(world: World, rng: np.random.Generator) -> None:
    """Move the day's answered calls (now possibly linked to tickets) into the output rows."""
    rows = world.rows["calls"]
    for call_id in sorted(world.pending_calls):
        row = world.pending_calls[call_id]
        if row["answered_at"] is not None and rng.random() < 0.03:
            # An earlier export, before after-call work was complete: dedupe must pick
            # the later row.
            early = dict(row)
            early["acw_seconds"] = 0
            early["updated_at"] = row["ended_at"] + 1
            if early["updated_at"] < row["updated_at"]:
                rows.add(**early)
        rows.add(**row)
    world.pending_calls.clear()
