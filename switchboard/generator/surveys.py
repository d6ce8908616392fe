"""Customer surveys (scores driven by the contact's experience) and QA evaluations."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from switchboard.generator.common import DAY, STAGE_QA, choose, cumulative, rng_for
from switchboard.generator.world import Rows, World

if TYPE_CHECKING:
    from switchboard.generator.calls import AnsweredCall

SURVEY_TYPES = ("csat", "nps", "ces")
SURVEY_CUM = cumulative([0.7, 0.15, 0.15])
CSAT_CUTS = np.array([-1.5, -0.9, -0.3, 0.75])
ROOT_CAUSES = ("product", "process", "training", "policy", "agent", "other")
ROOT_CAUSE_P = np.array([0.24, 0.24, 0.2, 0.1, 0.16, 0.06])
ERROR_CATEGORIES = ("product", "process", "training", "policy", "communication")
ERROR_P = np.array([0.15, 0.25, 0.3, 0.1, 0.2])
GOOD_COMMENTS = (
    "Quick and friendly, thanks!", "Solved my problem right away.", "Very helpful agent.",
    "Great service, would recommend.", "Clear explanation, thank you.",
)  # fmt: skip
BAD_COMMENTS = (
    "Waited far too long.", "Had to explain everything twice.", "Still not fixed.",
    "Nobody called me back.", "The answer did not help at all.", "Transferred around, annoying.",
)  # fmt: skip
PII_COMMENTS = (
    "Please call me back on +49 170 5550{n:03d}.", "Reach me at kunde{n}@example.com.",
    "My IBAN is DE89 3704 0044 0532 0130 {n:02d}, refund there please.",
)  # fmt: skip


def score_for(survey_type: str, latent: float) -> int:
    if survey_type == "csat":
        return int(1 + np.sum(latent > CSAT_CUTS))
    if survey_type == "nps":
        return int(np.clip(round(7.0 + 2.1 * latent), 0, 10))
    return int(np.clip(round(4.8 + 1.2 * latent), 1, 7))


def skill_effect(world: World, agent: int) -> float:
    return (world.people.agents[agent].skill - 87.0) / 10 * 0.5 if agent >= 0 else 0.0


def _respond(
    world: World,
    rng: np.random.Generator,
    *,
    contact_type: str,
    contact_id: str,
    customer: int,
    agent: int,
    sent_at: int,
    latent: float,
    resolved: bool,
    first_contact: bool,
) -> None:
    responded = sent_at + int(rng.lognormal(math.log(5 * 3600), 1.2))
    end = world.period.end_ts
    if responded >= end:
        return
    survey_type = SURVEY_TYPES[choose(rng, SURVEY_CUM)]
    score = score_for(survey_type, latent)
    said_resolved = (
        None if rng.random() < 0.2 else (resolved if rng.random() < 0.92 else not resolved)
    )
    said_first = (
        None if rng.random() < 0.25 else ((first_contact and resolved) if rng.random() < 0.9
                                          else not first_contact)
    )  # fmt: skip
    root_cause = None
    updated = responded
    if survey_type == "csat" and score <= 2 and rng.random() < 0.65:
        root_cause = ROOT_CAUSES[int(rng.choice(6, p=ROOT_CAUSE_P))]
        updated = min(end - 1, responded + int(rng.integers(3600, 5 * DAY)))
    comment = None
    if rng.random() < 0.35:
        good = latent > 0
        pool = GOOD_COMMENTS if good else BAD_COMMENTS
        comment = pool[int(rng.integers(len(pool)))]
        if rng.random() < 0.05:
            comment += " " + PII_COMMENTS[int(rng.integers(len(PII_COMMENTS)))].format(
                n=int(rng.integers(100))
            )
    world.rows["survey_responses"].add(
        response_id=world.ids["survey_responses"].next(),
        survey_type=survey_type,
        contact_type=contact_type,
        contact_id=contact_id,
        customer_id=world.customers.ids[customer],
        agent_id=world.people.agents[agent].agent_id if agent >= 0 else None,
        sent_at=sent_at,
        responded_at=responded,
        score=score,
        resolved=said_resolved,
        resolved_first_contact=said_first,
        root_cause=root_cause,
        comment=comment,
        updated_at=updated,
    )


def call_survey(
    world: World,
    rng: np.random.Generator,
    call: AnsweredCall,
    row: dict[str, Any],
    transferred: bool,
) -> None:
    latent = (
        1.3
        - 0.6 * math.log1p(call.wait / 45)
        - 0.5 * transferred
        + skill_effect(world, call.agent)
        + rng.normal(0, 0.85)
    )
    resolved = bool(rng.random() < (0.6 if transferred else 0.85))
    _respond(
        world, rng, contact_type="call", contact_id=call.call_id, customer=call.customer,
        agent=call.agent, sent_at=int(row["ended_at"]) + 120, latent=latent,
        resolved=resolved, first_contact=resolved and not transferred,
    )  # fmt: skip


FRT_NORM = {"chat": 120, "messaging": 1800, "social": 3600, "email": 4 * 3600,
            "web": 4 * 3600, "phone": 1800}  # fmt: skip


def ticket_survey(
    world: World,
    rng: np.random.Generator,
    *,
    ticket_id: str,
    customer: int,
    agent: int,
    channel: str,
    first_reply_seconds: int | None,
    solved_at: int,
    reopened: bool,
    auto_solved: bool,
    agent_replies: int,
    transferred: bool,
) -> None:
    frt = first_reply_seconds if first_reply_seconds is not None else 3 * DAY
    latent = (
        1.3
        - 0.45 * math.log1p(frt / FRT_NORM[channel])
        - 1.0 * reopened
        - 0.8 * auto_solved
        - 0.15 * max(agent_replies - 1, 0)
        - 0.35 * transferred
        + skill_effect(world, agent)
        + rng.normal(0, 0.85)
    )
    resolved = not auto_solved and not reopened
    _respond(
        world, rng, contact_type="ticket", contact_id=ticket_id, customer=customer, agent=agent,
        sent_at=solved_at + 3600, latent=latent, resolved=resolved,
        first_contact=resolved and agent_replies <= 1,
    )  # fmt: skip


def qa_evaluations(world: World) -> dict[str, list[Any]]:
    """Regular evaluations of the contacts in the QA pool, plus calibration sessions."""
    rng = rng_for(world.seed, STAGE_QA)
    rows = Rows("qa_evaluations")
    people = world.people
    evaluators = people.staff("qa_specialist")
    trainers = people.staff("trainer")
    end = world.period.end_ts
    start = world.period.start_ts
    counter = 0
    width = max(6, len(str(len(world.qa_pool) * 2 + 100)))

    def next_id() -> str:
        nonlocal counter
        counter += 1
        return f"Q{counter:0{width}d}"

    for agent_index, week in sorted(world.qa_pool):
        pool = world.qa_pool[(agent_index, week)]
        agent = people.agents[agent_index]
        n_eval = 1 + int(rng.random() < 0.3)
        for k in range(min(n_eval, len(pool))):
            kind, contact_id = pool[k]
            when = start + (week + 1) * 7 * DAY + int(rng.integers(1, 4)) * DAY
            when += int(rng.integers(8 * 3600, 16 * 3600))
            if when >= end:
                continue
            score = float(np.clip(rng.normal(agent.skill, 5.5), 35, 100))
            critical = bool(rng.random() < np.clip(0.05 * (1 + (87 - agent.skill) / 8), 0.01, 0.2))
            if critical:
                score = max(0.0, score - float(rng.uniform(10, 25)))
            category = None
            if critical or (score < 80 and rng.random() < 0.6):
                category = ERROR_CATEGORIES[int(rng.choice(5, p=ERROR_P))]
            evaluator = evaluators[int(rng.integers(len(evaluators)))]
            rows.add(
                evaluation_id=next_id(), contact_type=kind, contact_id=contact_id,
                agent_id=agent.agent_id, evaluator_id=evaluator.agent_id, evaluated_at=when,
                score_pct=round(score, 1), is_calibration=False, calibration_session_id=None,
                is_benchmark=False, critical_error=critical, error_category=category,
                updated_at=when,
            )  # fmt: skip
    # Calibration every two weeks: the same contact scored by several evaluators.
    keys = sorted(world.qa_pool)
    session = 0
    for week in range(1, world.period.days // 7 + 1, 2):
        candidates = [key for key in keys if key[1] == week - 1]
        if not candidates:
            continue
        agent_index, _ = candidates[int(rng.integers(len(candidates)))]
        kind, contact_id = world.qa_pool[(agent_index, week - 1)][0]
        agent = people.agents[agent_index]
        when = start + week * 7 * DAY + 2 * DAY + 13 * 3600
        if when >= end:
            continue
        session += 1
        lead = [a for a in people.agents if a.role == "team_lead"
                and a.current_team == agent.team_at(when)]  # fmt: skip
        panel = [*evaluators, *trainers[:1], *lead[:1]]
        truth = float(np.clip(rng.normal(agent.skill, 5), 40, 100))
        for position, evaluator in enumerate(panel):
            benchmark = position == 0
            noise = rng.normal(0, 1) if benchmark else rng.normal(rng.normal(0, 2.5), 3.5)
            score = float(np.clip(truth + noise, 0, 100))
            rows.add(
                evaluation_id=next_id(), contact_type=kind, contact_id=contact_id,
                agent_id=agent.agent_id, evaluator_id=evaluator.agent_id,
                evaluated_at=when + position * 600, score_pct=round(score, 1),
                is_calibration=True, calibration_session_id=f"CAL{session:04d}",
                is_benchmark=benchmark, critical_error=False, error_category=None,
                updated_at=when + position * 600,
            )  # fmt: skip
    return rows.take()
