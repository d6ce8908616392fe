"""The KPI catalog recomputed in plain Python from the staged raw rows.

Implements docs/spec/kpis.md with the readings of docs/kpi_decisions.md. Where that
document still leaves room, the oracle reads it as follows:

- business seconds are signed (end before start gives a negative count);
- `aht` (calls + tickets) has the scopes both groups share: overall, team, agent;
- contacts_per_hour: interactions and (handling + available) hours are summed
  independently per period and scope (each dated and attributed by its own row);
- transfer_rate numerator is not restricted to handled contacts (literal reading);
- backlog: the ticket counts at the end of local day D (its schedule's midnight) if
  created before it and its latest status_changed before it is not solved/closed
  (none = open); the last day is the as-of instant's date in the `default` schedule;
  age buckets [0, 1), [1, 3), [3, 7), [7, inf) days from created_at to the day end;
- deflection_rate: contacts are non-merged tickets and all inbound calls;
- churn_rate and agent_attrition_rate: months from the first to the as-of month of the
  loaded activity (tickets, events, calls), in the `default` schedule;
- calibration: a session's benchmark is its first benchmark evaluation;
- Erlang C with no traffic needs 1 agent; a forecast without AHT and required_agents
  adds nothing to the requirement;
- optional tables that are absent produce no rows for the KPIs that need them.
"""

from __future__ import annotations

import gc
import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from .business import Schedule, build_schedules
from .erlang import required_agents
from .parsing import Loaded, Row, load

Key = tuple[str, str, date, str, str]
Dims = dict[str, str | None]

SERVICE_LEVEL_THRESHOLD = 20.0
SHORT_ABANDON = 5.0
REPEAT_WINDOW = 7 * 86_400
DEFLECTION_WINDOW = 24 * 3600
ADOPTION_WINDOW = 30 * 86_400
QA_PASS_MARK = 85.0
CALIBRATION_TOLERANCE = 5.0
STAFFING_TARGET_SL = 80.0
SAME_DAY = 86_400
INTERVAL = 1800

TICKET = ("channel", "team", "agent", "topic", "priority")
CALL = ("queue", "team", "agent")
SURVEY = ("channel", "team", "agent")
QA = ("team", "agent")
AGENT_TIME = ("team", "agent")
CONTACT = ("channel", "topic", "team")
BACKLOG = ("channel", "team", "topic", "priority")

# kpi_id -> (kind, scope types besides overall)
CATALOG: dict[str, tuple[str, tuple[str, ...]]] = {
    # calls
    "asa": ("duration", CALL),
    "service_level": ("pct", CALL),
    "abandonment_rate": ("pct", CALL),
    "aht_calls": ("duration", CALL),
    # surveys
    "csat": ("pct", SURVEY),
    "csat_avg_score": ("mean", SURVEY),
    "dsat": ("pct", SURVEY),
    "nps": ("nps", SURVEY),
    "ces": ("mean", SURVEY),
    "ces_easy_rate": ("pct", SURVEY),
    "fcr_rate": ("pct", SURVEY),
    "resolution_rate": ("pct", SURVEY),
    # tickets
    "first_reply_time": ("duration", TICKET),
    "first_reply_time_business": ("duration", TICKET),
    "unreplied_tickets": ("count", TICKET),
    "same_day_response_rate": ("pct", TICKET),
    "time_to_first_solution": ("duration", TICKET),
    "resolution_time": ("duration", TICKET),
    "resolution_time_business": ("duration", TICKET),
    "reopen_rate": ("pct", TICKET),
    "one_touch_resolution_rate": ("pct", TICKET),
    "contacts_per_resolution": ("ratio", TICKET),
    "turnaround_time": ("duration", TICKET),
    "aht_tickets": ("duration", TICKET),
    "aht": ("duration", ("team", "agent")),
    # QA
    "qa_score": ("mean", QA),
    "critical_error_rate": ("pct", QA),
    "agent_quality_rate": ("pct", QA),
    "qa_calibration_variance": ("mean", QA),
    "calibration_within_tolerance_rate": ("pct", QA),
    "training_error_share": ("pct", QA),
    # agent time
    "utilization": ("pct", AGENT_TIME),
    "occupancy": ("pct", AGENT_TIME),
    "absenteeism_rate": ("pct", AGENT_TIME),
    "contacts_per_hour": ("ratio", AGENT_TIME),
    "solved_per_agent_day": ("ratio", AGENT_TIME),
    # contacts
    "contact_volume": ("count", CONTACT),
    "repeat_contact_rate": ("pct", CONTACT),
    "transfer_rate": ("pct", CONTACT),
    "conversion_rate": ("pct", CONTACT),
    # SLA
    "sla_first_reply_compliance": ("pct", TICKET),
    "sla_resolution_compliance": ("pct", TICKET),
    # backlog
    "backlog": ("count", BACKLOG),
    "backlog_age_0_1": ("count", BACKLOG),
    "backlog_age_1_3": ("count", BACKLOG),
    "backlog_age_3_7": ("count", BACKLOG),
    "backlog_age_7_plus": ("count", BACKLOG),
    # forecast and staffing
    "forecast_accuracy": ("accuracy", ("channel",)),
    "forecast_mape": ("mean", ("channel",)),
    "staffing_ratio": ("pct", ()),
    # cost (month grain only)
    "cost_per_contact": ("ratio", ("team",)),
    "cost_per_resolution": ("ratio", ("team",)),
    # self-service
    "self_service_ratio": ("ratio", ("topic",)),
    "deflection_rate": ("pct", ("topic",)),
    "article_read_time": ("duration", ("topic",)),
    # loyalty
    "churn_rate": ("pct", ()),
    "renewal_rate": ("pct", ()),
    "product_adoption_rate": ("pct", ()),
    # workforce
    "agent_satisfaction": ("mean", ("team",)),
    "enps": ("nps", ("team",)),
    "agent_attrition_rate": ("pct", ("team",)),
}
MONTH_ONLY = {
    "cost_per_contact",
    "cost_per_resolution",
    "churn_rate",
    "renewal_rate",
    "agent_attrition_rate",
}

