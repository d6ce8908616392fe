"""The independent KPI oracle (tests/python/oracle/): unit tests and the warehouse comparison.

The oracle recomputes `marts.kpi_values` in plain Python from a landing directory;
`test_kpi_values_match_oracle` compares it row by row with the published warehouse.
"""

from __future__ import annotations

import math
import shutil
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from oracle import CATALOG, compute_kpis, percentile_cont, required_agents
from oracle.business import build_schedules
from oracle.parsing import load, parse_boolean, parse_integer, parse_timestamp

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
SMALL = REPO / "tests" / "fixtures" / "landing_small"

Rows = dict[tuple[str, str, date, str, str], dict[str, Any]]
FIELDS = ("numerator", "denominator", "value", "p50", "p90")


# ---------------------------------------------------------------------------
# Unit tests on the hand-made fixture (tests/fixtures/landing_small/README.md)
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small() -> Rows:
    return compute_kpis(SMALL, SEEDS)


def _row(
    rows: Rows, kpi: str, day: str, scope: tuple[str, str] = ("overall", "*"), grain: str = "day"
) -> dict[str, Any]:
    key = (kpi, grain, date.fromisoformat(day), *scope)
    assert key in rows, f"no oracle row {key}"
    return rows[key]


def test_first_reply_across_dst_weekend(small: Rows) -> None:
    # K1: Fri 2025-03-28 17:00 CET -> Mon 2025-03-31 09:00 CEST.
    assert _row(small, "first_reply_time", "2025-03-28")["value"] == 226_800
    assert _row(small, "first_reply_time_business", "2025-03-28")["value"] == 21_600
    week = _row(small, "first_reply_time_business", "2025-03-24", grain="week")
    assert (week["numerator"], week["denominator"]) == (21_600, 1)
    agent = _row(small, "first_reply_time", "2025-03-28", ("agent", "A1"))
    assert agent["p50"] == agent["p90"] == 226_800


def test_first_reply_across_easter_holidays(small: Rows) -> None:
    # K2: Thu 2025-04-17 17:30 CEST -> Tue 2025-04-22 08:30 CEST, Good Friday + Easter Monday.
    assert _row(small, "first_reply_time", "2025-04-17")["value"] == 399_600
    assert _row(small, "first_reply_time_business", "2025-04-17")["value"] == 18_000
    month = _row(small, "first_reply_time_business", "2025-04-01", grain="month")
    assert (month["numerator"], month["denominator"], month["value"]) == (18_000, 1, 18_000)
    # both tickets missed the 24 h same-day response
    march = _row(small, "same_day_response_rate", "2025-03-01", grain="month")
    assert (march["numerator"], march["denominator"], march["value"]) == (0, 1, 0)


def test_business_seconds_dst_and_holidays() -> None:
    loaded = load(SMALL, SEEDS)
    default = build_schedules(loaded.tables["schedules"], loaded.tables["holidays"])["default"]
    k1 = parse_timestamp("2025-03-28T16:00:00Z"), parse_timestamp("2025-03-31T07:00:00Z")
    k2 = parse_timestamp("2025-04-17T15:30:00Z"), parse_timestamp("2025-04-22T06:30:00Z")
    assert default.business_seconds(*k1) == 21_600
    assert default.business_seconds(*k2) == 18_000
    # Sunday 2025-03-30: closed, and the DST day itself is 23 h long.
    sunday = parse_timestamp("2025-03-29T23:00:00Z"), parse_timestamp("2025-03-30T22:00:00Z")
    assert default.business_seconds(*sunday) == 0
    assert default.local_date(sunday[0]) == date(2025, 3, 30)
    assert default.local_date(sunday[1]) == date(2025, 3, 31)


def test_bad_rows_are_quarantined_and_duplicates_resolved() -> None:
    loaded = load(SMALL, SEEDS)
    quarantined_events = [raw["event_id"] for raw, _ in loaded.quarantined["ticket_events"]]
    assert quarantined_events == ["E99"]  # unknown ticket K404
    quarantined_surveys = [raw["response_id"] for raw, _ in loaded.quarantined["survey_responses"]]
    assert quarantined_surveys == ["R3"]  # NPS score 11 is out of scale
    tickets = {t["ticket_id"]: t for t in loaded.tables["tickets"]}
    assert set(tickets) == {"K1", "K2"}
    assert tickets["K1"]["status"] == "solved"  # the later updated_at wins
    assert tickets["K2"]["channel"] == "email"  # 'EMAIL ' trimmed and lower-cased
    roles = {a["agent_id"]: a["role"] for a in loaded.tables["agents"]}
    assert roles["A2"] == "team_lead"


