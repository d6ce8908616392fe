"""Tickets and their event lifecycles (replies in business hours, transfers, reopens, merges)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from switchboard.generator.arrivals import draw_times
from switchboard.generator.calls import AnsweredCall
from switchboard.generator.common import DAY, choose, cumulative
from switchboard.generator.people import CHANNELS, TEAM_SPECS, TeamSpec
from switchboard.generator.surveys import ticket_survey
from switchboard.generator.world import RecentContact, World

CHANNEL_MIX = np.array([0.33, 0.22, 0.17, 0.04, 0.08, 0.16])  # as CHANNELS
OPEN_ONLY = {"chat", "phone"}
PRIORITIES = ("low", "normal", "high", "urgent")
PRIORITY_CUM = cumulative([0.15, 0.6, 0.2, 0.05])
ROUNDS_CUM = cumulative([0.45, 0.3, 0.15, 0.1])
PRIORITY_SPEED = {"low": 1.4, "normal": 1.0, "high": 0.6, "urgent": 0.3}
# First reply: (median seconds, sigma, counted in business time)
FIRST_REPLY = {
    "chat": (80, 0.9, False), "messaging": (900, 1.0, True), "social": (2400, 1.0, True),
    "email": (4200, 1.0, True), "web": (3600, 1.0, True), "phone": (3600, 1.0, True),
}  # fmt: skip
REPLY_HANDLE = {"chat": 720, "messaging": 420, "social": 330, "email": 640, "web": 600,
                "phone": 480}  # fmt: skip
LINK_SHARE = 0.3
REPEAT_SHARE = 0.2
MERGE_SHARE = 0.25
TRANSFER_SHARE = 0.08
REOPEN_SHARE = 0.07
CLOSE_UNSOLVED_SHARE = 0.03
CLOSE_AFTER = 4 * DAY


@dataclass
class Life:
    end: int
    events: list[tuple[int, str, str, int, bool | None, int | None, str | None, str | None]] = (
        field(default_factory=list)
    )
    alive: bool = True
    last: int = 0
    status: str = "new"

    def add(
        self,
        ts: int,
        event_type: str,
        actor: str,
        agent: int = -1,
        *,
        public: bool | None = None,
        handle: int | None = None,
        to_team: str | None = None,
        status: str | None = None,
    ) -> int | None:
        """Append an event (times never go backwards); None once past the export end."""
        if not self.alive:
            return None
        ts = max(int(ts), self.last)
        if ts >= self.end:
            self.alive = False
            return None
        self.last = ts
        self.events.append((ts, event_type, actor, agent, public, handle, to_team, status))
        if status is not None:
            self.status = status
        return ts


@dataclass
class Seed:
    created: int
    team: TeamSpec
    channel: str
    call: AnsweredCall | None


class TicketSimulator:
    def __init__(self, world: World, rng: np.random.Generator) -> None:
        self.world = world
        self.rng = rng
        self.people = world.people

    # -- helpers ----------------------------------------------------------------------

    def lognormal(self, median: float, sigma: float) -> int:
        return int(self.rng.lognormal(math.log(median), sigma))

    def handle(self, channel: str, agent: int) -> int:
        speed = self.people.agents[agent].speed
        return max(15, self.lognormal(REPLY_HANDLE[channel] * speed, 0.55))

    def pick(self, team_id: str, ts: int) -> tuple[int, int]:
        return self.people.rosters[team_id].pick(ts, self.rng)

    def when_agent(self, life: Life, agent: int, team_id: str, ts: int) -> tuple[int, int]:
        """(agent, time) the agent can act at ts; reassign if they are gone for long."""
        following = self.people.agents[agent].next_on_shift(ts)
        if following is not None and following - ts < 3 * DAY:
            if following > ts:
                following += int(self.rng.integers(0, 1800))
            return agent, following
        other, at = self.pick(team_id, ts)
        if other < 0:
            return agent, life.end + DAY
        life.add(at, "assigned", "system", other)
        return other, at + int(self.rng.integers(60, 1200))

    def reply_delay(self, team_id: str, ts: int, median: float, business: bool) -> int:
        delay = self.rng.lognormal(math.log(median), 1.0)
        if business:
            return self.world.schedule_of(team_id).add_business(ts, delay)
        return ts + int(delay)

    # -- one day ----------------------------------------------------------------------

    def seeds_for_day(
        self, day: date, counts: np.ndarray, answered: list[AnsweredCall]
    ) -> list[Seed]:
        rng, world = self.rng, self.world
        seeds: list[Seed] = []
        by_queue: dict[str, list[AnsweredCall]] = {}
        for call in answered:
            by_queue.setdefault(call.queue, []).append(call)
        for t, team in enumerate(TEAM_SPECS):
            n = int(counts[t])
            linked: list[AnsweredCall] = []
            calls = by_queue.get(team.queue or "", [])
            if calls:
                k = min(int(rng.binomial(n, LINK_SHARE)), len(calls))
                chosen = np.sort(rng.choice(len(calls), size=k, replace=False))
                linked = [calls[int(i)] for i in chosen]
            seeds.extend(Seed(c.offered_at, team, "phone", c) for c in linked)
            m = n - len(linked)
            schedule = world.schedule_of(team.team_id)
            channels = rng.choice(len(CHANNELS), size=m, p=CHANNEL_MIX)
            names = [CHANNELS[c] for c in channels]
            if schedule.open_window(day) is None:
                names = ["email" if c in OPEN_ONLY else c for c in names]
            n_open = sum(1 for c in names if c in OPEN_ONLY)
            open_times = draw_times(rng, world.period, schedule, day, n_open, open_only=True)
            any_times = draw_times(rng, world.period, schedule, day, m - n_open, open_only=False)
            i_open = i_any = 0
            for channel in names:
                if channel in OPEN_ONLY:
                    seeds.append(Seed(int(open_times[i_open]), team, channel, None))
                    i_open += 1
                else:
                    seeds.append(Seed(int(any_times[i_any]), team, channel, None))
                    i_any += 1
        seeds.sort(key=lambda s: (s.created, s.team.team_id, s.channel))
        return seeds

    def run_day(self, day: date, counts: np.ndarray, answered: list[AnsweredCall]) -> None:
        for seed in self.seeds_for_day(day, counts, answered):
            self.ticket(seed)

    # -- one ticket -------------------------------------------------------------------

    def ticket(self, seed: Seed) -> None:
        rng, world, people = self.rng, self.world, self.people
        team = seed.team
        topics = list(team.topics)
        topic = topics[choose(rng, cumulative(list(team.topics.values())))]
        priority = PRIORITIES[choose(rng, PRIORITY_CUM)]
        if team.team_id == "T06" and priority in ("low", "normal") and rng.random() < 0.4:
            priority = "high"
        created = seed.created
        merged_into: str | None = None
        customer = seed.call.customer if seed.call is not None else -1
        if customer < 0 and seed.call is None and rng.random() < REPEAT_SHARE:
            recent = world.recent_contact(rng, topic, created)
            if recent is not None:
                customer = recent.customer
                if (
                    recent.kind == "ticket"
                    and created - recent.ts < 2 * DAY
                    and rng.random() < MERGE_SHARE
                ):
                    merged_into = recent.contact_id
        if customer < 0:
            customer = int(
                world.customers.pick(rng, np.array([created]), np.array([team.team_id == "T06"]))[0]
            )
        ticket_id = world.ids["tickets"].next()
        if seed.channel == "phone" and seed.call is None:
            world.add_actual("phone", created)
        elif seed.channel != "phone":
            world.add_actual(seed.channel, created)
        if merged_into is None:
            world.remember_contact(topic, RecentContact(created, customer, "ticket", ticket_id))
        if topic == "sales":
            world.sales_contacts.append(("ticket", ticket_id, customer, created))
        if seed.call is None and rng.random() < 0.6:
            world.precontact.append((customer, created, topic))

        life = Life(world.period.end_ts)
        outcome = self.lifecycle(life, seed, ticket_id, customer, merged_into)
        team_id, solved_at, info = outcome
        status = life.status
        rows = world.rows["ticket_events"]
        for ts, event_type, actor, agent, public, handle, to_team, new_status in life.events:
            agent_id = people.agents[agent].agent_id if agent >= 0 else None
            rows.add(
                event_id=world.ids["ticket_events"].next(), ticket_id=ticket_id, event_at=ts,
                event_type=event_type, actor_type=actor, agent_id=agent_id, is_public=public,
                handle_seconds=handle, to_team_id=to_team, new_status=new_status,
            )  # fmt: skip
            if handle and agent >= 0:
                world.add_handling(agent, ts - handle, handle)
        ticket_row = dict(
            ticket_id=ticket_id, customer_id=world.customers.ids[customer],
            channel=seed.channel, topic=topic, priority=priority, created_at=created,
            status=status, team_id=team_id, merged_into_ticket_id=merged_into,
            updated_at=life.last,
        )  # fmt: skip
        statuses = [(e[0], e[7]) for e in life.events if e[7] is not None]
        if len(statuses) >= 3 and rng.random() < 0.03:
            ts, earlier = statuses[len(statuses) // 2 - 1]
            if ts < life.last:  # an earlier export of the same ticket
                world.rows["tickets"].add(**{**ticket_row, "status": earlier, "updated_at": ts})
        world.rows["tickets"].add(**ticket_row)
        if seed.call is not None:
            world.pending_calls[seed.call.call_id]["ticket_id"] = ticket_id
        elif solved_at is not None and merged_into is None and rng.random() < 0.2:
            ticket_survey(
                world, rng, ticket_id=ticket_id, customer=customer, agent=info["solver"],
                channel=seed.channel, first_reply_seconds=info["first_reply"],
                solved_at=solved_at, reopened=info["reopened"], auto_solved=info["auto"],
                agent_replies=info["replies"], transferred=info["transferred"],
            )  # fmt: skip

    def lifecycle(
        self,
        life: Life,
        seed: Seed,
        ticket_id: str,
        customer: int,
        merged_into: str | None,
    ) -> tuple[str | None, int | None, dict[str, object]]:
        """Simulate the events; returns (current team, final solve time, survey facts)."""
        rng, world = self.rng, self.world
        team_id: str | None = seed.team.team_id
        channel = seed.channel
        created = seed.created
        call = seed.call
        info: dict[str, object] = {"first_reply": None, "reopened": False, "auto": False,
                                   "replies": 0, "transferred": False, "solver": -1}  # fmt: skip
        actor = "system" if call is not None or (channel == "social" and rng.random() < 0.5) else (
            "customer")  # fmt: skip
        life.add(created, "created", actor)
        life.add(created, "status_changed", "system", status="new")

        if merged_into is None and call is None and rng.random() < CLOSE_UNSOLVED_SHARE:
            # Spam / duplicates closed without a solution, some before any routing.
            if rng.random() < 0.5:
                life.add(created + self.lognormal(1800, 1.0), "status_changed", "system",
                         status="closed")  # fmt: skip
                return None, None, info
            agent, at = self.pick(seed.team.team_id, created + self.lognormal(300, 1.0))
            if agent >= 0 and life.add(at, "assigned", "system", agent) is not None:
                life.add(at + self.lognormal(900, 1.0), "status_changed", "agent", agent,
                         status="closed")  # fmt: skip
            return (team_id if life.last > created else None), None, info

        # Routing to an agent.
        if call is not None:
            agent, assigned_at = call.agent, call.answered_at
        else:
            agent, assigned_at = self.pick(seed.team.team_id, created + self.lognormal(90, 1.2))
        if agent < 0 or life.add(assigned_at, "assigned", "system", agent) is None:
            return None, None, info  # still new and unrouted at the export

        if merged_into is not None:
            at = self.when_agent(life, agent, team_id, assigned_at)[1] + self.lognormal(600, 1)
            life.add(at, "internal_note", "agent", agent, public=False, handle=45)
            life.add(at, "status_changed", "agent", agent, status="closed")
            return team_id, None, info

        # Transfer before the first reply.
        if rng.random() < TRANSFER_SHARE:
            others = [t.team_id for t in TEAM_SPECS if t.team_id != team_id]
            target = others[int(rng.integers(len(others)))]
            agent, at = self.when_agent(life, agent, team_id, assigned_at + self.lognormal(900, 1))
            new_agent, new_at = self.pick(target, at)
            if new_agent >= 0:
                if rng.random() < 0.5:
                    life.add(at, "internal_note", "agent", agent, public=False,
                             handle=self.lognormal(110, 0.5))  # fmt: skip
                if life.add(new_at, "transferred", "agent", new_agent, to_team=target) is None:
                    return team_id, None, info
                team_id, agent, assigned_at = target, new_agent, new_at
                info["transferred"] = True

        # First reply.
        median, sigma, business = FIRST_REPLY[channel]
        if call is not None:
            reply_at = call.ended_at
            handle: int | None = None
        else:
            wait = (
                median
                * PRIORITY_SPEED["urgent" if seed.team.team_id == "T06" else "normal"]
                * float(rng.lognormal(0, sigma - 0.6))
            )
            reply_at = self.reply_delay(team_id, assigned_at, wait, business)
            agent, reply_at = self.when_agent(life, agent, team_id, reply_at)
            handle = self.handle(channel, agent)
            if rng.random() < 0.25:
                life.add(reply_at, "internal_note", "agent", agent, public=False,
                         handle=self.lognormal(110, 0.6))  # fmt: skip
                reply_at += int(rng.integers(30, 300))
        first = life.add(reply_at, "agent_reply", "agent", agent, public=True, handle=handle)
        if first is None:
            return team_id, None, info
        info["first_reply"] = first - created
        info["replies"] = 1
        info["solver"] = agent
        world.remember_qa(rng, agent, first, "ticket", ticket_id)

        rounds = choose(rng, ROUNDS_CUM)
        solve_now = rounds == 0 and rng.random() < (0.65 if call is not None else 0.85)
        last = first
        if solve_now:
            solved = life.add(last, "status_changed", "agent", agent, status="solved")
        else:
            on_hold = rng.random() < 0.05
            life.add(last, "status_changed", "agent", agent,
                     status="on_hold" if on_hold else "pending")  # fmt: skip
            if on_hold:
                at = last + self.lognormal(2 * DAY, 0.6)
                agent, at = self.when_agent(life, agent, team_id, at)
                if life.add(at, "agent_reply", "agent", agent, public=True,
                            handle=self.handle(channel, agent)) is None:  # fmt: skip
                    return team_id, None, info
                info["replies"] = int(info["replies"]) + 1  # type: ignore[call-overload]
                last = at
                life.add(at, "status_changed", "agent", agent, status="pending")
            solved = None
            for round_index in range(max(rounds, 1)):
                if rng.random() < 0.12 or (rounds == 0 and round_index == 0):
                    # The customer never answers: solved automatically after 4 days.
                    solved = life.add(last + 4 * DAY, "status_changed", "system",
                                      status="solved")  # fmt: skip
                    info["auto"] = True
                    break
                at = last + self.lognormal(5 * 3600, 1.1)
                if life.add(at, "customer_message", "customer") is None:
                    return team_id, None, info
                life.add(at, "status_changed", "system", status="open")
                at = self.reply_delay(team_id, at, 5400 * (0.1 if channel == "chat" else 1),
                                      business and channel != "chat")  # fmt: skip
                agent, at = self.when_agent(life, agent, team_id, at)
                if life.add(at, "agent_reply", "agent", agent, public=True,
                            handle=self.handle(channel, agent)) is None:  # fmt: skip
                    return team_id, None, info
                info["replies"] = int(info["replies"]) + 1  # type: ignore[call-overload]
                info["solver"] = agent
                last = at
                if round_index == rounds - 1:
                    solved = life.add(at + int(rng.integers(0, 2)) * 30, "status_changed",
                                      "agent", agent, status="solved")  # fmt: skip
                else:
                    life.add(at, "status_changed", "agent", agent, status="pending")
        if solved is None:
            return team_id, None, info
        final_solve = solved
        if rng.random() < REOPEN_SHARE:
            at = solved + min(self.lognormal(20 * 3600, 0.8), int(3.5 * DAY))
            if life.add(at, "customer_message", "customer") is not None:
                life.add(at, "status_changed", "system", status="open")
                info["reopened"] = True
                at = self.reply_delay(team_id, at, 3600, business)
                agent, at = self.when_agent(life, agent, team_id, at)
                if life.add(at, "agent_reply", "agent", agent, public=True,
                            handle=self.handle(channel, agent)) is not None:  # fmt: skip
                    info["replies"] = int(info["replies"]) + 1  # type: ignore[call-overload]
                    info["solver"] = agent
                    resolved_again = life.add(at + 30, "status_changed", "agent", agent,
                                              status="solved")  # fmt: skip
                    final_solve = resolved_again if resolved_again is not None else final_solve
        if life.status == "solved":
            life.add(life.last + CLOSE_AFTER, "status_changed", "system", status="closed")
        if life.status not in ("solved", "closed"):
            return team_id, None, info
        return team_id, final_solve, info