GRAINS = ("day", "week", "month")


def percentile_cont(values: list[float], fraction: float) -> float:
    """Continuous percentile with linear interpolation (numpy default, SQL percentile_cont)."""
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


_PERIOD_CACHE: dict[date, tuple[tuple[str, date], ...]] = {}


def periods(day: date) -> tuple[tuple[str, date], ...]:
    found = _PERIOD_CACHE.get(day)
    if found is None:
        found = (
            ("day", day),
            ("week", day - timedelta(days=day.weekday())),
            ("month", day.replace(day=1)),
        )
        _PERIOD_CACHE[day] = found
    return found


def scopes_of(kpi: str, dims: Dims) -> list[tuple[str, str]]:
    out = [("overall", "*")]
    for scope_type in CATALOG[kpi][1]:
        value = dims.get(scope_type)
        if value is not None:
            out.append((scope_type, value))
    return out


class Accumulator:
    """Sums of numerator and denominator (and duration samples) per KPI, day and scope.

    Facts are summed per local day; `rolled_up` adds the week and month cells.
    """

    def __init__(self) -> None:
        self.cells: dict[Key, list[Any]] = {}
        self.agent_days: dict[Key, float] = {}  # solved_per_agent_day denominators

    def add(
        self,
        kpi: str,
        day: date,
        dims: Dims,
        num: float,
        den: float = 0.0,
        sample: float | None = None,
    ) -> None:
        cells = self.cells
        for scope_type, scope_value in scopes_of(kpi, dims):
            key = (kpi, "day", day, scope_type, scope_value)
            cell = cells.get(key)
            if cell is None:
                cell = cells[key] = [0.0, 0.0, []]
            cell[0] += num
            cell[1] += den
            if sample is not None:
                cell[2].append(sample)

    def duration(self, kpi: str, day: date, dims: Dims, seconds: float) -> None:
        self.add(kpi, day, dims, seconds, 1.0, seconds)

    def rolled_up(self) -> dict[Key, list[Any]]:
        out: dict[Key, list[Any]] = {}
        for (kpi, _, day, scope_type, scope_value), (num, den, samples) in self.cells.items():
            for grain, start in periods(day):
                key = (kpi, grain, start, scope_type, scope_value)
                cell = out.get(key)
                if cell is None:
                    cell = out[key] = [0.0, 0.0, []]
                cell[0] += num
                cell[1] += den
                cell[2].extend(samples)
        for key in [k for k in out if k[0] == "solved_per_agent_day"]:
            out[key][1] = 0.0
        for key, days in self.agent_days.items():
            out.setdefault(key, [0.0, 0.0, []])[1] = days
        return out


def output_row(
    kind: str, num: float, den: float | None, samples: list[float]
) -> dict[str, Any] | None:
    """One kpi_values row from its sums, or None when the row does not exist."""
    p50 = p90 = None
    if kind == "count":
        if num <= 0:
            return None
        return {"numerator": num, "denominator": None, "value": num, "p50": None, "p90": None}
    if den is None or den == 0:
        # docs/kpi_decisions.md: a row exists when the numerator or the denominator
        # is non-zero; a zero denominator gives value NULL.
        if num == 0:
            return None
        return {
            "numerator": num,
            "denominator": den or 0.0,
            "value": None,
            "p50": None,
            "p90": None,
        }
    if kind == "pct" or kind == "nps":
        value = 100.0 * num / den
    elif kind == "accuracy":
        value = 100.0 - 100.0 * num / den
    else:
        value = num / den
    if kind == "duration":
        p50 = percentile_cont(samples, 0.5)
        p90 = percentile_cont(samples, 0.9)
    return {"numerator": num, "denominator": den, "value": value, "p50": p50, "p90": p90}


# ---------------------------------------------------------------------------
# The data model the KPIs read
# ---------------------------------------------------------------------------


@dataclass
class Model:
    loaded: Loaded
    schedules: dict[str, Schedule]
    default: Schedule
    team_schedule: dict[str, str]
    agent_team: dict[str, str | None]
    history: dict[str, list[tuple[float, float | None, str]]]
    tickets: dict[str, Row]
    events: dict[str, list[Row]]
    calls: list[Row]
    as_of: float
    first_instant: float

    def schedule_of_team(self, team: str | None) -> Schedule:
        if team is None:
            return self.default
        sid = self.team_schedule.get(team)
        if sid is None:
            return self.default
        return self.schedules.get(sid, self.default)

    def team_at(self, agent: str | None, at: float) -> str | None:
        if agent is None:
            return None
        best: tuple[float, str] | None = None
        for valid_from, valid_to, team in self.history.get(agent, ()):
            if (
                valid_from <= at
                and (valid_to is None or at < valid_to)
                and (best is None or valid_from > best[0])
            ):
                best = (valid_from, team)
        if best is not None:
            return best[1]
        return self.agent_team.get(agent)

    def attributed_team(self, agent: str | None, at: float, fallback: str | None) -> str | None:
        team = self.team_at(agent, at)
        return team if team is not None else fallback