def test_survey_kpis_exclude_bad_rows(small: Rows) -> None:
    assert not [k for k in small if k[0] == "nps"]  # R3 was the only NPS response
    march = {kpi: _row(small, kpi, "2025-03-01", grain="month") for kpi in ("csat", "dsat")}
    assert (march["csat"]["numerator"], march["csat"]["denominator"]) == (1, 2)
    assert march["csat"]["value"] == 50
    assert march["dsat"]["value"] == 50
    assert _row(small, "csat_avg_score", "2025-03-01", grain="month")["value"] == 3.5
    # fcr: only R1 answered the question (false); resolution: R1 true, R2 false
    assert _row(small, "fcr_rate", "2025-03-01", grain="month")["value"] == 0
    assert _row(small, "resolution_rate", "2025-03-01", grain="month")["value"] == 50
    assert _row(small, "csat", "2025-03-31", ("channel", "email"))["value"] == 100
    assert _row(small, "csat", "2025-03-28", ("channel", "phone"))["value"] == 0


def test_call_kpis_by_hand(small: Rows) -> None:
    # C1 answered after 15 s, C3 after 40 s, C2 abandoned after 3 s (a short abandon).
    for scope in (("overall", "*"), ("queue", "billing"), ("team", "T1"), ("agent", "A1")):
        asa = _row(small, "asa", "2025-03-28", scope)
        assert (asa["numerator"], asa["denominator"], asa["value"]) == (55, 2, 27.5)
        assert asa["p50"] == 27.5
        assert asa["p90"] == pytest.approx(37.5)
        service = _row(small, "service_level", "2025-03-28", scope)
        assert (service["numerator"], service["denominator"], service["value"]) == (1, 2, 50)
        abandonment = _row(small, "abandonment_rate", "2025-03-28", scope)
        assert (abandonment["numerator"], abandonment["denominator"]) == (0, 2)
        assert abandonment["value"] == 0
        aht = _row(small, "aht_calls", "2025-03-28", scope)
        assert (aht["numerator"], aht["denominator"], aht["value"]) == (720, 2, 360)
    # The unanswered call has no agent and no team: nothing beyond the 3 calls above.
    assert not [k for k in small if k[0] == "service_level" and k[3] == "agent" and k[4] != "A1"]


def test_ticket_lifecycle_by_hand(small: Rows) -> None:
    # K1 solved Mon 2025-03-31 08:00Z (10:00 CEST), created Fri 16:00Z: 64 h.
    resolution = _row(small, "resolution_time", "2025-03-31")
    assert (resolution["numerator"], resolution["denominator"]) == (230_400, 1)
    # business: Fri 17-18 + Sat 09-13 + Mon 08-10 = 3 600 + 14 400 + 7 200
    assert _row(small, "resolution_time_business", "2025-03-31")["value"] == 25_200
    assert _row(small, "one_touch_resolution_rate", "2025-03-31")["value"] == 100
    assert _row(small, "reopen_rate", "2025-03-31")["value"] == 0
    assert _row(small, "contacts_per_resolution", "2025-03-31")["value"] == 1
    tickets_aht = _row(small, "aht_tickets", "2025-04-01", grain="month")
    assert (tickets_aht["numerator"], tickets_aht["denominator"]) == (300, 2)
    # K2 is never solved: still in the backlog at the end of the as-of day.
    backlog = _row(small, "backlog", "2025-04-22")
    assert backlog["value"] == 1
    assert _row(small, "backlog_age_3_7", "2025-04-22")["value"] == 1
    assert ("unreplied_tickets", "day", date(2025, 3, 28), "overall", "*") not in small


def test_erlang_c_requirement() -> None:
    # 100 contacts per 30 minutes, AHT 180 s, 80 % answered within 20 s -> 14 agents.
    assert required_agents(100, 180, 80, 20) == 14
    assert required_agents(0, 180) == 1


