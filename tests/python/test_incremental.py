"""Incremental builds: a run with no new files changes nothing, and a run over a new
day of landing files publishes exactly the marts a full rebuild of the same files does.

The data is a generated landing directory written as a (two-site) tier, whose last
day is held back as one new Parquet part per table, like a daily export.
"""

from __future__ import annotations

import json
import math
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest

from switchboard import PROJECT_DIR, contract, publish
from switchboard.bench.runner import link_tree
from switchboard.generator import tiers
from tests.python.conftest import generate

# Bookkeeping that legitimately differs between two builds of the same rows.
LOAD_COLUMNS = {"_load_id", "load_id", "loaded_at", "_refreshed_at"}


def _sort_key(row: tuple[object, ...]) -> str:
    """Rows align by their text, floats rounded: parallel double sums differ in the last bits."""
    return repr(tuple(round(value, 6) if isinstance(value, float) else value for value in row))


def _same_row(left: tuple[object, ...], right: tuple[object, ...]) -> bool:
    """Equal, floats within 1e-9 (relative, or absolute near zero)."""
    return len(left) == len(right) and all(
        math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
        if isinstance(a, float) and isinstance(b, float)
        else a == b
        for a, b in zip(left, right, strict=True)
    )


def _snapshot(warehouse: Path, schemas: tuple[str, ...]) -> dict[str, list[tuple[object, ...]]]:
    """Every table of the schemas as a sorted list of rows (load bookkeeping left out)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            f"where table_schema in ({', '.join('?' for _ in schemas)}) "
            "and table_type = 'BASE TABLE' order by all",
            list(schemas),
        ).fetchall()
        snapshot = {}
        for schema, table in tables:
            columns = [
                row[0]
                for row in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position",
                    [schema, table],
                ).fetchall()
                if row[0] not in LOAD_COLUMNS
            ]
            projection = ", ".join(f'"{name}"' for name in columns)
            rows = con.execute(f'select {projection} from {schema}."{table}"').fetchall()
            snapshot[f"{schema}.{table}"] = sorted(rows, key=_sort_key)
        return snapshot
    finally:
        con.close()


def _differences(
    left: dict[str, list[tuple[object, ...]]], right: dict[str, list[tuple[object, ...]]]
) -> list[str]:
    problems = [f"{name}: only in one build" for name in sorted(set(left) ^ set(right))]
    for name in sorted(set(left) & set(right)):
        pairs = zip(left[name], right[name], strict=False)
        differing = sum(not _same_row(a, b) for a, b in pairs)
        if len(left[name]) != len(right[name]) or differing:
            problems.append(
                f"{name}: {len(left[name])} vs {len(right[name])} rows, {differing} rows differ"
            )
    return problems


@pytest.fixture(scope="module")
def tier(tmp_path_factory: pytest.TempPathFactory) -> tiers.Tier:
    root = tmp_path_factory.mktemp("incremental")
    # Six weeks across a month end, so the held-back day's month is not the
    # first: an incremental build must recompute the periods the day's tickets
    # touch (back into the earlier month or not), carry the backlog count of
    # the day before them, and keep the earlier periods.
    base = generate(
        root / "base", seed=11, tickets=1_500, days=42, start=date(2025, 2, 17),
        file_format="parquet",
    )  # fmt: skip
    return tiers.write_tier(base, root / "tier", "test", replicas=2, progress=False)


def _build(landing: Path, warehouse: Path, *, incremental: bool) -> None:
    result = publish.build(
        landing,
        warehouse,
        progress=False,
        artifacts_dir=warehouse.parent / "dbt",
        incremental=incremental,
    )
    # An incremental build on other code than the published one builds in
    # full, which would make every comparison here pass without testing.
    assert result.kind == ("incremental" if incremental else "full")


SCHEMAS = ("marts", "staging", "intermediate")


@dataclass
class DayBuild:
    """A full build of the tier, an incremental one with no new files, then one over the day."""

    landing: Path
    warehouse: Path
    before: dict[str, list[tuple[object, ...]]]
    unchanged: dict[str, list[tuple[object, ...]]]
    after_day: dict[str, list[tuple[object, ...]]]


@pytest.fixture(scope="module")
def day_build(tier: tiers.Tier, tmp_path_factory: pytest.TempPathFactory) -> DayBuild:
    root = tmp_path_factory.mktemp("day_build")
    landing = root / "landing"
    link_tree(tier.landing, landing)
    warehouse = root / "incremental" / "warehouse.duckdb"
    _build(landing, warehouse, incremental=False)
    before = _snapshot(warehouse, SCHEMAS)
    _build(landing, warehouse, incremental=True)  # no new files
    unchanged = _snapshot(warehouse, SCHEMAS)
    link_tree(tier.next_day_dir, landing)
    _build(landing, warehouse, incremental=True)
    return DayBuild(landing, warehouse, before, unchanged, _snapshot(warehouse, SCHEMAS))


def test_incremental_day_equals_full_rebuild(day_build: DayBuild, tmp_path: Path) -> None:
    unchanged = _differences(day_build.before, day_build.unchanged)
    assert unchanged == [], "\n".join(unchanged)
    after_day = day_build.after_day
    assert len(after_day["marts.fct_tickets"]) > len(day_build.before["marts.fct_tickets"])

    full = tmp_path / "full" / "warehouse.duckdb"
    _build(day_build.landing, full, incremental=False)
    differences = _differences(after_day, _snapshot(full, SCHEMAS))
    assert differences == [], "\n".join(differences)


def _key_set_models(warehouse: Path) -> list[str]:
    """The models whose replace_refreshed_keys config names key sets
    (macros/incremental/refreshed_*_key_sets.sql), from the build's manifest."""
    manifest = json.loads((warehouse.parent / "dbt" / "target" / "manifest.json").read_text())
    return sorted(
        f"{node['schema']}.{node['name']}"
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and (node["config"].get("refreshed_keys") or {}).get("key_sets")
    )