def build_model(landing_dir: Path, seeds_dir: Path) -> Model:
    loaded = load(landing_dir, seeds_dir)
    t = loaded.tables
    schedules = build_schedules(t["schedules"], t["holidays"])
    default = schedules["default"]
    team_schedule = {r["team_id"]: r["schedule_id"] or "default" for r in t["teams"]}
    agent_team = {r["agent_id"]: r["team_id"] for r in t["agents"]}
    history: dict[str, list[tuple[float, float | None, str]]] = defaultdict(list)
    for r in t["agent_team_history"]:
        history[r["agent_id"]].append((r["valid_from"], r["valid_to"], r["team_id"]))
    tickets = {r["ticket_id"]: r for r in t["tickets"]}
    events: dict[str, list[Row]] = defaultdict(list)
    for r in t["ticket_events"]:
        events[r["ticket_id"]].append(r)
    for evs in events.values():
        evs.sort(key=lambda e: (e["event_at"], e["event_id"]))
    stamps = [r["created_at"] for r in t["tickets"]]
    stamps += [r["event_at"] for r in t["ticket_events"]]
    stamps += [r["offered_at"] for r in t["calls"]]
    stamps += [r["ended_at"] for r in t["calls"] if r["ended_at"] is not None]
    as_of = max(stamps) if stamps else 0.0
    first_instant = min(stamps) if stamps else 0.0
    return Model(
        loaded,
        schedules,
        default,
        team_schedule,
        agent_team,
        dict(history),
        tickets,
        dict(events),
        t["calls"],
        as_of,
        first_instant,
    )


# ---------------------------------------------------------------------------
# Ticket lifecycle
# ---------------------------------------------------------------------------

REOPEN_TARGETS = {"new", "open", "pending", "on_hold"}
DONE = {"solved", "closed"}


@dataclass
class Lifecycle:
    events: list[Row]
    first_reply: Row | None
    public_replies: int
    first_solve: int | None  # event index
    reopened: bool
    resolution: int | None  # event index of the final resolution

    def last_reply_at_or_before(self, index: int) -> Row | None:
        for event in reversed(self.events[: index + 1]):
            if event["event_type"] == "agent_reply" and event["is_public"] is True:
                return event
        return None


def lifecycle(events: list[Row]) -> Lifecycle:
    first_reply: Row | None = None
    replies = 0
    previous: str | None = None
    solves: list[int] = []
    closes: list[int] = []
    last_reopen = -1
    reopened = False
    last_status: int | None = None
    for index, event in enumerate(events):
        kind = event["event_type"]
        if kind == "agent_reply" and event["is_public"] is True:
            replies += 1
            if first_reply is None:
                first_reply = event
        elif kind == "status_changed":
            status = event["new_status"]
            if status in REOPEN_TARGETS and previous in DONE:
                reopened = True
                last_reopen = index
            if status == "solved":
                solves.append(index)
            elif status == "closed":
                closes.append(index)
            previous = status
            last_status = index
    resolution: int | None = None
    if last_status is not None and events[last_status]["new_status"] in DONE:
        after = [i for i in solves if i > last_reopen]
        resolution = after[-1] if after else next(i for i in closes if i > last_reopen)
    return Lifecycle(
        events, first_reply, replies, solves[0] if solves else None, reopened, resolution
    )


# ---------------------------------------------------------------------------
# KPI groups
# ---------------------------------------------------------------------------


def _call_kpis(m: Model, acc: Accumulator) -> None:
    for call in m.calls:
        if call["direction"] != "inbound":
            continue
        offered = call["offered_at"]
        answered = call["answered_at"]
        agent = call["agent_id"] if answered is not None else None
        team = m.team_at(agent, offered)
        schedule = m.schedule_of_team(team)
        dims: Dims = {"queue": call["queue"], "team": team, "agent": agent}
        day = schedule.local_date(offered)
        abandoned = call["abandoned_at"]
        short = abandoned is not None and abandoned - offered < SHORT_ABANDON
        if not short:
            acc.add(
                "service_level",
                day,
                dims,
                float(answered is not None and answered - offered <= SERVICE_LEVEL_THRESHOLD),
                1.0,
            )
            acc.add("abandonment_rate", day, dims, float(abandoned is not None), 1.0)
        if answered is not None:
            acc.duration("asa", day, dims, answered - offered)
            handle = float(
                (call["talk_seconds"] or 0)
                + (call["hold_seconds"] or 0)
                + (call["acw_seconds"] or 0)
            )
            answer_day = schedule.local_date(answered)
            acc.duration("aht_calls", answer_day, dims, handle)
            acc.duration("aht", answer_day, dims, handle)
            acc.add("contacts_per_hour", answer_day, dims, 1.0, 0.0)