def test_parsers_and_percentiles() -> None:
    assert parse_timestamp("2025-03-31T09:00:00+02:00") == parse_timestamp("2025-03-31 07:00:00")
    assert (
        parse_timestamp("2025-03-31T07:00:00.500Z") == parse_timestamp("2025-03-31T07:00:00Z") + 0.5
    )
    assert [parse_boolean(v) for v in ("TRUE", "0", "Yes", "n", "t")] == [
        True,
        False,
        True,
        False,
        True,
    ]
    assert parse_integer("42") == 42
    with pytest.raises(ValueError):
        parse_integer("4.5")
    assert percentile_cont([1, 2, 3, 4], 0.5) == 2.5
    assert percentile_cont([10, 20], 0.9) == pytest.approx(19)


def test_folder_of_csv_parts_reads_like_one_file(tmp_path: Path, small: Rows) -> None:
    landing = tmp_path / "landing"
    shutil.copytree(SMALL, landing)
    lines = (landing / "ticket_events.csv").read_text(encoding="utf-8").splitlines()
    (landing / "ticket_events.csv").unlink()
    (landing / "ticket_events").mkdir()
    for number, chunk in enumerate((lines[1:4], lines[4:])):
        part = landing / "ticket_events" / f"part-{number}.csv"
        part.write_text("\n".join([lines[0], *chunk]) + "\n", encoding="utf-8")
    assert compute_kpis(landing, SEEDS) == small


