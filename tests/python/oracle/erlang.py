"""Erlang C staffing requirement, straight from the formula in docs/spec/kpis.md."""

from __future__ import annotations

import math

INTERVAL_SECONDS = 1800


def erlang_c_wait_probability(agents: int, traffic: float) -> float:
    """P(wait) for `agents` servers offered `traffic` Erlangs (requires agents > traffic)."""
    if traffic <= 0:
        return 0.0
    blocking = 1.0  # Erlang B with 0 servers
    for k in range(1, agents + 1):
        blocking = traffic * blocking / (k + traffic * blocking)
    return agents * blocking / (agents - traffic * (1 - blocking))


def service_level(
    agents: int, traffic: float, aht_seconds: float, threshold_seconds: float
) -> float:
    wait = erlang_c_wait_probability(agents, traffic)
    if aht_seconds <= 0:
        return 1.0
    return 1 - wait * math.exp(-(agents - traffic) * threshold_seconds / aht_seconds)


def required_agents(
    contacts: float,
    aht_seconds: float,
    target_pct: float = 80.0,
    threshold_seconds: float = 20.0,
) -> int:
    """Smallest whole N > A = contacts * AHT / 1800 whose service level reaches the target."""
    traffic = contacts * aht_seconds / INTERVAL_SECONDS
    agents = math.floor(traffic) + 1
    while service_level(agents, traffic, aht_seconds, threshold_seconds) < target_pct / 100:
        agents += 1
    return agents