def _survey_kpis(m: Model, acc: Accumulator) -> None:
    for r in m.loaded.tables["survey_responses"]:
        ticket = m.tickets.get(r["contact_id"]) if r["contact_type"] == "ticket" else None
        if r["contact_type"] == "call":
            channel: str | None = "phone"
        else:
            channel = ticket["channel"] if ticket is not None else None
        responded = r["responded_at"]
        team = m.attributed_team(
            r["agent_id"], responded, ticket["team_id"] if ticket is not None else None
        )
        day = m.schedule_of_team(team).local_date(responded)
        dims: Dims = {"channel": channel, "team": team, "agent": r["agent_id"]}
        score = r["score"]
        kind = r["survey_type"]
        if kind == "csat":
            acc.add("csat", day, dims, float(score >= 4), 1.0)
            acc.add("csat_avg_score", day, dims, float(score), 1.0)
            acc.add("dsat", day, dims, float(score <= 2), 1.0)
            if score <= 2 and r["root_cause"] is not None:
                acc.add(
                    "training_error_share", day, dims, float(r["root_cause"] == "training"), 1.0
                )
        elif kind == "nps":
            acc.add("nps", day, dims, float(score >= 9) - float(score <= 6), 1.0)
        elif kind == "ces":
            acc.add("ces", day, dims, float(score), 1.0)
            acc.add("ces_easy_rate", day, dims, float(score >= 5), 1.0)
        if r["resolved_first_contact"] is not None:
            acc.add("fcr_rate", day, dims, float(r["resolved_first_contact"]), 1.0)
        if r["resolved"] is not None:
            acc.add("resolution_rate", day, dims, float(r["resolved"]), 1.0)


def _ticket_kpis(m: Model, acc: Accumulator, inbound_calls_by_ticket: dict[str, int]) -> None:
    policies = {(p["priority"], p["channel"]): p for p in m.loaded.tables["sla_policies"]}
    for tid, ticket in m.tickets.items():
        if ticket["merged_into_ticket_id"] is not None:
            continue
        schedule = m.schedule_of_team(ticket["team_id"])
        created = ticket["created_at"]
        created_day = schedule.local_date(created)
        events = m.events.get(tid, [])
        life = lifecycle(events)
        base: Dims = {
            "channel": ticket["channel"],
            "topic": ticket["topic"],
            "priority": ticket["priority"],
            "team": ticket["team_id"],
            "agent": None,
        }

        def attributed(event: Row | None, base: Dims = base) -> Dims:
            if event is None:
                return base
            agent = event["agent_id"]
            team = m.attributed_team(agent, event["event_at"], base["team"])
            return {**base, "agent": agent, "team": team}

        policy = policies.get((ticket["priority"], ticket["channel"])) or policies.get(
            (ticket["priority"], "*")
        )

        def elapsed(start: float, end: float, policy: Row, schedule: Schedule = schedule) -> float:
            if policy["business_hours"]:
                return schedule.business_seconds(start, end)
            return end - start

        # first reply
        reply = life.first_reply
        reply_dims = attributed(reply)
        if reply is not None:
            seconds = reply["event_at"] - created
            acc.duration("first_reply_time", created_day, reply_dims, seconds)
            acc.duration(
                "first_reply_time_business",
                created_day,
                reply_dims,
                schedule.business_seconds(created, reply["event_at"]),
            )
            acc.add(
                "same_day_response_rate", created_day, reply_dims, float(seconds <= SAME_DAY), 1.0
            )
        else:
            acc.add("unreplied_tickets", created_day, reply_dims, 1.0, 0.0)
            acc.add("same_day_response_rate", created_day, reply_dims, 0.0, 1.0)
        if policy is not None and policy["first_reply_target_minutes"] is not None:
            target = policy["first_reply_target_minutes"] * 60
            if reply is not None:
                met = elapsed(created, reply["event_at"], policy) <= target
                acc.add("sla_first_reply_compliance", created_day, reply_dims, float(met), 1.0)
            elif elapsed(created, m.as_of, policy) > target:
                acc.add("sla_first_reply_compliance", created_day, reply_dims, 0.0, 1.0)

        # first solve
        if life.first_solve is not None:
            solve = events[life.first_solve]
            solve_day = schedule.local_date(solve["event_at"])
            dims = attributed(life.last_reply_at_or_before(life.first_solve))
            acc.duration("time_to_first_solution", solve_day, dims, solve["event_at"] - created)
            acc.add("reopen_rate", solve_day, dims, float(life.reopened), 1.0)

        # final resolution
        if life.resolution is not None:
            resolved_at = events[life.resolution]["event_at"]
            day = schedule.local_date(resolved_at)
            dims = attributed(life.last_reply_at_or_before(life.resolution))
            acc.duration("resolution_time", day, dims, resolved_at - created)
            acc.duration(
                "resolution_time_business",
                day,
                dims,
                schedule.business_seconds(created, resolved_at),
            )
            one_touch = life.public_replies == 1 and not life.reopened
            acc.add("one_touch_resolution_rate", day, dims, float(one_touch), 1.0)
            contacts = sum(
                1 for e in events if e["event_type"] in ("created", "customer_message")
            ) + inbound_calls_by_ticket.get(tid, 0)
            acc.add("contacts_per_resolution", day, dims, float(contacts), 1.0)
            acc.add("solved_per_agent_day", day, dims, 1.0, 0.0)
            acc.add("cost_per_resolution", day, dims, 0.0, 1.0)
            if policy is not None and policy["resolution_target_minutes"] is not None:
                target = policy["resolution_target_minutes"] * 60
                met = elapsed(created, resolved_at, policy) <= target
                acc.add("sla_resolution_compliance", created_day, dims, float(met), 1.0)
        elif policy is not None and policy["resolution_target_minutes"] is not None:
            target = policy["resolution_target_minutes"] * 60
            if elapsed(created, m.as_of, policy) > target:
                acc.add("sla_resolution_compliance", created_day, base, 0.0, 1.0)

        # turnaround and handle time
        for index, event in enumerate(events):
            kind = event["event_type"]
            if kind in ("assigned", "transferred") and event["agent_id"] is not None:
                agent = event["agent_id"]
                for later in events[index + 1 :]:
                    if later["event_type"] in ("assigned", "transferred"):
                        break
                    if (
                        later["event_type"] == "agent_reply"
                        and later["is_public"] is True
                        and later["agent_id"] == agent
                    ):
                        acc.duration(
                            "turnaround_time",
                            schedule.local_date(event["event_at"]),
                            attributed(event),
                            later["event_at"] - event["event_at"],
                        )
                        break
            if kind in ("agent_reply", "internal_note") and (event["handle_seconds"] or 0) > 0:
                day = schedule.local_date(event["event_at"])
                dims = attributed(event)
                acc.duration("aht_tickets", day, dims, float(event["handle_seconds"]))
                acc.duration("aht", day, dims, float(event["handle_seconds"]))
                acc.add("contacts_per_hour", day, dims, 1.0, 0.0)


