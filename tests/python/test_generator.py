"""Tests of the raw-data generator: contract shape, determinism, consistency, bad rows, realism."""

from __future__ import annotations

import csv
import json
import math
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from switchboard import contract
from switchboard.generator import SIDECAR, generate, main
from switchboard.generator.bad_rows import defects, nullable_key_columns

SMALL = {"tickets": 500, "days": 14, "progress": False}
MEDIUM = {"tickets": 3_000, "days": 35, "start": date(2025, 3, 3), "progress": False}
TABLES = [name for name, table in contract.tables().items() if not table.reference]
TRUE = {"true", "1", "yes"}
FALSE = {"false", "0", "no"}
SQL_TYPES = {"timestamp": "TIMESTAMPTZ", "date": "DATE", "integer": "BIGINT",
             "decimal": "DOUBLE"}  # fmt: skip


@pytest.fixture(scope="module")
def small_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("small_csv")
    generate(out, seed=7, file_format="csv", **SMALL)  # type: ignore[arg-type]
    return out


@pytest.fixture(scope="module")
def small_parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("small_parquet")
    generate(out, seed=7, file_format="parquet", **SMALL)  # type: ignore[arg-type]
    return out


@pytest.fixture(scope="module")
def bad_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bad_csv")
    generate(out, seed=11, file_format="csv", bad_row_share=0.03, **SMALL)  # type: ignore[arg-type]
    return out


@pytest.fixture(scope="module")
def medium(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    out = tmp_path_factory.mktemp("medium")
    generate(out, seed=3, file_format="parquet", **MEDIUM)  # type: ignore[arg-type]
    return load(out, "parquet")


# --------------------------------------------------------------------------- helpers


def load(directory: Path, fmt: str) -> duckdb.DuckDBPyConnection:
    """Typed tables; CSV text parsed as the contract says (enums trimmed and lower-cased)."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for name in TABLES:
        table = contract.tables()[name]
        if fmt == "parquet":
            select = []
            for column in table.columns:
                quoted = f'"{column.name}"'
                select.append(
                    f"lower(trim({quoted})) AS {quoted}" if column.type == "enum" else quoted
                )
            source = f"read_parquet('{directory / name}.parquet')"
        else:
            select = []
            for column in table.columns:
                quoted = f'"{column.name}"'
                if column.type == "enum":
                    select.append(f"lower(trim({quoted})) AS {quoted}")
                elif column.type == "boolean":
                    select.append(
                        f"CASE WHEN lower({quoted}) IN ('true','1','yes') THEN true "
                        f"WHEN lower({quoted}) IN ('false','0','no') THEN false END AS {quoted}"
                    )
                elif column.type in SQL_TYPES:
                    select.append(f"CAST({quoted} AS {SQL_TYPES[column.type]}) AS {quoted}")
                else:
                    select.append(quoted)
            source = f"read_csv('{directory / name}.csv', all_varchar = true, header = true)"
        con.execute(f"CREATE TABLE {name} AS SELECT {', '.join(select)} FROM {source}")
    return con


def scalar(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    row = con.execute(sql).fetchone()
    assert row is not None
    return row[0]


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def parse_ts(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def canonical(table: contract.Table, row: dict[str, str]) -> dict[str, Any]:
    """A CSV row's values as the contract reads them, without the version column."""
    result: dict[str, Any] = {}
    for column in table.columns:
        raw = row[column.name]
        if column.name == table.version_column:
            continue
        if raw == "":
            result[column.name] = None
        elif column.type == "timestamp":
            result[column.name] = parse_ts(raw)
        elif column.type == "enum":
            result[column.name] = raw.strip().lower()
        elif column.type == "boolean":
            result[column.name] = raw.lower() in TRUE
        else:
            result[column.name] = raw
    return result


def is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def problems(table: contract.Table, row: dict[str, str]) -> set[str]:
    """Which contract rules a raw CSV row breaks (an independent, simple validator)."""
    found: set[str] = set()
    parsed: dict[str, Any] = {}
    for column in table.columns:
        raw = row[column.name]
        if raw == "":
            parsed[column.name] = None
            if column.name in table.primary_key:
                if column.name not in nullable_key_columns(table.name):
                    found.add("missing_primary_key")
            elif not column.nullable:
                found.add("missing_required_value")
            continue
        if column.type == "timestamp":
            value = parse_ts(raw)
            if value is None:
                found.add("unparseable_timestamp")
            parsed[column.name] = value
        elif column.type == "date":
            parsed[column.name] = date.fromisoformat(raw)
        elif column.type in ("integer", "decimal"):
            if not is_number(raw) or (column.type == "integer" and not raw.lstrip("-").isdigit()):
                found.add("unparseable_number")
                parsed[column.name] = None
                continue
            parsed[column.name] = float(raw)
            if column.minimum is not None and float(raw) < column.minimum:
                found.add("negative_duration" if column.name.endswith("_seconds")
                          else "negative_value")  # fmt: skip
        elif column.type == "enum":
            if raw.strip().lower() not in column.values:
                found.add("unknown_enum")
            parsed[column.name] = raw.strip().lower()
        elif column.type == "boolean":
            if raw.lower() not in TRUE | FALSE:
                found.add("unparseable_boolean")
            parsed[column.name] = raw.lower() in TRUE
        else:
            parsed[column.name] = raw
            if column.references and "UNKNOWN" in raw:
                found.add("unknown_reference")
    for check in table.checks:
        for kind in _violated(table, check, parsed):
            found.add(kind)
    return found


def _violated(table: contract.Table, check: dict[str, str], row: dict[str, Any]) -> list[str]:
    expression = check["fails_when"].strip()
    parts = expression.split(" < ")
    if len(parts) == 2 and all(p.strip() in row for p in parts):
        left, right = row[parts[0].strip()], row[parts[1].strip()]
        if left is not None and right is not None and left < right:
            return ["end_before_start"]
        return []
    if table.name == "survey_responses" and "csat" in expression:
        scale = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}.get(row["survey_type"] or "")
        score = row["score"]
        if scale and score is not None and not scale[0] <= score <= scale[1]:
            return ["score_out_of_scale"]
        return []
    if "outside" in check["reason"]:
        name = expression.split()[0]
        low, high = (0, 100) if name == "score_pct" else (1, 5) if name == "satisfaction" else (
            0, 10)  # fmt: skip
        value = row.get(name)
        if value is not None and not low <= value <= high:
            return ["score_out_of_scale"]
        return []
    if "first day" in check["reason"] and row["cost_month"] is not None:
        return ["check_violation"] if row["cost_month"].day != 1 else []
    if "without calibration" in check["reason"]:
        return ["check_violation"] if row["is_calibration"] and not row[
            "calibration_session_id"] else []  # fmt: skip
    if "both answered" in check["reason"]:
        return ["check_violation"] if row["answered_at"] and row["abandoned_at"] else []
    return []