def test_day_rewrites_the_refreshed_keys_only(day_build: DayBuild) -> None:
    # The day's build rewrites some rows of each key-set model (the keys the
    # day touched) and keeps the others (their `_refreshed_at` predates it).
    # A key condition that matched every row would rebuild the whole table:
    # the marts above would still equal a full rebuild, so only this can tell.
    models = _key_set_models(day_build.warehouse)
    assert models, "no model configures refreshed_keys key_sets"
    rewritten_and_total = (
        "select count(*) filter (where _refreshed_at = (select max(_refreshed_at) from {0})),"
        " count(*) from {0}"
    )
    counts = {
        model: _rows(day_build.warehouse, rewritten_and_total.format(model))[0] for model in models
    }
    wrong = {
        model: (rewritten, total)
        for model, (rewritten, total) in counts.items()
        if not 0 < rewritten < total / 2
    }
    assert wrong == {}, f"(rows rewritten, rows) outside (0, half): {wrong}"


def _scalar(warehouse: Path, query: str) -> object:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        row = con.execute(query).fetchone()
    finally:
        con.close()
    assert row is not None
    return row[0]


def _rows(warehouse: Path, query: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


# The earliest three repeated contacts with exactly one later contact of their
# customer and topic within the window, a ticket: (that ticket, the contact).
REPEATED_BY_ONE_TICKET = """
    with contacts as (
        select * from marts.fct_contacts where customer_id is not null and topic is not null
    ),
    repeats as (
        select
            repeated.contact_type || ' ' || repeated.contact_id as repeated_contact,
            repeated.contact_at,
            min(later.contact_id) as ticket_id,
            count(*) as later_contacts,
            bool_and(later.contact_type = 'ticket') as by_ticket,
        from contacts as repeated
        inner join contacts as later
            on later.customer_id = repeated.customer_id and later.topic = repeated.topic
            and later.contact_at > repeated.contact_at
            and later.contact_at <= repeated.contact_at + interval 7 day
        where repeated.is_repeated
        group by all
    )
    select ticket_id, repeated_contact from repeats
    where later_contacts = 1 and by_ticket
    order by contact_at, repeated_contact
    limit 3
"""

# The earliest order attributed to a ticket contact with no other order, and the
# earliest ticket contact with no attributed order: (order, its ticket, the other).
MOVABLE_ORDER = """
    with single_orders as (
        select contact_id, min(order_id) as order_id from staging.stg_commerce__orders
        where contact_type = 'ticket' group by all having count(*) = 1
    )
    select
        single_orders.order_id,
        single_orders.contact_id,
        (select min(contact_id) from marts.fct_contacts
         where contact_type = 'ticket' and not has_attributed_order),
    from single_orders
    inner join marts.fct_contacts as contacts
        on contacts.contact_type = 'ticket' and contacts.contact_id = single_orders.contact_id
    order by contacts.contact_at, single_orders.order_id
    limit 1
"""


def _write_part(landing: Path, table: str, name: str, query: str) -> None:
    """A new Parquet part of `table` from a query over its current parts (`rows`)."""
    con = duckdb.connect()
    try:
        con.execute(
            f"create view rows as select * from read_parquet('{landing / table / '*.parquet'}')"
        )
        con.execute(f"copy ({query}) to '{landing / table / name}' (format parquet)")
    finally:
        con.close()


def test_new_versions_and_late_parents_equal_full_rebuild(tier: tiers.Tier, tmp_path: Path) -> None:
    """A load with new versions of earlier keys and the parent of an earlier
    quarantined row, then one with new versions of early survey responses and
    agent intervals only: the incremental builds re-rank every version of those
    keys, re-check the quarantined row and recompute the early periods, as a
    full rebuild does."""
    landing = tmp_path / "landing"
    link_tree(tier.landing, landing)
    # Load 1 holds an event whose ticket has not arrived (quarantined).
    _write_part(
        landing, "ticket_events", "part-orphan.parquet",
        "select * replace ('E-ORPHAN' as event_id, 'T-LATE' as ticket_id) "
        "from rows where event_type = 'created' order by event_at desc, event_id limit 1",
    )  # fmt: skip
    # ... and a ticket whose only event is a handled reply: load 2 moves that
    # event to another ticket, so the ticket is left with no event at all (its
    # event rows, interaction and lifecycle row must go). Parts named before
    # part-late: the later file name wins.
    events = landing / "ticket_events" / "*.parquet"
    single_reply = (
        f"select * from read_parquet('{events}') where event_type = 'agent_reply' "
        "and coalesce(handle_seconds, 0) > 0 order by event_at, event_id limit 1"
    )
    _write_part(
        landing, "tickets", "part-early.parquet",
        "select * replace ('T-SINGLE' as ticket_id, "
        " cast(null as varchar) as merged_into_ticket_id) "
        f"from rows where ticket_id = (select ticket_id from ({single_reply})) "
        "order by updated_at desc limit 1",
    )  # fmt: skip
    _write_part(
        landing, "ticket_events", "part-early.parquet",
        f"select * replace ('E-SINGLE' as event_id, 'T-SINGLE' as ticket_id) from ({single_reply})",
    )  # fmt: skip
    warehouse = tmp_path / "incremental" / "warehouse.duckdb"
    _build(landing, warehouse, incremental=False)
    single = "interaction_id = 'E-SINGLE' or ticket_id = 'T-SINGLE'"
    interactions = (
        f"select interaction_id, ticket_id from intermediate.int_interactions where {single}"
    )
    assert _rows(warehouse, interactions) == [("E-SINGLE", "T-SINGLE")]
    # The first ticket assigned to an agent: load 2 merges it, so its
    # assignments vanish (the model must delete them, not only re-insert).
    merged = _scalar(
        warehouse,
        "select ticket_id from intermediate.int_ticket_assignments "
        "order by assigned_at, assignment_event_id limit 1",
    )
    # The first deflected view: load 2 brings a late ticket of its customer an
    # hour after it, so it is no longer deflected.
    deflected_view = _scalar(
        warehouse,
        "select view_id from intermediate.int_article_views__deflection "
        "where is_deflected order by viewed_at, view_id limit 1",
    )
    # Two repeated contacts whose repeat is one later ticket: load 2 moves the
    # first's ticket to another customer and the second's to no customer, so
    # neither is repeated any more (the contacts of a ticket's former customer
    # are recomputed). And a ticket contact with one order: load 2 moves that
    # order to another ticket contact (every version of the order counts).
    repeats = [
        row
        for row in _rows(warehouse, REPEATED_BY_ONE_TICKET)
        if row[0] not in (merged, "T-SINGLE")
    ]
    (moved, moved_from), (unknown, unknown_from) = repeats[:2]
    order_id, ordered, reordered = _rows(warehouse, MOVABLE_ORDER)[0]
    # The earliest handled interaction among the other tickets' events: load 2
    # moves it to the earliest other ticket (its interaction leaves its first one).
    moved_event, event_ticket = _rows(
        warehouse,
        "select events.event_id, first_ticket.ticket_id "
        "from marts.fct_ticket_events as events, "
        " (select ticket_id from marts.fct_tickets where not is_merged "
        f"  and ticket_id not in ('{merged}', '{moved}', '{unknown}', 'T-SINGLE') "
        "  order by created_at, ticket_id limit 1) as first_ticket "
        "where events.is_handled_interaction and not events.is_merged_ticket "
        " and events.ticket_id <> first_ticket.ticket_id "
        f" and events.ticket_id not in ('{merged}', '{moved}', '{unknown}', 'T-SINGLE') "
        "order by events.event_at, events.event_id limit 1",
    )[0]
    views = landing / "article_views" / "*.parquet"
    follow_up = (
        "(select rows.* replace ('T-FOLLOW' as ticket_id, view.customer_id as customer_id, "
        " view.viewed_at + interval 1 hour as created_at, "
        " view.viewed_at + interval 2 hour as updated_at, "
        " cast(null as varchar) as merged_into_ticket_id) "
        f" from rows, (select customer_id, viewed_at from read_parquet('{views}') "
        f"  where view_id = '{deflected_view}' limit 1) as view "
        " order by rows.created_at, rows.ticket_id limit 1)"
    )

    # Load 2: the late ticket (of a customer known from no other row: the
    # customer dimension gains it from the ticket alone), newer versions of
    # the five latest tickets and a merged version of the first assigned one,
    # a second version of the three latest events (no version column: the
    # later file wins) ...
    _write_part(
        landing, "tickets", "part-late.parquet",
        "(select * replace ('urgent' as priority, updated_at + interval 1 hour as updated_at) "
        " from rows order by created_at desc, ticket_id limit 5) "
        "union all "
        "(select * replace ('T-LATE' as ticket_id, 'C-TICKET-ONLY' as customer_id) from rows "
        " order by created_at desc, ticket_id limit 1) "
        "union all "
        "(select * replace ("
        f"  (select max(ticket_id) from rows where ticket_id <> '{merged}') "
        "   as merged_into_ticket_id, updated_at + interval 1 hour as updated_at) "
        f" from rows where ticket_id = '{merged}' order by updated_at desc limit 1) "
        f"union all {follow_up} "
        "union all "
        "(select * replace ("
        "  (select min(customer_id) from rows where customer_id not in "
        f"   (select customer_id from rows where ticket_id = '{moved}')) as customer_id, "
        "   updated_at + interval 1 hour as updated_at) "
        f" from rows where ticket_id = '{moved}' order by updated_at desc limit 1) "
        "union all "
        "(select * replace (cast(null as varchar) as customer_id, "
        "   updated_at + interval 1 hour as updated_at) "
        f" from rows where ticket_id = '{unknown}' order by updated_at desc limit 1)",
    )  # fmt: skip
    _write_part(
        landing, "orders", "part-late.parquet",
        f"select * replace ('ticket' as contact_type, '{reordered}' as contact_id) "
        f"from rows where order_id = '{order_id}' limit 1",
    )  # fmt: skip
    _write_part(
        landing, "ticket_events", "part-late.parquet",
        "(select * replace (coalesce(handle_seconds, 0) + 60 as handle_seconds) "
        " from rows where event_id <> 'E-ORPHAN' order by event_at desc, event_id limit 3) "
        f"union all (select * replace ('{event_ticket}' as ticket_id) "
        f" from rows where event_id in ('{moved_event}', 'E-SINGLE'))",
    )  # fmt: skip
    # ... and a newer version of the three earliest calls: the call KPIs of
    # their (first) periods are recomputed, which the tickets refreshed here
    # (recent ones) would not reach; the third moves to a customer known from
    # no other row.
    _write_part(
        landing, "calls", "part-late.parquet",
        "select * replace (talk_seconds + 30 as talk_seconds, "
        "updated_at + interval 1 hour as updated_at, "
        "case when row_number() over (order by offered_at, call_id) = 3 "
        " then 'C-CALL-ONLY' else customer_id end as customer_id) "
        "from rows where talk_seconds is not null order by offered_at, call_id limit 3",
    )  # fmt: skip
    _build(landing, warehouse, incremental=True)
    schemas = (*SCHEMAS, "audit")

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        late_events = con.execute(
            "select count(*) from staging.stg_helpdesk__ticket_events where ticket_id = 'T-LATE'"
        ).fetchone()
        late_versions = con.execute(
            "select count(*), count(*) filter (where stg.priority = 'urgent' "
            "and stg.updated_at = late.updated_at) "
            "from staging.stg_helpdesk__tickets as stg "
            f"inner join read_parquet('{landing / 'tickets' / 'part-late.parquet'}') as late "
            "on stg.ticket_id = late.ticket_id "
            "where late.ticket_id not in "
            f"('T-LATE', 'T-FOLLOW', '{merged}', '{moved}', '{unknown}')"
        ).fetchone()
        late_calls = con.execute(
            "select count(*) from marts.fct_calls as calls "
            f"inner join read_parquet('{landing / 'calls' / 'part-late.parquet'}') as late "
            "on calls.call_id = late.call_id and calls.talk_seconds = late.talk_seconds"
        ).fetchone()
    finally:
        con.close()
    assert late_calls == (3,)
    assert _rows(
        warehouse,
        "select customer_id from marts.dim_customers "
        "where customer_id in ('C-TICKET-ONLY', 'C-CALL-ONLY') order by all",
    ) == [("C-CALL-ONLY",), ("C-TICKET-ONLY",)]
    assert late_events == (1,)
    assert late_versions == (5, 5)
    assert (
        _scalar(
            warehouse,
            "select count(*) from intermediate.int_ticket_assignments "
            f"where ticket_id = '{merged}'",
        )
        == 0
    )
    assert (
        _scalar(
            warehouse,
            "select is_deflected from intermediate.int_article_views__deflection "
            f"where view_id = '{deflected_view}'",
        )
        is False
    )

    contacts = dict(
        _rows(
            warehouse,
            "select contact_type || ' ' || contact_id, "
            "[is_repeated, has_attributed_order, customer_id is null] from marts.fct_contacts",
        )
    )
    assert _rows(
        warehouse,
        "select ticket_id from intermediate.int_interactions "
        f"where interaction_source = 'ticket' and interaction_id = '{moved_event}'",
    ) == [(event_ticket,)]
    assert _rows(warehouse, interactions) == [("E-SINGLE", event_ticket)]
    assert contacts[moved_from][0] is False
    assert contacts[unknown_from][0] is False
    assert contacts[f"ticket {unknown}"][2] is True
    assert contacts[f"ticket {ordered}"][1] is False
    assert contacts[f"ticket {reordered}"][1] is True

    # Load 3, alone (load 2's early tickets and calls would widen every
    # window): a newer version of the three earliest CSAT responses with the
    # other end of the scale, of the three earliest intervals with handling
    # time (no version column: the later file wins), and of the article of
    # the earliest view with another topic. The survey, agent-time and
    # self-service KPIs of their periods, months before the day's, are
    # recomputed.
    _write_part(
        landing, "survey_responses", "part-later.parquet",
        "select * replace (6 - score as score, updated_at + interval 1 hour as updated_at) "
        "from rows where survey_type = 'csat' and score <> 3 "
        "order by responded_at, response_id limit 3",
    )  # fmt: skip
    _write_part(
        landing, "agent_intervals", "part-later.parquet",
        "select * replace (handling_seconds // 2 as handling_seconds, "
        "available_seconds + handling_seconds - handling_seconds // 2 as available_seconds) "
        "from rows where handling_seconds > 1 order by interval_start, agent_id limit 3",
    )  # fmt: skip
    first_article = _scalar(
        warehouse,
        "select article_id from intermediate.int_article_views__deflection "
        "order by viewed_at, view_id limit 1",
    )
    _write_part(
        landing, "help_articles", "part-later.parquet",
        "select * replace (case when topic = (select min(topic) from rows) "
        " then (select max(topic) from rows) else (select min(topic) from rows) end as topic, "
        " updated_at + interval 1 day as updated_at) "
        f"from rows where article_id = '{first_article}' order by updated_at desc limit 1",
    )  # fmt: skip
    _build(landing, warehouse, incremental=True)
    assert (
        _scalar(
            warehouse,
            "select count(*) from marts.fct_survey_responses as responses "
            f"inner join read_parquet('{landing / 'survey_responses' / 'part-later.parquet'}') "
            "as late on responses.response_id = late.response_id and responses.score = late.score",
        )
        == 3
    )
    assert (
        _scalar(
            warehouse,
            "select count(*) from marts.fct_agent_intervals as intervals "
            f"inner join read_parquet('{landing / 'agent_intervals' / 'part-later.parquet'}') "
            "as late on intervals.agent_id = late.agent_id "
            "and intervals.interval_start = late.interval_start "
            "and intervals.handling_seconds = late.handling_seconds",
        )
        == 3
    )
    assert _rows(
        warehouse,
        "select distinct views.topic from intermediate.int_article_views__deflection as views "
        f"where views.article_id = '{first_article}'",
    ) == _rows(
        warehouse,
        f"select topic from read_parquet('{landing / 'help_articles' / 'part-later.parquet'}')",
    )
    incremental = _snapshot(warehouse, schemas)

    full = tmp_path / "full" / "warehouse.duckdb"
    _build(landing, full, incremental=False)
    differences = _differences(incremental, _snapshot(full, schemas))
    assert differences == [], "\n".join(differences)


def test_first_article_views_recompute_every_period(tier: tiers.Tier, tmp_path: Path) -> None:
    """The optional article views arrive after the first build, and only from
    the fourth week on. Before them the self-service ratio has no ticket units,
    so it is unknown in every period; with them every ticket is a unit, so the
    weeks before the first view get a ratio of 0. The incremental build that
    loads them must recompute every period (kpi_recompute_from_sql: a fact
    whose every row the run refreshed), not only those from the first view's,
    as a full rebuild does."""
    landing = tmp_path / "landing"
    link_tree(tier.landing, landing)
    shutil.rmtree(landing / "article_views")
    warehouse = tmp_path / "incremental" / "warehouse.duckdb"
    _build(landing, warehouse, incremental=False)
    ratios = "select count(value) from marts.kpi_values where kpi_id = 'self_service_ratio'"
    assert _scalar(warehouse, ratios) == 0

    (landing / "article_views").mkdir()
    views = tier.landing / "article_views" / "*.parquet"
    later = "timestamptz '2025-03-10 00:00:00+00'"
    with duckdb.connect() as con:
        con.execute(
            f"copy (select * from read_parquet('{views}') where viewed_at >= {later}) "
            f"to '{landing / 'article_views' / 'part-0.parquet'}' (format parquet)"
        )
    _build(landing, warehouse, incremental=True)
    # The days of February: before the month of the first view, so only the
    # first-rows rule recomputes them.
    february = (
        "select count(value) from marts.kpi_values where kpi_id = 'self_service_ratio' "
        "and grain = 'day' and value = 0 and period_start < date '2025-03-01'"
    )
    assert _scalar(warehouse, february) > 0
    incremental = _snapshot(warehouse, SCHEMAS)

    full = tmp_path / "full" / "warehouse.duckdb"
    _build(landing, full, incremental=False)
    differences = _differences(incremental, _snapshot(full, SCHEMAS))
    assert differences == [], "\n".join(differences)


def _tests_pass(
    warehouse: Path, select: str, *, whole_tables: bool = False, command: str = "test"
) -> bool:
    arguments = [command, "--select", select, "--quiet"]
    if whole_tables:
        arguments += ["--vars", "{test_whole_tables: true}"]
    try:
        publish.run_dbt(arguments, warehouse, artifacts_dir=warehouse.parent / "dbt")
    except publish.BuildError:
        return False
    return True


def test_tests_read_the_rows_of_the_latest_build(day_build: DayBuild, tmp_path: Path) -> None:
    """A test on a model with `_refreshed_at` reads the rows the latest build wrote (the
    key tests: every row sharing a key with them); older rows passed when written. A
    `dbt build` that wrote no row of the model reads none."""
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(day_build.warehouse, warehouse)
    unique = "fct_ticket_events,test_name:unique"
    orphan = "fct_ticket_events,test_name:relationships"
    # marts.fct_ticket_events is a view of this table: its rows are written here.
    events = "intermediate.int_ticket_events__sequenced"
    assert _tests_pass(warehouse, unique) and _tests_pass(warehouse, orphan)

    con = duckdb.connect(str(warehouse))
    try:
        latest, older = con.execute(
            f"select max(_refreshed_at), min(_refreshed_at) from {events}"
        ).fetchone() or (None, None)
        assert latest is not None and older is not None and older < latest
        # A duplicate and an orphan among the rows an earlier build wrote ...
        con.execute(
            "create schema scratch; create table scratch.older_event as "
            f"select * from {events} "
            "where _refreshed_at = ? order by event_id limit 1",
            [older],
        )
        con.execute(f"insert into {events} select * from scratch.older_event")
        con.execute(
            f"update {events} set ticket_id = 'no such ticket' where event_id = "
            f"(select max(event_id) from {events} where _refreshed_at = ?)",
            [older],
        )
    finally:
        con.close()
    # ... are not read again, unless a run asks for whole tables.
    assert _tests_pass(warehouse, unique) and _tests_pass(warehouse, orphan)
    assert not _tests_pass(warehouse, unique, whole_tables=True)
    assert not _tests_pass(warehouse, orphan, whole_tables=True)

    con = duckdb.connect(str(warehouse))
    try:
        # A new row repeating an older row's key fails the key test; an orphan
        # among the rows of the latest build fails the row test.
        con.execute(
            f"insert into {events} "
            "select * replace (cast(? as timestamp) as _refreshed_at) from scratch.older_event",
            [latest],
        )
        con.execute(
            f"update {events} set ticket_id = 'no such ticket' where event_id = "
            f"(select min(event_id) from {events} where _refreshed_at = ?)",
            [latest],
        )
    finally:
        con.close()
    assert not _tests_pass(warehouse, unique)
    assert not _tests_pass(warehouse, orphan)
    # A `dbt build` in which the model wrote no row (every stamp predates it)
    # reads none: that build wrote nothing to test.
    assert _tests_pass(warehouse, unique, command="build")
    assert _tests_pass(warehouse, orphan, command="build")


def test_held_back_day_is_one_part_per_table(tier: tiers.Tier) -> None:
    parts = sorted(path.parent.name for path in tier.next_day_dir.glob("*/*.parquet"))
    assert "tickets" in parts and "ticket_events" in parts
    con = duckdb.connect()
    try:
        held_back = con.execute(
            f"select count(*), min(cast(created_at as date)) "
            f"from read_parquet('{tier.next_day_dir / 'tickets' / '*.parquet'}')"
        ).fetchone()
        in_landing = con.execute(
            f"select max(cast(created_at as date)) "
            f"from read_parquet('{tier.landing / 'tickets' / '*.parquet'}')"
        ).fetchone()
    finally:
        con.close()
    assert held_back is not None and in_landing is not None
    assert held_back[0] > 0
    assert held_back[1] == tier.next_day
    assert in_landing[0] < tier.next_day


def test_touched_tickets_cover_every_reference_of_tickets_and_events() -> None:
    """touched_ticket_filter re-reads a ticket when a parent its rows reference arrives
    (a quarantined row becomes valid without a new version): events reference tickets
    (covered by new ticket versions) and agents (its default `via_agents`). A new
    reference in the contract must be added there; this names it."""
    tables = contract.tables()
    referenced = {
        (table, column.name, parent)
        for table in ("tickets", "ticket_events")
        for column in tables[table].columns
        for parent, *_ in column.references
    }
    assert referenced == {
        ("ticket_events", "ticket_id", "tickets"),
        ("ticket_events", "agent_id", "agents"),
    }
    macro = (PROJECT_DIR / "macros" / "incremental" / "touched_ticket_filter.sql").read_text()
    assert "via_agents=['base_helpdesk__agents']" in macro