def _qa_kpis(m: Model, acc: Accumulator, result: dict[Key, dict[str, Any]]) -> None:
    evaluations = m.loaded.tables["qa_evaluations"]
    benchmarks: dict[str, float] = {}
    for r in sorted(evaluations, key=lambda r: (r["evaluated_at"], r["evaluation_id"])):
        if r["is_calibration"] and r["is_benchmark"] is True:
            benchmarks.setdefault(r["calibration_session_id"], r["score_pct"])
    quality: dict[Key, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for r in evaluations:
        agent = r["agent_id"]
        at = r["evaluated_at"]
        team = m.team_at(agent, at)
        day = m.schedule_of_team(team).local_date(at)
        dims: Dims = {"team": team, "agent": agent}
        score = r["score_pct"]
        if r["is_calibration"]:
            if r["is_benchmark"] is True:
                continue
            benchmark = benchmarks.get(r["calibration_session_id"])
            if benchmark is None:
                continue
            diff = abs(score - benchmark)
            acc.add("qa_calibration_variance", day, dims, diff, 1.0)
            acc.add(
                "calibration_within_tolerance_rate",
                day,
                dims,
                float(diff <= CALIBRATION_TOLERANCE),
                1.0,
            )
            continue
        acc.add("qa_score", day, dims, score, 1.0)
        acc.add("critical_error_rate", day, dims, float(r["critical_error"] is True), 1.0)
        if r["error_category"] is not None:
            acc.add(
                "training_error_share", day, dims, float(r["error_category"] == "training"), 1.0
            )
        if agent is not None:
            for grain, start in periods(day):
                for scope in scopes_of("agent_quality_rate", dims):
                    quality[("agent_quality_rate", grain, start, *scope)][agent].append(score)
    for key, agents in quality.items():
        passing = sum(1 for scores in agents.values() if sum(scores) / len(scores) >= QA_PASS_MARK)
        row = output_row("pct", float(passing), float(len(agents)), [])
        if row is not None:
            result[key] = row


def _agent_time_kpis(m: Model, acc: Accumulator) -> None:
    agent_days: dict[Key, set[tuple[str, date]]] = defaultdict(set)
    for r in m.loaded.tables["agent_intervals"]:
        agent = r["agent_id"]
        at = r["interval_start"]
        team = m.team_at(agent, at)
        day = m.schedule_of_team(team).local_date(at)
        dims: Dims = {"team": team, "agent": agent}
        handling = float(r["handling_seconds"] or 0)
        available = float(r["available_seconds"] or 0)
        scheduled = float(r["scheduled_seconds"] or 0)
        acc.add("utilization", day, dims, handling, scheduled)
        acc.add("occupancy", day, dims, handling, handling + available)
        acc.add("absenteeism_rate", day, dims, float(r["absent_seconds"] or 0), scheduled)
        acc.add("contacts_per_hour", day, dims, 0.0, (handling + available) / 3600)
        if (r["logged_in_seconds"] or 0) > 0:
            for grain, start in periods(day):
                for scope in scopes_of("solved_per_agent_day", dims):
                    agent_days[("solved_per_agent_day", grain, start, *scope)].add((agent, day))
    for key, days in agent_days.items():
        acc.agent_days[key] = float(len(days))


@dataclass
class Contact:
    kind: str  # call | ticket
    contact_id: str
    anchor: float
    day: date
    channel: str | None
    topic: str | None
    team: str | None
    customer: str | None
    handled: bool
    transferred: bool
    linked_ticket: str | None


def contacts_of(m: Model) -> list[Contact]:
    out: list[Contact] = []
    linked: set[str] = set()
    for call in m.calls:
        if call["direction"] != "inbound":
            continue
        ticket = m.tickets.get(call["ticket_id"]) if call["ticket_id"] is not None else None
        if call["ticket_id"] is not None:
            linked.add(call["ticket_id"])
        answered = call["answered_at"] is not None
        agent = call["agent_id"] if answered else None
        team = m.team_at(agent, call["offered_at"])
        topic = (
            ticket["topic"] if ticket is not None and ticket["topic"] is not None else call["queue"]
        )
        out.append(
            Contact(
                "call",
                call["call_id"],
                call["offered_at"],
                m.schedule_of_team(team).local_date(call["offered_at"]),
                "phone",
                topic,
                team,
                call["customer_id"],
                answered,
                call["transferred_to_queue"] is not None,
                call["ticket_id"],
            )
        )
    for tid, ticket in m.tickets.items():
        if ticket["merged_into_ticket_id"] is not None:
            continue
        if ticket["channel"] == "phone" and tid in linked:
            continue
        events = m.events.get(tid, [])
        handled = any(
            e["agent_id"] is not None
            and e["event_type"] in ("agent_reply", "internal_note", "assigned", "transferred")
            for e in events
        )
        transferred = any(e["event_type"] == "transferred" for e in events)
        out.append(
            Contact(
                "ticket",
                tid,
                ticket["created_at"],
                m.schedule_of_team(ticket["team_id"]).local_date(ticket["created_at"]),
                ticket["channel"],
                ticket["topic"],
                ticket["team_id"],
                ticket["customer_id"],
                handled,
                transferred,
                None,
            )
        )
    return out


def _contact_kpis(m: Model, acc: Accumulator, contacts: list[Contact]) -> None:
    by_customer_topic: dict[tuple[str, str], list[float]] = defaultdict(list)
    for c in contacts:
        if c.customer is not None and c.topic is not None:
            by_customer_topic[(c.customer, c.topic)].append(c.anchor)
    for anchors in by_customer_topic.values():
        anchors.sort()
    orders_present = "orders" in m.loaded.present
    ordered: set[tuple[str, str]] = {
        (o["contact_type"], o["contact_id"])
        for o in m.loaded.tables["orders"]
        if o["contact_type"] is not None and o["contact_id"] is not None
    }
    for c in contacts:
        dims: Dims = {"channel": c.channel, "topic": c.topic, "team": c.team}
        acc.add("contact_volume", c.day, dims, 1.0, 0.0)
        repeat = False
        if c.customer is not None and c.topic is not None:
            anchors = by_customer_topic[(c.customer, c.topic)]
            later = bisect_left(anchors, c.anchor)
            while later < len(anchors) and anchors[later] <= c.anchor:
                later += 1
            repeat = later < len(anchors) and anchors[later] - c.anchor <= REPEAT_WINDOW
        acc.add("repeat_contact_rate", c.day, dims, float(repeat), 1.0)
        acc.add("transfer_rate", c.day, dims, float(c.transferred), float(c.handled))
        if c.handled:
            acc.add("cost_per_contact", c.day, dims, 0.0, 1.0)
        if orders_present and c.topic == "sales":
            sold = (c.kind, c.contact_id) in ordered
            if c.kind == "call" and c.linked_ticket is not None:
                ticket = m.tickets.get(c.linked_ticket)
                if ticket is not None and ticket["channel"] == "phone":
                    sold = sold or ("ticket", c.linked_ticket) in ordered
            acc.add("conversion_rate", c.day, dims, float(sold), 1.0)


def _backlog_kpis(m: Model, result: dict[Key, dict[str, Any]]) -> None:
    open_spans: list[tuple[Row, Schedule, list[tuple[float, float]]]] = []
    for tid, ticket in m.tickets.items():
        if ticket["merged_into_ticket_id"] is not None:
            continue
        created = ticket["created_at"]
        spans: list[tuple[float, float]] = []
        start: float | None = created
        for e in m.events.get(tid, []):
            if e["event_type"] != "status_changed":
                continue
            done = e["new_status"] in DONE
            moment = max(e["event_at"], created)
            if done and start is not None:
                spans.append((start, moment))
                start = None
            elif not done and start is None:
                start = moment
        if start is not None:
            spans.append((start, math.inf))
        open_spans.append((ticket, m.schedule_of_team(ticket["team_id"]), spans))
    last_day = m.default.local_date(m.as_of)
    counts: dict[tuple[str, date, str, str], int] = defaultdict(int)
    day_ends: dict[tuple[str, date], float] = {}
    for ticket, schedule, spans in open_spans:
        base: Dims = {
            "channel": ticket["channel"],
            "topic": ticket["topic"],
            "priority": ticket["priority"],
            "team": ticket["team_id"],
        }
        scopes = scopes_of("backlog", base)
        created = ticket["created_at"]
        for lo, hi in spans:
            day = schedule.local_date(lo)
            stop = last_day if hi == math.inf else min(last_day, schedule.local_date(hi))
            while day <= stop:
                end = day_ends.get((schedule.schedule_id, day))
                if end is None:
                    end = day_ends[(schedule.schedule_id, day)] = schedule.day_end(day)
                if lo < end <= hi:
                    age = (end - created) / 86_400
                    bucket = (
                        "backlog_age_0_1"
                        if age < 1
                        else "backlog_age_1_3"
                        if age < 3
                        else "backlog_age_3_7"
                        if age < 7
                        else "backlog_age_7_plus"
                    )
                    for scope in scopes:
                        counts[("backlog", day, *scope)] += 1
                        counts[(bucket, day, *scope)] += 1
                day += timedelta(days=1)
    # A week/month is the backlog at the end of its last day that is <= the as-of date.
    for (kpi, day, scope_type, scope_value), count in counts.items():
        for grain, start in periods(day):
            if grain == "day":
                period_end = day
            elif grain == "week":
                period_end = start + timedelta(days=6)
            else:
                period_end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            if day != min(period_end, last_day):
                continue
            result[(kpi, grain, start, scope_type, scope_value)] = {
                "numerator": float(count),
                "denominator": None,
                "value": float(count),
                "p50": None,
                "p90": None,
            }


def _forecast_kpis(m: Model, acc: Accumulator, contacts: list[Contact]) -> None:
    if "forecasts" not in m.loaded.present:
        return
    latest: dict[tuple[float, str], Row] = {}
    for f in m.loaded.tables["forecasts"]:
        if f["created_at"] > f["interval_start"]:
            continue
        key = (f["interval_start"], f["channel"])
        if key not in latest or f["created_at"] > latest[key]["created_at"]:
            latest[key] = f
    anchors: dict[str | None, list[float]] = defaultdict(list)
    for c in contacts:
        anchors[c.channel].append(c.anchor)
    for values in anchors.values():
        values.sort()
    staffed: dict[float, float] = defaultdict(float)
    for r in m.loaded.tables["agent_intervals"]:
        staffed[r["interval_start"]] += (r["logged_in_seconds"] or 0) / INTERVAL
    required: dict[float, float] = defaultdict(float)
    for (start, channel), f in latest.items():
        values = anchors.get(channel, [])
        actual = float(bisect_left(values, start + INTERVAL) - bisect_left(values, start))
        forecast = f["forecast_contacts"]
        day = m.default.local_date(start)
        dims: Dims = {"channel": channel}
        acc.add("forecast_accuracy", day, dims, abs(actual - forecast), actual)
        if actual > 0:
            acc.add("forecast_mape", day, dims, 100.0 * abs(actual - forecast) / actual, 1.0)
        need = f["required_agents"]
        if need is None and f["forecast_aht_seconds"] is not None:
            need = float(
                required_agents(
                    forecast,
                    f["forecast_aht_seconds"],
                    STAFFING_TARGET_SL,
                    SERVICE_LEVEL_THRESHOLD,
                )
            )
        if need is not None:
            required[start] += need
        else:
            required.setdefault(start, 0.0)
    for start, need in required.items():
        day = m.default.local_date(start)
        acc.add("staffing_ratio", day, {}, staffed.get(start, 0.0), need)


def _cost_kpis(m: Model, acc: Accumulator) -> None:
    """Σ costs of the month (team rows for a team; every row overall) over handled contacts
    or resolved tickets, whose denominators the contact and ticket groups added."""
    for r in m.loaded.tables["costs"]:
        dims: Dims = {"team": r["team_id"]}
        acc.add("cost_per_contact", r["cost_month"], dims, r["amount"], 0.0)
        acc.add("cost_per_resolution", r["cost_month"], dims, r["amount"], 0.0)


def _self_service_kpis(m: Model, acc: Accumulator) -> None:
    topics = {a["article_id"]: a["topic"] for a in m.loaded.tables["help_articles"]}
    contacts_by_customer: dict[str, list[float]] = defaultdict(list)
    for ticket in m.tickets.values():
        if ticket["merged_into_ticket_id"] is not None:
            continue
        day = m.default.local_date(ticket["created_at"])
        acc.add("self_service_ratio", day, {"topic": ticket["topic"]}, 0.0, 1.0)
        if ticket["customer_id"] is not None:
            contacts_by_customer[ticket["customer_id"]].append(ticket["created_at"])
    for call in m.calls:
        if call["direction"] == "inbound" and call["customer_id"] is not None:
            contacts_by_customer[call["customer_id"]].append(call["offered_at"])
    for anchors in contacts_by_customer.values():
        anchors.sort()
    for view in m.loaded.tables["article_views"]:
        viewed = view["viewed_at"]
        day = m.default.local_date(viewed)
        dims: Dims = {"topic": topics.get(view["article_id"])}
        acc.add("self_service_ratio", day, dims, 1.0, 0.0)
        if view["read_seconds"] is not None:
            acc.duration("article_read_time", day, dims, float(view["read_seconds"]))
        customer = view["customer_id"]
        if customer is not None:
            anchors = contacts_by_customer.get(customer, [])
            nxt = bisect_right(anchors, viewed)
            contacted = nxt < len(anchors) and anchors[nxt] <= viewed + DEFLECTION_WINDOW
            acc.add("deflection_rate", day, dims, float(not contacted), 1.0)


def _months(first: date, last: date) -> list[date]:
    months: list[date] = []
    month = first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _month_end(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _month_row(result: dict[Key, dict[str, Any]], key: Key, num: float, den: float) -> None:
    row = output_row("pct", num, den, [])
    if row is not None:
        result[key] = row


def _loyalty_kpis(m: Model, acc: Accumulator, result: dict[Key, dict[str, Any]]) -> None:
    data_months = _months(m.default.local_date(m.first_instant), m.default.local_date(m.as_of))
    if "subscriptions" in m.loaded.present:
        terms = m.loaded.tables["subscriptions"]
        by_customer: dict[str | None, list[Row]] = defaultdict(list)
        for term in terms:
            by_customer[term["customer_id"]].append(term)
        for month in data_months:
            active = {
                t["customer_id"]
                for t in terms
                if t["customer_id"] is not None
                and t["term_start"] is not None
                and t["term_start"] <= month <= t["term_end"]
            }
            end = _month_end(month)
            churned = set()
            for t in terms:
                if not (month <= t["term_end"] <= end) or t["renewed"] is not False:
                    continue
                if t["customer_id"] is None:
                    continue
                after = t["term_end"] + timedelta(days=1)
                others = [
                    o
                    for o in by_customer[t["customer_id"]]
                    if o is not t
                    and o["term_start"] is not None
                    and o["term_start"] <= after <= o["term_end"]
                ]
                if not others:
                    churned.add(t["customer_id"])
            _month_row(
                result,
                ("churn_rate", "month", month, "overall", "*"),
                float(len(churned)),
                float(len(active)),
            )
        for t in terms:
            if t["renewed"] is not None:
                acc.add("renewal_rate", t["term_end"], {}, float(t["renewed"]), 1.0)
    for p in m.loaded.tables["product_activations"]:
        purchased = p["purchased_at"]
        if purchased is None or purchased + ADOPTION_WINDOW > m.as_of:
            continue
        activated = p["activated_at"]
        adopted = activated is not None and activated - purchased <= ADOPTION_WINDOW
        acc.add("product_adoption_rate", m.default.local_date(purchased), {}, float(adopted), 1.0)


def _workforce_kpis(m: Model, acc: Accumulator) -> None:
    for r in m.loaded.tables["agent_surveys"]:
        dims: Dims = {"team": r["team_id"]}
        if r["satisfaction"] is not None:
            acc.add("agent_satisfaction", r["survey_date"], dims, float(r["satisfaction"]), 1.0)
        if r["enps"] is not None:
            promoter = float(r["enps"] >= 9) - float(r["enps"] <= 6)
            acc.add("enps", r["survey_date"], dims, promoter, 1.0)


def _attrition_kpis(m: Model, result: dict[Key, dict[str, Any]]) -> None:
    agents = m.loaded.tables["agents"]

    def employed(agent: Row, day: date) -> bool:
        hired = agent["hire_date"] is not None and agent["hire_date"] <= day
        left = agent["termination_date"]
        return hired and (left is None or left >= day)

    data_months = _months(m.default.local_date(m.first_instant), m.default.local_date(m.as_of))
    for month in data_months:
        end = _month_end(month)
        counts: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
        for agent in agents:
            scopes = scopes_of("agent_attrition_rate", {"team": agent["team_id"]})
            left = agent["termination_date"]
            terminated = left is not None and month <= left <= end
            heads = (float(employed(agent, month)) + float(employed(agent, end))) / 2
            for scope in scopes:
                counts[scope][0] += float(terminated)
                counts[scope][1] += heads
        for (scope_type, scope_value), (num, den) in counts.items():
            key = ("agent_attrition_rate", "month", month, scope_type, scope_value)
            _month_row(result, key, num, den)


def compute_kpis(landing_dir: Path, seeds_dir: Path) -> dict[Key, dict[str, Any]]:
    """Every implemented KPI row keyed by (kpi_id, grain, period_start, scope_type, scope_value)."""
    collecting = gc.isenabled()
    gc.disable()  # millions of small acyclic objects: the cyclic GC only costs time here
    try:
        return _compute(landing_dir, seeds_dir)
    finally:
        if collecting:
            gc.enable()


def _compute(landing_dir: Path, seeds_dir: Path) -> dict[Key, dict[str, Any]]:
    m = build_model(Path(landing_dir), Path(seeds_dir))
    acc = Accumulator()
    result: dict[Key, dict[str, Any]] = {}
    inbound_by_ticket: dict[str, int] = defaultdict(int)
    for call in m.calls:
        if call["direction"] == "inbound" and call["ticket_id"] is not None:
            inbound_by_ticket[call["ticket_id"]] += 1
    _call_kpis(m, acc)
    _survey_kpis(m, acc)
    _ticket_kpis(m, acc, inbound_by_ticket)
    if "qa_evaluations" in m.loaded.present:
        _qa_kpis(m, acc, result)
    if "agent_intervals" in m.loaded.present:
        _agent_time_kpis(m, acc)
    else:
        for key in [k for k in acc.cells if k[0] in ("contacts_per_hour", "solved_per_agent_day")]:
            del acc.cells[key]
    contacts = contacts_of(m)
    _contact_kpis(m, acc, contacts)
    _backlog_kpis(m, result)
    _forecast_kpis(m, acc, contacts)
    if "costs" in m.loaded.present:
        _cost_kpis(m, acc)
    else:
        for key in [k for k in acc.cells if k[0] in ("cost_per_contact", "cost_per_resolution")]:
            del acc.cells[key]
    if "article_views" in m.loaded.present:
        _self_service_kpis(m, acc)
    _loyalty_kpis(m, acc, result)
    if "agent_surveys" in m.loaded.present:
        _workforce_kpis(m, acc)
    _attrition_kpis(m, result)
    for key, (num, den, samples) in acc.rolled_up().items():
        if key[0] in MONTH_ONLY and key[1] != "month":
            continue
        kind = CATALOG[key[0]][0]
        row = output_row(kind, num, None if kind == "count" else den, samples)
        if row is not None:
            result[key] = row
    return result
