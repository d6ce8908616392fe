"""Self-service (articles, views) and business data (orders, subscriptions, activations)."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import numpy as np

from switchboard.generator.arrivals import draw_times
from switchboard.generator.common import (
    DAY,
    STAGE_ARTICLES,
    STAGE_SUBSCRIPTIONS,
    date_epoch,
    rng_for,
)
from switchboard.generator.people import TOPICS
from switchboard.generator.world import Rows, World

PRODUCTS = ("Basic", "Plus", "Pro", "Router X2", "Mesh Kit")
ARTICLE_SUBJECTS = {
    "billing": ("Understanding your invoice", "Change your payment method", "Refund timelines",
                "Why was I charged twice?", "Download past invoices"),
    "delivery": ("Track your parcel", "Delivery delays explained", "Change delivery address",
                 "Missing parcel checklist", "Pick-up point delivery"),
    "technical": ("Reset your router", "Fix slow Wi-Fi", "Update the firmware",
                  "Set up the mobile app", "Error code E42"),
    "sales": ("Compare our plans", "Business pricing", "Upgrade your plan",
              "Student discount", "Bundle offers"),
    "account": ("Reset your password", "Enable two-factor login", "Close your account",
                "Update personal data", "Merge duplicate accounts"),
    "returns": ("Start a return", "Return shipping label", "Refund after return",
                "Exchange an item", "Damaged item on arrival"),
}  # fmt: skip


class Articles:
    def __init__(self, world: World) -> None:
        rng = rng_for(world.seed, STAGE_ARTICLES)
        self.rows = Rows("help_articles")
        self.by_topic: dict[str, list[str]] = {topic: [] for topic in TOPICS}
        start = world.period.start_ts
        number = 0
        for topic in TOPICS:
            for subject in ARTICLE_SUBJECTS[topic]:
                for variant in ("", " (advanced)"):
                    number += 1
                    article_id = f"KB{number:04d}"
                    published = start - int(rng.integers(30, 900)) * DAY
                    updated = published
                    if rng.random() < 0.25:
                        updated = start + int(rng.integers(0, world.period.days)) * DAY + 36_000
                    self.rows.add(article_id=article_id, title=subject + variant, topic=topic,
                                  published_at=published,
                                  updated_at=min(updated, world.period.end_ts - 1))  # fmt: skip
                    self.by_topic[topic].append(article_id)


def _view(
    world: World,
    rng: np.random.Generator,
    articles: Articles,
    *,
    topic: str,
    customer: int,
    ts: int,
    helpful_bias: float,
) -> None:
    pool = articles.by_topic[topic]
    session = world.ids["sessions"].next()
    for _ in range(1 + int(rng.random() < 0.3) + int(rng.random() < 0.1)):
        if ts >= world.period.end_ts:
            return
        read = int(rng.lognormal(math.log(70), 0.9))
        roll = rng.random()
        helpful = None if roll < 0.5 else bool(rng.random() < 0.7 + helpful_bias)
        world.rows["article_views"].add(
            view_id=world.ids["article_views"].next(),
            article_id=pool[int(rng.integers(len(pool)))],
            customer_id=world.customers.ids[customer] if customer >= 0 else None,
            session_id=session, viewed_at=ts, read_seconds=read, marked_helpful=helpful,
        )  # fmt: skip
        ts += read + int(rng.integers(5, 60))


def article_views_for_day(
    world: World, rng: np.random.Generator, articles: Articles, day: date, n_tickets: int
) -> None:
    """Views before contacts (not deflected) and standalone views (mostly deflected)."""
    for customer, created, topic in world.precontact:
        ts = created - int(rng.integers(300, 20 * 3600))
        if ts >= world.period.start_ts:
            _view(world, rng, articles, topic=topic, customer=customer, ts=ts, helpful_bias=-0.3)
    world.precontact.clear()
    n = int(rng.poisson(1.6 * max(n_tickets, 1)))
    times = draw_times(rng, world.period, world.schedules["default"], day, n, open_only=False)
    identified = rng.random(n) < 0.7
    customers = world.customers.pick(rng, times, np.zeros(n, dtype=bool))
    topics = rng.choice(len(TOPICS), size=n)
    for i in range(n):
        _view(world, rng, articles, topic=TOPICS[int(topics[i])],
              customer=int(customers[i]) if identified[i] else -1, ts=int(times[i]),
              helpful_bias=0.05)  # fmt: skip


def orders_for_day(world: World, rng: np.random.Generator, day: date) -> None:
    """Orders attributed to sales contacts, plus unattributed web orders."""
    end = world.period.end_ts
    for kind, contact_id, customer, ts in world.sales_contacts:
        if rng.random() < (0.3 if kind == "call" else 0.22):
            when = ts + int(rng.lognormal(math.log(4 * 3600), 1.0))
            if when < end:
                _order(world, rng, customer, when, kind, contact_id)
    world.sales_contacts.clear()
    start = date_epoch(day)
    for _ in range(int(rng.poisson(0.35 * world.people.scale * 10))):
        when = start + int(rng.integers(0, DAY))
        if world.period.start_ts <= when < end:
            customer = int(world.customers.pick(rng, np.array([when]), np.array([False]))[0])
            _order(world, rng, customer, when, None, None)


def _order(
    world: World,
    rng: np.random.Generator,
    customer: int,
    when: int,
    kind: str | None,
    contact_id: str | None,
) -> None:
    world.rows["orders"].add(
        order_id=world.ids["orders"].next(), customer_id=world.customers.ids[customer],
        ordered_at=when, amount=round(float(rng.lognormal(math.log(80), 0.8)), 2),
        contact_type=kind, contact_id=contact_id,
    )  # fmt: skip
    product = PRODUCTS[int(rng.integers(len(PRODUCTS)))]
    roll = rng.random()
    if roll < 0.62:
        activated: int | None = when + int(rng.lognormal(math.log(2 * DAY), 0.9))
    elif roll < 0.75:
        activated = when + int(rng.integers(31, 60)) * DAY
    else:
        activated = None
    if activated is not None and activated >= world.period.end_ts:
        activated = None
    world.rows["product_activations"].add(
        customer_id=world.customers.ids[customer], product=product, purchased_at=when,
        activated_at=activated,
    )  # fmt: skip


def subscriptions(world: World) -> dict[str, list[Any]]:
    """One row per term: monthly or annual terms, renewals and churn."""
    rng = rng_for(world.seed, STAGE_SUBSCRIPTIONS)
    rows = Rows("subscriptions")
    period = world.period
    horizon = period.start - timedelta(days=60)
    as_of = period.end
    customers = world.customers
    number = 0
    width = max(6, len(str(len(customers.ids))))
    for index in range(len(customers.ids)):
        if rng.random() >= 0.4:
            continue
        for _ in range(1 + int(rng.random() < 0.1)):
            number += 1
            subscription_id = f"S{number:0{width}d}"
            product = PRODUCTS[int(rng.integers(3))]
            annual = rng.random() < 0.3
            created_day = date.fromordinal(
                date(1970, 1, 1).toordinal() + int(customers.created[index] // DAY)
            )
            term_start = max(created_day, period.start - timedelta(days=int(rng.integers(0, 700))))
            renew_p = 0.86 if annual else 0.965
            while term_start < as_of:
                term_end = (
                    term_start.replace(year=term_start.year + 1)
                    if annual and not (term_start.month == 2 and term_start.day == 29)
                    else term_start + timedelta(days=365 if annual else 30)
                )
                decided = term_end <= as_of - timedelta(days=1) or rng.random() < 0.05
                renewed = bool(rng.random() < renew_p) if decided else None
                if term_end >= horizon:
                    updated = date_epoch(min(term_end, as_of - timedelta(days=1))) + 3600 * 20
                    if renewed is None:
                        updated = date_epoch(max(term_start, period.start - timedelta(days=1)))
                    rows.add(subscription_id=subscription_id,
                             customer_id=customers.ids[index], product=product,
                             term_start=term_start, term_end=term_end, renewed=renewed,
                             updated_at=min(updated, period.end_ts - 1))  # fmt: skip
                if renewed is not True:
                    break
                term_start = term_end
    return rows.take()
