"""The parity comparison of switchboard.engines.parity on small fake row sets."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from switchboard.engines import ENGINES, create_engine
from switchboard.engines.parity import (
    compare_kpi_values,
    compare_quarantine,
    failed_nodes,
    numbers_equal,
)


def row(
    kpi_id: str = "csat",
    period: date | str = date(2025, 3, 3),
    scope: tuple[str, str] = ("overall", "*"),
    numerator: float | None = 3.0,
    denominator: float | None = 4.0,
    value: float | None = 75.0,
    p50: float | None = None,
    p90: float | None = None,
    target: float | None = 80.0,
    status: str = "warning",
    grain: str = "day",
) -> tuple[object, ...]:
    return (kpi_id, grain, period, *scope, numerator, denominator, value, p50, p90, target, status)


REFERENCE = [
    row(),
    row(scope=("channel", "email"), numerator=1.0, denominator=2.0, value=50.0),
    row(
        "aht",
        numerator=600.0,
        denominator=2.0,
        value=300.0,
        p50=250.0,
        p90=340.0,
        target=None,
        status="no_target",
    ),
]


def test_equal_rows_in_any_order_and_key_types() -> None:
    # Postgres returns date objects, another engine may return ISO text.
    candidate = [REFERENCE[2], REFERENCE[1], REFERENCE[0]]
    candidate[1] = row(
        period="2025-03-03", scope=("channel", "email"), numerator=1.0, denominator=2.0, value=50.0
    )
    comparison = compare_kpi_values(REFERENCE, candidate)
    assert comparison.ok, comparison.report("fake")
    assert "3 rows compared, 0 differences" in comparison.report("fake")


def test_relative_tolerance() -> None:
    assert numbers_equal(0.1 + 0.2, 0.3)
    assert numbers_equal(1e12, 1e12 * (1 + 5e-10))
    assert not numbers_equal(1e12, 1e12 * (1 + 5e-9))
    assert not numbers_equal(0.0, 1e-15)
    assert numbers_equal(None, None)
    assert not numbers_equal(None, 0.0)
    assert numbers_equal(float("nan"), float("nan"))
    assert not numbers_equal(float("nan"), 1.0)


def test_value_difference_names_the_kpi_and_the_column() -> None:
    candidate = list(REFERENCE)
    candidate[2] = row(
        "aht",
        numerator=600.0,
        denominator=2.0,
        value=300.0,
        p50=250.0,
        p90=341.0,
        target=None,
        status="no_target",
    )
    comparison = compare_kpi_values(REFERENCE, candidate)
    assert not comparison.ok
    assert comparison.differing_kpis() == {"aht": 1}
    report = comparison.report("postgres")
    assert "KPIs: aht (1)" in report
    assert "p90: duckdb=340.0 postgres=341.0" in report


def test_null_against_value_and_status_differ() -> None:
    candidate = list(REFERENCE)
    candidate[0] = row(target=None, status="no_target")
    comparison = compare_kpi_values(REFERENCE, candidate)
    assert {d.column for d in comparison.differences} == {"target", "status"}


def test_missing_extra_and_duplicated_keys() -> None:
    extra = row("nps", numerator=5.0, denominator=10.0, value=50.0)
    candidate = [REFERENCE[0], REFERENCE[0], extra]
    comparison = compare_kpi_values(REFERENCE, candidate)
    assert not comparison.ok
    assert [(key[0], key[3]) for key in comparison.missing] == [
        ("aht", "overall"),
        ("csat", "channel"),
    ]
    assert [key[0] for key in comparison.extra] == ["nps"]
    assert [side for side, _ in comparison.duplicates] == ["engine"]
    assert comparison.differing_kpis() == {"aht": 1, "csat": 2, "nps": 1}
    report = comparison.report("spark")
    assert "rows only in DuckDB" in report and "rows only on spark" in report


def test_malformed_row_is_refused() -> None:
    with pytest.raises(ValueError, match="expected 12 columns"):
        compare_kpi_values([("csat", "day")], [])


def test_quarantine_compares_rows_as_a_multiset() -> None:
    reference = [
        ("tickets", "/l/tickets.csv", 7, "unusable", "missing primary key ticket_id"),
        ("tickets", "/l/tickets.csv", 9, "superseded", "older version"),
    ]
    assert compare_quarantine(reference, list(reversed(reference))).ok
    different = [reference[0], ("tickets", "/l/tickets.csv", 9, "unusable", "older version")]
    comparison = compare_quarantine(reference, different)
    assert not comparison.ok
    assert "tickets (2)" in comparison.report("postgres")


def test_failed_nodes_from_run_results(tmp_path: Path) -> None:
    run_results = tmp_path / "run_results.json"
    run_results.write_text(
        json.dumps(
            {
                "results": [
                    {"unique_id": "model.switchboard.fct_calls", "status": "success"},
                    {
                        "unique_id": "model.switchboard.fct_tickets",
                        "status": "error",
                        "message": "Database Error\n  function list_sort(text[]) does not exist",
                    },
                    {
                        "unique_id": "test.switchboard.unique_fct_calls_call_id.abc",
                        "status": "fail",
                        "message": "Got 2 results",
                    },
                    {
                        "unique_id": "unit_test.switchboard.kpi_alerts.kpi_alerts_anomaly",
                        "status": "fail",
                        "message": "actual differs",
                    },
                ]
            }
        )
    )
    assert failed_nodes(run_results) == [
        "model fct_tickets: Database Error function list_sort(text[]) does not exist",
        "test unique_fct_calls_call_id: Got 2 results",
        "unit_test kpi_alerts::kpi_alerts_anomaly: actual differs",
    ]
    assert failed_nodes(tmp_path / "absent.json") == []


def test_engines_are_registered() -> None:
    assert "postgres" in ENGINES
    assert create_engine("postgres").name == "postgres"
    with pytest.raises(ValueError, match="unknown engine"):
        create_engine("oracle")