# --------------------------------------------------------------------------- shape


def test_every_contract_table_written_with_contract_columns(
    small_csv: Path, small_parquet: Path
) -> None:
    written = sorted(p.stem for p in small_csv.glob("*.csv"))
    assert written == sorted(TABLES)
    assert "schedules" not in written and "holidays" not in written
    for name in TABLES:
        names = contract.tables()[name].column_names
        with (small_csv / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
            assert next(csv.reader(handle)) == names, name
        schema = pq.read_schema(small_parquet / f"{name}.parquet")
        assert schema.names == names, name
        assert pq.read_metadata(small_parquet / f"{name}.parquet").num_rows > 0, name
        for column in contract.tables()[name].columns:
            field = schema.field(column.name)
            if column.type == "timestamp":
                assert field.type == pa.timestamp("us", tz="UTC")
            elif column.type == "date":
                assert field.type == pa.date32()
            elif column.type == "integer":
                assert field.type == pa.int64()
            elif column.type == "boolean":
                assert field.type == pa.bool_()


def test_same_seed_is_byte_identical_and_other_seed_differs(
    tmp_path: Path, small_csv: Path, small_parquet: Path
) -> None:
    again_csv, again_parquet, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate(again_csv, seed=7, file_format="csv", **SMALL)  # type: ignore[arg-type]
    generate(again_parquet, seed=7, file_format="parquet", **SMALL)  # type: ignore[arg-type]
    generate(other, seed=8, file_format="csv", **SMALL)  # type: ignore[arg-type]
    for name in TABLES:
        assert (small_csv / f"{name}.csv").read_bytes() == (
            again_csv / f"{name}.csv"
        ).read_bytes(), name
        assert (small_parquet / f"{name}.parquet").read_bytes() == (
            again_parquet / f"{name}.parquet"
        ).read_bytes(), name
    differing = [
        name for name in TABLES
        if (small_csv / f"{name}.csv").read_bytes() != (other / f"{name}.csv").read_bytes()
    ]  # fmt: skip
    assert {"tickets", "ticket_events", "calls", "agents", "customers"} <= set(differing)


def test_csv_and_parquet_hold_the_same_rows(small_csv: Path, small_parquet: Path) -> None:
    from_csv, from_parquet = load(small_csv, "csv"), load(small_parquet, "parquet")
    for name in TABLES:
        left = from_csv.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall()
        right = from_parquet.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall()
        assert left == right, name


def test_csv_mixes_timestamp_notations_and_enum_spellings(small_csv: Path) -> None:
    rows = csv_rows(small_csv / "ticket_events.csv")
    stamps = [row["event_at"] for row in rows]
    assert any(s.endswith("Z") for s in stamps)
    assert any(s.endswith(("+01:00", "+02:00")) for s in stamps)
    assert any(s.endswith(("-05:00", "-04:00")) for s in stamps)
    assert any(len(s) == 19 for s in stamps)  # naive, read as UTC
    types = {row["event_type"] for row in rows}
    assert types - set(contract.tables()["ticket_events"].column("event_type").values)
    assert {t.strip().lower() for t in types} <= set(
        contract.tables()["ticket_events"].column("event_type").values
    )


def test_good_rows_satisfy_the_contract(small_csv: Path) -> None:
    for name in TABLES:
        table = contract.tables()[name]
        rows = csv_rows(small_csv / f"{name}.csv")
        broken = [(row, problems(table, row)) for row in rows if problems(table, row)]
        assert not broken, (name, broken[:3])


# --------------------------------------------------------------------------- consistency


def test_referential_consistency(small_csv: Path) -> None:
    con = load(small_csv, "csv")
    orphans = "SELECT count(*) FROM ticket_events ANTI JOIN tickets USING (ticket_id)"
    assert scalar(con, orphans) == 0
    assert (
        scalar(
            con,
            """SELECT count(*) FROM calls WHERE direction = 'inbound'
        AND answered_at IS NOT NULL AND agent_id IS NULL""",
        )
        == 0
    )
    for table, column in (
        ("calls", "agent_id"),
        ("ticket_events", "agent_id"),
        ("survey_responses", "agent_id"),
        ("qa_evaluations", "agent_id"),
        ("qa_evaluations", "evaluator_id"),
        ("agent_intervals", "agent_id"),
    ):
        orphans = scalar(
            con,
            f"""SELECT count(*) FROM {table} WHERE {column} IS NOT NULL
            AND {column} NOT IN (SELECT agent_id FROM agents)""",
        )
        assert orphans == 0, (table, column)
    assert (
        scalar(
            con,
            """SELECT count(*) FROM calls WHERE ticket_id IS NOT NULL
        AND ticket_id NOT IN (SELECT ticket_id FROM tickets WHERE channel = 'phone')""",
        )
        == 0
    )
    assert scalar(con, "SELECT count(*) FROM calls WHERE ended_at < offered_at") == 0
    # Within a ticket, event_id order never goes back in time.
    assert (
        scalar(
            con,
            """SELECT count(*) FROM (
        SELECT event_at < lag(event_at) OVER (PARTITION BY ticket_id ORDER BY event_id) AS back
        FROM ticket_events) WHERE back""",
        )
        == 0
    )
    assert (
        scalar(
            con,
            """SELECT count(*) FROM calls
        WHERE answered_at IS NOT NULL AND abandoned_at IS NOT NULL""",
        )
        == 0
    )


def test_ticket_status_matches_last_status_change(small_csv: Path) -> None:
    con = load(small_csv, "csv")
    mismatches = scalar(
        con,
        """
        WITH current AS (
            SELECT * FROM tickets
            QUALIFY row_number() OVER (PARTITION BY ticket_id ORDER BY updated_at DESC) = 1),
        last_change AS (
            SELECT ticket_id, new_status FROM ticket_events WHERE event_type = 'status_changed'
            QUALIFY row_number() OVER (PARTITION BY ticket_id
                                       ORDER BY event_at DESC, event_id DESC) = 1)
        SELECT count(*) FROM current LEFT JOIN last_change USING (ticket_id)
        WHERE last_change.new_status IS DISTINCT FROM current.status""",
    )
    assert mismatches == 0
    statuses = {r[0] for r in con.execute("SELECT DISTINCT status FROM tickets").fetchall()}
    assert {"closed", "solved", "pending", "open"} <= statuses
    # Merged tickets point at an earlier ticket of the same customer.
    assert (
        scalar(
            con,
            """SELECT count(*) FROM tickets m JOIN tickets t
        ON m.merged_into_ticket_id = t.ticket_id
        WHERE m.customer_id <> t.customer_id OR t.created_at > m.created_at""",
        )
        == 0
    )


def test_keys_are_unique_except_versioned_reexports(small_csv: Path) -> None:
    con = load(small_csv, "csv")
    for name in TABLES:
        table = contract.tables()[name]
        key = ", ".join(f'"{k}"' for k in table.primary_key)
        versions = f'count(DISTINCT "{table.version_column}")' if table.version_column else "1"
        clashes = scalar(
            con,
            f"""SELECT count(*) FROM (SELECT {key}, count(*) AS n,
            {versions} AS v FROM {name} GROUP BY ALL) WHERE n > v""",
        )
        assert clashes == 0, name
    assert scalar(con, "SELECT count(*) - count(DISTINCT agent_id) FROM agents") > 0
    assert scalar(con, "SELECT count(*) - count(DISTINCT call_id) FROM calls") > 0


def test_time_span_covers_the_requested_days(small_csv: Path) -> None:
    con = load(small_csv, "csv")
    start = date(2025, 2, 3)
    end = start + timedelta(days=SMALL["days"])  # type: ignore[arg-type]
    first, last = con.execute("SELECT min(created_at), max(created_at) FROM tickets").fetchone()  # type: ignore[misc]
    assert first.date() == start and last.date() == end - timedelta(days=1)
    days = scalar(con, "SELECT count(DISTINCT CAST(created_at AS DATE)) FROM tickets")
    assert days == SMALL["days"]
    assert scalar(con, f"SELECT max(event_at) < TIMESTAMPTZ '{end}' FROM ticket_events")
    assert scalar(con, f"SELECT max(ended_at) < TIMESTAMPTZ '{end}' FROM calls")


# --------------------------------------------------------------------------- bad rows


def test_bad_row_sidecar_lists_every_injected_row(bad_csv: Path) -> None:
    sidecar = json.loads((bad_csv / SIDECAR).read_text())
    assert sidecar["total_bad_rows"] > 0
    for name in TABLES:
        table = contract.tables()[name]
        report = sidecar["tables"][name]
        rows = csv_rows(bad_csv / f"{name}.csv")
        assert len(rows) == report["good_rows"] + report["bad_rows"] + report["duplicates"], name
        expected_kinds = {d.kind for d in defects(table, "csv")}
        assert set(report["kinds"]) == expected_kinds, name
        listed = set()
        for kind, entry in report["kinds"].items():
            assert entry["count"] == len(entry["rows"]) > 0
            for item in entry["rows"]:
                row = rows[item["row_number"] - 1]
                assert kind in problems(table, row), (name, kind, row)
                listed.add(item["row_number"])
        assert sum(e["count"] for e in report["kinds"].values()) == report["bad_rows"]
        # Every other row is good: nothing wrong passes unlisted.
        for number, row in enumerate(rows, start=1):
            if number not in listed:
                assert not problems(table, row), (name, number, row)
        # Bad rows never reuse a good key (except a missing one).
        good_keys = {tuple(r[k] for k in table.primary_key) for r in rows[: report["good_rows"]]}
        for number in listed:
            key = tuple(rows[number - 1][k] for k in table.primary_key)
            assert key not in good_keys or "" in key, (name, key)


def test_duplicate_reexports_repeat_a_key_with_later_updated_at(bad_csv: Path) -> None:
    sidecar = json.loads((bad_csv / SIDECAR).read_text())
    for name in ("tickets", "calls", "agents", "survey_responses"):
        report = sidecar["tables"][name]
        assert report["duplicates"] > 0
        table = contract.tables()[name]
        rows = csv_rows(bad_csv / f"{name}.csv")
        for item in report["duplicate_rows"]:
            duplicate = rows[item["row_number"] - 1]
            key = tuple(duplicate[k] for k in table.primary_key)
            originals = [r for r in rows[: report["good_rows"]]
                         if tuple(r[k] for k in table.primary_key) == key]  # fmt: skip
            assert originals, key
            same = [r for r in originals
                    if canonical(table, r) == canonical(table, duplicate)]  # fmt: skip
            assert same, key
            assert any(parse_ts(duplicate["updated_at"]) > parse_ts(r["updated_at"])  # type: ignore[operator]
                       for r in same)  # fmt: skip
            # The winner of "greatest updated_at" carries the same content as before.
            every = [r for r in rows if tuple(r[k] for k in table.primary_key) == key]
            winner = max(every, key=lambda r: parse_ts(r["updated_at"]))  # type: ignore[arg-type,return-value]
            before = max(originals, key=lambda r: parse_ts(r["updated_at"]))  # type: ignore[arg-type,return-value]
            assert canonical(table, winner) == canonical(table, before)


# --------------------------------------------------------------------------- realism


def test_abandonment_rises_with_queue_load(medium: duckdb.DuckDBPyConnection) -> None:
    rows = medium.execute("""
        WITH calls_in AS (SELECT *, time_bucket(INTERVAL 30 MINUTE, offered_at) AS slot
                          FROM calls WHERE direction = 'inbound'),
        slots AS (SELECT queue, slot, avg(epoch(answered_at - offered_at)) AS asa,
                         count(*) FILTER (WHERE epoch(abandoned_at - offered_at) >= 5) AS lost,
                         count(*) FILTER (WHERE abandoned_at IS NULL
                                          OR epoch(abandoned_at - offered_at) >= 5) AS n
                  FROM calls_in GROUP BY ALL)
        SELECT CASE WHEN asa <= 15 THEN 0 WHEN asa <= 60 THEN 1 ELSE 2 END AS wait_band,
               sum(lost) / sum(n) FROM slots
        WHERE asa IS NOT NULL GROUP BY 1 ORDER BY 1""").fetchall()
    rates = [rate for _, rate in rows]
    assert len(rates) == 3
    assert rates[1] > 1.5 * rates[0] and rates[2] > 1.3 * rates[1] and rates[2] > 3 * rates[0]
    short = scalar(
        medium,
        """SELECT count(*) FROM calls
        WHERE epoch(abandoned_at - offered_at) < 5""",
    )
    assert short > 0


def test_satisfaction_depends_on_the_experience(medium: duckdb.DuckDBPyConnection) -> None:
    by_wait = medium.execute("""
        SELECT epoch(c.answered_at - c.offered_at) > 60 AS long_wait, avg(s.score)
        FROM survey_responses s JOIN calls c ON s.contact_id = c.call_id
        WHERE s.survey_type = 'csat' GROUP BY 1 ORDER BY 1""").fetchall()
    assert by_wait[1][1] < by_wait[0][1] - 0.5
    by_reopen = medium.execute("""
        WITH reopened AS (
            SELECT DISTINCT e.ticket_id FROM ticket_events e JOIN ticket_events s
              ON e.ticket_id = s.ticket_id AND s.new_status = 'solved'
            WHERE e.new_status = 'open' AND e.event_at > s.event_at)
        SELECT r.ticket_id IS NOT NULL, avg(score) FROM survey_responses sr
        LEFT JOIN reopened r ON sr.contact_id = r.ticket_id
        WHERE sr.survey_type = 'csat' AND sr.contact_type = 'ticket' GROUP BY 1 ORDER BY 1""")
    rows = by_reopen.fetchall()
    assert rows[1][1] < rows[0][1]
    csat = scalar(medium, "SELECT avg((score >= 4)::INT) FROM survey_responses "
                          "WHERE survey_type = 'csat'")  # fmt: skip
    assert 0.7 < csat < 0.95


def test_arrivals_follow_business_rhythm(medium: duckdb.DuckDBPyConnection) -> None:
    by_hour = dict(
        medium.execute("""
        SELECT hour(created_at AT TIME ZONE 'Europe/Berlin') BETWEEN 10 AND 14, count(*) / 5.0
        FROM tickets GROUP BY 1""").fetchall()
    )
    night = scalar(
        medium,
        """SELECT count(*) / 5.0 FROM tickets
        WHERE hour(created_at AT TIME ZONE 'Europe/Berlin') BETWEEN 0 AND 4""",
    )
    assert by_hour[True] > 3 * night
    weekday = scalar(medium, "SELECT count(*) / 25.0 FROM tickets WHERE isodow(created_at) <= 5")
    sunday = scalar(medium, "SELECT count(*) / 5.0 FROM tickets WHERE isodow(created_at) = 7")
    assert sunday < 0.7 * weekday
    # Both DST changes fall inside the period and calls keep to local opening hours.
    assert (
        scalar(
            medium,
            """SELECT count(*) FROM calls WHERE queue = 'sales' AND (
        hour(offered_at AT TIME ZONE 'America/New_York') < 9
        OR hour(offered_at AT TIME ZONE 'America/New_York') >= 17)""",
        )
        == 0
    )
    assert (
        scalar(
            medium,
            """SELECT count(*) FROM calls WHERE queue = 'billing' AND (
        hour(offered_at AT TIME ZONE 'Europe/Berlin') < 8
        OR hour(offered_at AT TIME ZONE 'Europe/Berlin') >= 18)""",
        )
        == 0
    )


def test_operational_rates_are_plausible(medium: duckdb.DuckDBPyConnection) -> None:
    ever_solved, reopened, transferred, total = medium.execute("""
        WITH per AS (
            SELECT ticket_id, min(event_at) FILTER (WHERE new_status = 'solved') AS first_solve,
                   max(event_at) FILTER (WHERE new_status = 'open') AS last_open,
                   count(*) FILTER (WHERE event_type = 'transferred') AS transfers
            FROM ticket_events GROUP BY 1)
        SELECT count(first_solve), count(*) FILTER (WHERE last_open > first_solve),
               count(*) FILTER (WHERE transfers > 0), count(*) FROM per""").fetchone()  # type: ignore[misc]
    assert 0.03 < reopened / ever_solved < 0.12
    assert 0.04 < transferred / total < 0.13
    merged = scalar(medium, "SELECT avg((merged_into_ticket_id IS NOT NULL)::INT) FROM tickets")
    assert 0.005 < merged < 0.04
    repeat = scalar(
        medium,
        """
        WITH c AS (SELECT customer_id, topic, created_at FROM tickets
                   WHERE merged_into_ticket_id IS NULL)
        SELECT avg((EXISTS (SELECT 1 FROM c c2 WHERE c2.customer_id = c.customer_id
                    AND c2.topic = c.topic AND c2.created_at > c.created_at
                    AND c2.created_at <= c.created_at + INTERVAL 7 DAY))::INT) FROM c""",
    )
    assert 0.05 < repeat < 0.25
    utilisation = scalar(medium, "SELECT sum(handling_seconds) / sum(scheduled_seconds) "
                                 "FROM agent_intervals")  # fmt: skip
    assert 0.2 < utilisation < 0.9
    assert (
        scalar(
            medium,
            """SELECT count(*) FROM agent_intervals
        WHERE handling_seconds + available_seconds + aux_seconds <> logged_in_seconds
           OR logged_in_seconds + absent_seconds > scheduled_seconds
           OR epoch(interval_start) % 1800 <> 0""",
        )
        == 0
    )
    late_versions = scalar(
        medium, "SELECT count(*) FROM forecasts WHERE created_at > interval_start"
    )
    assert late_versions > 0
    calibrations = medium.execute("""SELECT calibration_session_id, count(*),
        count(*) FILTER (WHERE is_benchmark) FROM qa_evaluations WHERE is_calibration
        GROUP BY 1""").fetchall()
    assert calibrations and all(n >= 3 and benchmarks == 1 for _, n, benchmarks in calibrations)


def test_cli_writes_a_landing_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--out", str(tmp_path), "--seed", "5", "--tickets", "80", "--days", "3",
                 "--format", "parquet", "--bad-rows", "0.02", "--no-progress"])  # fmt: skip
    assert code == 0
    assert (tmp_path / "tickets.parquet").exists() and (tmp_path / SIDECAR).exists()
    assert "ticket_events" in capsys.readouterr().out
    sidecar = json.loads((tmp_path / SIDECAR).read_text())
    assert sidecar["format"] == "parquet"
    for name in TABLES:
        report = sidecar["tables"][name]
        assert not {"unparseable_timestamp", "unparseable_number"} & set(report["kinds"])
        rows = pq.read_metadata(tmp_path / f"{name}.parquet").num_rows
        assert rows == report["good_rows"] + report["bad_rows"] + report["duplicates"], name