def test_parquet_input_is_refused_not_ignored(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    shutil.copytree(SMALL, landing)
    (landing / "calls.csv").unlink()
    (landing / "calls.parquet").write_bytes(b"PAR1")
    with pytest.raises(NotImplementedError, match="calls"):
        compute_kpis(landing, SEEDS)


# ---------------------------------------------------------------------------
# Decision readings on a small synthetic landing directory (docs/kpi_decisions.md)
# ---------------------------------------------------------------------------

SCENARIO = {
    "teams": [
        "team_id,team_name,schedule_id,updated_at",
        "T1,Billing,,2025-01-01T00:00:00Z",
        "T2,Support US,us_east,2025-01-01T00:00:00Z",
    ],
    "agents": [
        "agent_id,agent_name,email,team_id,role,hire_date,termination_date,hourly_cost,updated_at",
        "A1,Ada,a@x,T2,agent,2024-01-01,,30,2025-01-01T00:00:00Z",
        "A2,Bo,b@x,T1,agent,2024-01-01,,30,2025-01-01T00:00:00Z",
        "A3,Cy,c@x,T2,agent,2024-06-01,2025-03-07,30,2025-03-07T00:00:00Z",
    ],
    "agent_team_history": [
        "agent_id,team_id,valid_from,valid_to",
        "A1,T1,2025-01-01T00:00:00Z,2025-03-10T00:00:00Z",
        "A1,T2,2025-03-10T00:00:00Z,",
    ],
    "tickets": [
        "ticket_id,customer_id,channel,topic,priority,created_at,status,team_id,"
        "merged_into_ticket_id,updated_at",
        "K1,U1,email,billing,normal,2025-03-03T09:00:00Z,closed,T1,,2025-03-05T09:00:00Z",
        "K2,U1,chat,billing,normal,2025-03-03T09:05:00Z,closed,T1,K1,2025-03-03T09:06:00Z",
        "K3,U2,web,billing,normal,2025-03-12T10:00:00Z,open,T1,,2025-03-12T10:20:00Z",
    ],
    "ticket_events": [
        "event_id,ticket_id,event_at,event_type,actor_type,agent_id,is_public,handle_seconds,"
        "to_team_id,new_status",
        "E01,K1,2025-03-03T09:00:00Z,created,customer,,,,,",
        "E02,K1,2025-03-03T09:01:00Z,assigned,system,A1,,,,",
        "E03,K1,2025-03-03T09:10:00Z,agent_reply,agent,A2,true,60,,",
        "E04,K1,2025-03-03T09:30:00Z,agent_reply,agent,A1,true,120,,",
        "E05,K1,2025-03-03T10:00:00Z,status_changed,agent,A1,,,,solved",
        "E06,K1,2025-03-04T09:00:00Z,status_changed,customer,,,,,open",
        "E07,K1,2025-03-05T09:00:00Z,status_changed,system,,,,,closed",
        "E08,K2,2025-03-03T09:05:00Z,created,customer,,,,,",
        "E09,K2,2025-03-03T09:06:00Z,agent_reply,agent,A2,true,30,,",
        "E10,K3,2025-03-12T10:00:00Z,created,customer,,,,,",
        "E11,K3,2025-03-12T10:05:00Z,assigned,system,A1,,,,",
        "E12,K3,2025-03-12T10:06:00Z,assigned,system,A2,,,,",
        "E13,K3,2025-03-12T10:10:00Z,internal_note,agent,A1,false,100,,",
        "E14,K3,2025-03-12T10:20:00Z,agent_reply,agent,A2,true,0,,",
    ],
    "calls": [
        "call_id,queue,direction,customer_id,ticket_id,agent_id,offered_at,answered_at,"
        "abandoned_at,ended_at,talk_seconds,hold_seconds,acw_seconds,transferred_to_queue,updated_at",
    ],
    "survey_responses": [
        "response_id,survey_type,contact_type,contact_id,customer_id,agent_id,sent_at,"
        "responded_at,score,resolved,resolved_first_contact,root_cause,comment,updated_at",
    ],
    "agent_intervals": [
        "agent_id,interval_start,scheduled_seconds,logged_in_seconds,available_seconds,"
        "handling_seconds,aux_seconds,absent_seconds",
        "A1,2025-03-12T10:00:00Z,1800,1800,600,1200,0,0",
        "A2,2025-03-12T10:00:00Z,1800,900,300,600,0,900",
    ],
    "forecasts": [
        "interval_start,channel,forecast_contacts,forecast_aht_seconds,required_agents,created_at",
        "2025-03-12T10:00:00Z,web,2,180,,2025-03-01T00:00:00Z",
        "2025-03-12T10:00:00Z,web,5,180,,2025-03-12T10:30:00Z",
    ],
    "costs": [
        "cost_month,team_id,cost_type,amount,currency",
        "2025-03-01,T1,labor,1000,EUR",
        "2025-03-01,,overhead,500,EUR",
    ],
    "help_articles": [
        "article_id,title,topic,published_at,updated_at",
        "KB1,Invoices,billing,2025-01-01T00:00:00Z,2025-01-01T00:00:00Z",
    ],
    "article_views": [
        "view_id,article_id,customer_id,session_id,viewed_at,read_seconds,marked_helpful",
        "V1,KB1,U2,S1,2025-03-12T09:00:00Z,60,",
        "V2,KB1,U9,S2,2025-03-12T09:30:00Z,120,true",
        "V3,KB1,,S3,2025-03-03T08:00:00Z,30,",
    ],
    "subscriptions": [
        "subscription_id,customer_id,product,term_start,term_end,renewed,updated_at",
        "S1,U1,Plus,2025-02-01,2025-03-15,false,2025-03-15T00:00:00Z",
        "S2,U2,Plus,2025-01-01,2025-03-20,true,2025-03-01T00:00:00Z",
        "S2,U2,Plus,2025-03-20,2026-03-20,,2025-03-01T00:00:00Z",
    ],
    "product_activations": [
        "customer_id,product,purchased_at,activated_at",
        "U1,Pro,2025-01-01T00:00:00Z,2025-01-20T00:00:00Z",
        "U2,Pro,2025-02-20T00:00:00Z,",
        "U3,Plus,2025-01-05T00:00:00Z,2025-02-10T00:00:00Z",
    ],
    "agent_surveys": [
        "response_id,agent_id,team_id,survey_date,satisfaction,enps",
        "P1,A1,T1,2025-03-05,4,9",
        "P2,A2,T1,2025-03-06,2,5",
        "P3,,T2,2025-03-06,5,10",
    ],
}


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Rows:
    landing = tmp_path_factory.mktemp("scenario")
    for table, lines in SCENARIO.items():
        (landing / f"{table}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return compute_kpis(landing, SEEDS)


def _values(
    rows: Rows, kpi: str, day: str, scope: tuple[str, str] = ("overall", "*"), grain: str = "day"
) -> tuple[Any, ...]:
    row = _row(rows, kpi, day, scope, grain)
    return row["numerator"], row["denominator"], row["value"]


def test_lifecycle_reopen_and_close_without_solve(scenario: Rows) -> None:
    # K1: first reply by A2 after 600 s; solved, reopened, then closed without a new solve.
    assert _values(scenario, "first_reply_time", "2025-03-03", ("agent", "A2")) == (600, 1, 600)
    assert _values(scenario, "time_to_first_solution", "2025-03-03", ("agent", "A1")) == (
        3600,
        1,
        3600,
    )
    assert _values(scenario, "reopen_rate", "2025-03-03") == (1, 1, 100)
    # final resolution = the entry into closed on 2025-03-05; solver = A1 (last public reply),
    # whose team at that reply (2025-03-03) was T1 by agent_team_history.
    assert _values(scenario, "resolution_time", "2025-03-05", ("team", "T1")) == (
        172_800,
        1,
        172_800,
    )
    assert _values(scenario, "resolution_time", "2025-03-05", ("agent", "A1"))[0] == 172_800
    assert _values(scenario, "one_touch_resolution_rate", "2025-03-05") == (0, 1, 0)
    assert _values(scenario, "contacts_per_resolution", "2025-03-05") == (1, 1, 1)


def test_merged_tickets_are_excluded(scenario: Rows) -> None:
    volume = _values(scenario, "contact_volume", "2025-03-03")
    assert volume == (1, None, 1)  # K1 only: K2 is merged into K1
    assert _values(scenario, "aht_tickets", "2025-03-03") == (180, 2, 90)
    assert ("contact_volume", "day", date(2025, 3, 3), "channel", "chat") not in scenario


def test_turnaround_and_team_history(scenario: Rows) -> None:
    # K1: assigned to A1 at 09:01, A1's reply at 09:30 (A2's reply does not count).
    assert _values(scenario, "turnaround_time", "2025-03-03", ("agent", "A1")) == (1740, 1, 1740)
    # K3: A1's assignment is superseded before any reply by A1; A2 replies after 14 min.
    assert _values(scenario, "turnaround_time", "2025-03-12") == (840, 1, 840)
    # A1's note on 2025-03-12 counts for T2 (A1 moved on 2025-03-10), A2's reply has no handle time
    assert _values(scenario, "aht_tickets", "2025-03-12", ("team", "T2")) == (100, 1, 100)
    assert ("aht_tickets", "day", date(2025, 3, 12), "team", "T1") not in scenario


def test_backlog_days_weeks_and_age(scenario: Rows) -> None:
    assert _values(scenario, "backlog", "2025-03-04") == (1, None, 1)  # K1 reopened
    assert _values(scenario, "backlog_age_1_3", "2025-03-04") == (1, None, 1)
    assert ("backlog", "day", date(2025, 3, 3), "overall", "*") not in scenario  # solved that day
    assert ("backlog", "day", date(2025, 3, 5), "overall", "*") not in scenario  # closed
    # week of 2025-03-03 ends on a Sunday with an empty backlog: no row
    assert ("backlog", "week", date(2025, 3, 3), "overall", "*") not in scenario
    # the current week and month are read on the as-of day (2025-03-12): K3
    assert _values(scenario, "backlog", "2025-03-10", grain="week") == (1, None, 1)
    assert _values(scenario, "backlog_age_0_1", "2025-03-01", grain="month") == (1, None, 1)
    assert not [k for k in scenario if k[0] == "unreplied_tickets"]  # every ticket was replied


def test_agent_time_forecast_and_staffing(scenario: Rows) -> None:
    assert _values(scenario, "utilization", "2025-03-12") == (1800, 3600, 50)
    assert _values(scenario, "occupancy", "2025-03-12")[2] == pytest.approx(200 / 3)
    assert _values(scenario, "absenteeism_rate", "2025-03-12") == (900, 3600, 25)
    assert _values(scenario, "utilization", "2025-03-12", ("team", "T2")) == (1200, 1800, 1200 / 18)
    # the forecast made after the interval started is ignored: forecast 2, actual 1 (K3)
    assert _values(scenario, "forecast_accuracy", "2025-03-12", ("channel", "web")) == (1, 1, 0)
    assert _values(scenario, "forecast_mape", "2025-03-12") == (100, 1, 100)
    # Erlang C for 2 contacts x 180 s needs 1 agent; staffed 1.5 agents (2 700 s / 1 800 s)
    assert _values(scenario, "staffing_ratio", "2025-03-12") == (1.5, 1, 150)


def test_cost_kpis_month_only(scenario: Rows) -> None:
    # March: 1 500 of costs (1 000 of them T1's); handled contacts K1 and K3 (team T1)
    assert _values(scenario, "cost_per_contact", "2025-03-01", grain="month") == (1500, 2, 750)
    assert _values(scenario, "cost_per_contact", "2025-03-01", ("team", "T1"), "month") == (
        1000,
        2,
        500,
    )
    # resolved: K1 only (solver A1, team T1 at the solving reply)
    assert _values(scenario, "cost_per_resolution", "2025-03-01", grain="month")[2] == 1500
    assert not [k for k in scenario if k[0].startswith("cost_per") and k[1] != "month"]


def test_self_service_kpis(scenario: Rows) -> None:
    topic = ("topic", "billing")
    # 2 views on 2025-03-12 per ticket created that day (K3)
    assert _values(scenario, "self_service_ratio", "2025-03-12", topic) == (2, 1, 2)
    # K2 is merged: 1 view per 1 ticket on 2025-03-03
    assert _values(scenario, "self_service_ratio", "2025-03-03") == (1, 1, 1)
    # U2 opened K3 an hour after reading; U9 did not come back; V3 is anonymous
    assert _values(scenario, "deflection_rate", "2025-03-12") == (1, 2, 50)
    assert ("deflection_rate", "day", date(2025, 3, 3), "overall", "*") not in scenario
    read = _row(scenario, "article_read_time", "2025-03-12", topic)
    assert (read["value"], read["p50"], read["p90"]) == (90, 90, pytest.approx(114))


def test_loyalty_kpis(scenario: Rows) -> None:
    # active on 2025-03-01: U1 and U2; U1's term ends 2025-03-15 not renewed, nothing follows
    assert _values(scenario, "churn_rate", "2025-03-01", grain="month") == (1, 2, 50)
    assert _values(scenario, "renewal_rate", "2025-03-01", grain="month") == (1, 2, 50)
    # U2's purchase window has not passed by the as-of time; U3 activated after 36 days
    assert _values(scenario, "product_adoption_rate", "2025-01-01", grain="month") == (1, 2, 50)
    assert ("product_adoption_rate", "month", date(2025, 2, 1), "overall", "*") not in scenario


def test_workforce_kpis(scenario: Rows) -> None:
    assert _values(scenario, "agent_satisfaction", "2025-03-01", grain="month")[0:2] == (11, 3)
    assert _values(scenario, "agent_satisfaction", "2025-03-01", ("team", "T1"), "month") == (
        6,
        2,
        3,
    )
    assert _values(scenario, "enps", "2025-03-01", grain="month")[2] == pytest.approx(100 / 3)
    assert _values(scenario, "enps", "2025-03-06", ("team", "T2")) == (1, 1, 100)
    # A3 (T2) left on 2025-03-07: headcount 3 on 2025-03-01 and 2 on 2025-03-31
    assert _values(scenario, "agent_attrition_rate", "2025-03-01", grain="month") == (1, 2.5, 40)
    t2 = _values(scenario, "agent_attrition_rate", "2025-03-01", ("team", "T2"), "month")
    assert t2[0:2] == (1, 1.5)
    assert _values(scenario, "agent_attrition_rate", "2025-03-01", ("team", "T1"), "month") == (
        0,
        1,
        0,
    )


# ---------------------------------------------------------------------------
# Comparison with the published warehouse
# ---------------------------------------------------------------------------


Comparison = tuple[dict[str, Rows], dict[str, Rows]]


def _build_named(request: pytest.FixtureRequest, name: str) -> Any:
    return request.getfixturevalue(name)


@pytest.fixture(scope="module")
def _demo(request: pytest.FixtureRequest) -> Any:
    return _build_named(request, "demo_build")


@pytest.fixture(scope="module")
def warehouse(_demo: Any) -> Path:
    return Path(_demo.warehouse)


@pytest.fixture(scope="module")
def landing_dir(_demo: Any) -> Path:
    return Path(_demo.landing_dir)


def _load_comparison(warehouse: Path, landing_dir: Path) -> Comparison:
    """(warehouse rows, oracle rows), each grouped by kpi_id."""
    import duckdb  # the harness only reads; the oracle computes without SQL

    expected: dict[str, Rows] = defaultdict(dict)
    for key, row in compute_kpis(landing_dir, SEEDS).items():
        expected[key[0]][key] = row
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        records = con.execute(
            "select kpi_id, grain, period_start, scope_type, scope_value,"
            " numerator, denominator, value, p50, p90 from marts.kpi_values"
        ).fetchall()
    finally:
        con.close()
    actual: dict[str, Rows] = defaultdict(dict)
    for kpi, grain, start, scope_type, scope_value, *values in records:
        actual[kpi][(kpi, grain, start, scope_type, scope_value)] = dict(
            zip(FIELDS, values, strict=True)
        )
    return dict(actual), dict(expected)


@pytest.fixture(scope="module")
def comparison(warehouse: Path, landing_dir: Path) -> Comparison:
    return _load_comparison(warehouse, landing_dir)


@pytest.fixture(scope="module")
def second_seed_comparison(request: pytest.FixtureRequest) -> Comparison:
    """A second generated dataset: another seed, size and period (CSV: the oracle reads CSV)."""
    build = _build_named(request, "second_build_csv")
    return _load_comparison(Path(build.warehouse), Path(build.landing_dir))


@pytest.fixture(scope="module")
def bad_rows_comparison(request: pytest.FixtureRequest) -> Comparison:
    """The CSV dataset with injected bad rows of every kind and re-exports."""
    build = _build_named(request, "bad_build")
    return _load_comparison(Path(build.warehouse), Path(build.landing_dir))


@pytest.fixture(scope="module")
def fixture_comparison(request: pytest.FixtureRequest) -> Comparison:
    """The hand-made landing directory (DST weekend, Easter, a duplicate, bad rows)."""
    build = _build_named(request, "fixture_build")
    return _load_comparison(Path(build.warehouse), Path(build.landing_dir))


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-6)


def _describe(key: tuple[Any, ...]) -> str:
    return f"{key[1]} {key[2]} {key[3]}={key[4]}"


def _assert_kpi_matches(kpi_id: str, comparison: Comparison) -> None:
    actual_all, expected_all = comparison
    expected = expected_all.get(kpi_id, {})
    actual = actual_all.get(kpi_id, {})
    problems: list[str] = []
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    if missing:
        problems.append(f"{len(missing)} oracle rows missing from the warehouse, e.g.:")
        problems += [f"  {_describe(k)} oracle={expected[k]}" for k in missing[:20]]
    if extra:
        problems.append(f"{len(extra)} warehouse rows the oracle does not have, e.g.:")
        problems += [f"  {_describe(k)} warehouse={actual[k]}" for k in extra[:20]]
    mismatched = [
        k
        for k in sorted(set(actual) & set(expected))
        if not all(_close(actual[k][f], expected[k][f]) for f in FIELDS)
    ]
    if mismatched:
        problems.append(f"{len(mismatched)} rows differ, first 20:")
        for k in mismatched[:20]:
            diffs = ", ".join(
                f"{f}: warehouse={actual[k][f]!r} oracle={expected[k][f]!r}"
                for f in FIELDS
                if not _close(actual[k][f], expected[k][f])
            )
            problems.append(f"  {_describe(k)}: {diffs}")
    header = f"{kpi_id} ({len(actual)} warehouse / {len(expected)} oracle rows)"
    assert not problems, header + "\n" + "\n".join(problems)


@pytest.mark.parametrize("kpi_id", sorted(CATALOG))
def test_kpi_values_match_oracle(kpi_id: str, comparison: Comparison) -> None:
    _assert_kpi_matches(kpi_id, comparison)


@pytest.mark.parametrize("kpi_id", sorted(CATALOG))
def test_kpi_values_match_oracle_on_second_seed(
    kpi_id: str, second_seed_comparison: Comparison
) -> None:
    _assert_kpi_matches(kpi_id, second_seed_comparison)


@pytest.mark.parametrize("kpi_id", sorted(CATALOG))
def test_kpi_values_match_oracle_with_bad_rows(
    kpi_id: str, bad_rows_comparison: Comparison
) -> None:
    _assert_kpi_matches(kpi_id, bad_rows_comparison)


@pytest.mark.parametrize("kpi_id", sorted(CATALOG))
def test_kpi_values_match_oracle_on_hand_made_fixture(
    kpi_id: str, fixture_comparison: Comparison
) -> None:
    _assert_kpi_matches(kpi_id, fixture_comparison)


def test_oracle_kpis_present_in_warehouse(comparison: Comparison) -> None:
    actual, _ = comparison
    absent = sorted(set(CATALOG) - set(actual))
    assert not absent, f"kpi_ids the oracle implements but marts.kpi_values lacks: {absent}"
