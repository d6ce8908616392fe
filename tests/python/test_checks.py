"""switchboard.checks: each check catches a planted problem and passes a clean case.

Hand-made manifest dicts and tiny DuckDB files in tmp_path: no dbt run needed.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from switchboard import checks

PII_NAMES = {"agent_name", "email", "comment"}


def _model(
    name: str,
    path: str,
    *,
    schema: str = "intermediate",
    description: str = "One row per thing.",
    columns: dict[str, str] | None = None,
    parents: list[str] | None = None,
    meta: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "unique_id": f"model.switchboard.{name}",
        "resource_type": "model",
        "package_name": "switchboard",
        "name": name,
        "alias": name,
        "schema": schema,
        "original_file_path": f"models/{path}/{name}.sql",
        "description": description,
        "columns": {
            column: {"name": column, "description": text, "meta": {}, "constraints": []}
            for column, text in (columns or {}).items()
        },
        "depends_on": {"nodes": parents or [], "macros": []},
        "constraints": [],
        "config": {"meta": meta or {}},
        "meta": {},
    }


def _test(name: str, model: str, **kwargs: Any) -> dict[str, Any]:
    return {
        "unique_id": f"test.switchboard.{name}_{model}",
        "resource_type": "test",
        "package_name": "switchboard",
        "name": f"{name}_{model}",
        "attached_node": f"model.switchboard.{model}",
        "column_name": kwargs.get("column_name"),
        "test_metadata": {"name": name, "kwargs": kwargs},
        "depends_on": {"nodes": [f"model.switchboard.{model}"], "macros": []},
    }


def _source(source: str, table: str, meta: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "unique_id": f"source.switchboard.{source}.{table}",
        "resource_type": "source",
        "package_name": "switchboard",
        "source_name": source,
        "name": table,
        "original_file_path": f"models/staging/{source}/_{source}__sources.yml",
        "meta": meta or {},
        "config": {"meta": meta or {}},
        "columns": {
            "agent_id": {"name": "agent_id", "meta": {}},
        },
    }


def _manifest(*nodes: dict[str, Any], sources: list[dict[str, Any]] | None = None) -> dict:
    macro = {
        "unique_id": "macro.switchboard.metric_aht",
        "package_name": "switchboard",
        "name": "metric_aht",
        "original_file_path": "macros/metrics/metric_aht.sql",
        "description": "Average handle time per interaction.",
    }
    return {
        "metadata": {"project_name": "switchboard"},
        "nodes": {node["unique_id"]: node for node in nodes},
        "sources": {source["unique_id"]: source for source in sources or []},
        "macros": {macro["unique_id"]: macro},
        "unit_tests": {},
    }


@pytest.fixture
def clean_manifest() -> dict[str, Any]:
    """A tiny project that passes both manifest checks."""
    contract = {"contract": {"required": True, "primary_key": ["agent_id"]}}
    return _manifest(
        _model(
            "base_helpdesk__agents",
            "staging/helpdesk",
            schema="staging",
            description="Every raw row of helpdesk.agents (one row per agent per version).",
            parents=["source.switchboard.helpdesk.agents"],
        ),
        _model(
            "stg_helpdesk__agents",
            "staging/helpdesk",
            schema="staging",
            description="Agents: one row per agent.",
            columns={"agent_id": "Agent identifier."},
            parents=["model.switchboard.base_helpdesk__agents"],
        ),
        _model(
            "int_agent_days",
            "intermediate/workforce",
            parents=["model.switchboard.stg_helpdesk__agents"],
        ),
        _model(
            "fct_calls",
            "marts/core",
            schema="marts",
            description="One row per call.",
            columns={"call_id": "Call identifier.", "wait_seconds": "Queue wait (s)."},
            parents=["model.switchboard.int_agent_days"],
            meta={"primary_key": ["call_id"]},
        ),
        _model(
            "dim_agents",
            "marts/core",
            schema="marts",
            description="One row per agent (no name or email).",
            columns={"agent_id": "Agent identifier."},
            parents=["model.switchboard.stg_helpdesk__agents"],
        ),
        _test("not_null", "base_helpdesk__agents", column_name="_line_number"),
        _test("unique", "stg_helpdesk__agents", column_name="agent_id"),
        _test("unique_combination", "int_agent_days", columns=["agent_id", "date_day"]),
        _test("unique", "fct_calls", column_name="call_id"),
        _test("unique", "dim_agents", column_name="agent_id"),
        sources=[_source("helpdesk", "agents", contract)],
    )


def _node(manifest: dict[str, Any], name: str) -> dict[str, Any]:
    node: dict[str, Any] = manifest["nodes"][f"model.switchboard.{name}"]
    return node


# --------------------------------------------------------------------------- docs


def test_docs_passes_clean_manifest(clean_manifest: dict[str, Any]) -> None:
    assert checks.check_docs(clean_manifest) == []


def test_docs_names_model_without_description(clean_manifest: dict[str, Any]) -> None:
    _node(clean_manifest, "fct_calls")["description"] = ""
    assert checks.check_docs(clean_manifest) == [
        "models/marts/core/fct_calls.sql: model fct_calls has no description"
    ]


def test_docs_names_column_without_description(clean_manifest: dict[str, Any]) -> None:
    _node(clean_manifest, "fct_calls")["columns"]["wait_seconds"]["description"] = " "
    assert checks.check_docs(clean_manifest) == [
        "models/marts/core/fct_calls.sql: column wait_seconds has no description"
    ]


def test_docs_requires_grain_in_every_model(clean_manifest: dict[str, Any]) -> None:
    _node(clean_manifest, "int_agent_days")["description"] = "Agent days with their team."
    (problem,) = checks.check_docs(clean_manifest)
    assert problem.startswith("models/intermediate/workforce/int_agent_days.sql: model")
    assert "grain" in problem


def test_docs_ignores_columns_outside_marts(clean_manifest: dict[str, Any]) -> None:
    _node(clean_manifest, "stg_helpdesk__agents")["columns"]["agent_id"]["description"] = ""
    assert checks.check_docs(clean_manifest) == []


def test_docs_names_undocumented_metric_macro(clean_manifest: dict[str, Any]) -> None:
    clean_manifest["macros"]["macro.switchboard.metric_aht"]["description"] = ""
    assert checks.check_docs(clean_manifest) == [
        "macros/metrics/metric_aht.sql: macro metric_aht has no description"
    ]


def test_docs_checks_built_columns_missing_from_yaml(
    clean_manifest: dict[str, Any], tmp_path: Path
) -> None:
    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema marts")
        connection.execute("create table marts.fct_calls (call_id varchar, wait_seconds int)")
        connection.execute("create table marts.dim_agents (agent_id varchar)")
    assert checks.check_docs(clean_manifest, warehouse) == []
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("alter table marts.fct_calls add column talk_seconds int")
    assert checks.check_docs(clean_manifest, warehouse) == [
        "models/marts/core/fct_calls.sql: column talk_seconds has no description"
    ]


# --------------------------------------------------------------------------- conventions


def test_conventions_pass_clean_manifest(clean_manifest: dict[str, Any]) -> None:
    assert checks.check_conventions(clean_manifest) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("fct_calls", "calls", "should be named fct_<name> or dim_<name>"),
        ("int_agent_days", "agent_days", "should be named int_<name>"),
        ("stg_helpdesk__agents", "stg_agents", "should be named stg_helpdesk__<entity> or base_"),
    ],
)
def test_conventions_catch_layer_names(
    clean_manifest: dict[str, Any], old: str, new: str, expected: str
) -> None:
    node = _node(clean_manifest, old)
    node["name"] = new
    node["original_file_path"] = node["original_file_path"].replace(old, new)
    problems = checks.check_conventions(clean_manifest)
    assert any(f"model {new} {expected}" in problem for problem in problems), problems


def test_conventions_catch_staging_reading_other_models(clean_manifest: dict[str, Any]) -> None:
    _node(clean_manifest, "stg_helpdesk__agents")["depends_on"]["nodes"].append(
        "model.switchboard.int_agent_days"
    )
    assert checks.check_conventions(clean_manifest) == [
        "models/staging/helpdesk/stg_helpdesk__agents.sql: staging model stg_helpdesk__agents "
        "depends on model.switchboard.int_agent_days; staging reads only sources, seeds and "
        "base_ models of its own folder"
    ]


def test_conventions_allow_base_models_referenced_by_the_contract(
    clean_manifest: dict[str, Any],
) -> None:
    calls = _source("telephony", "calls", {"contract": {"primary_key": ["call_id"]}})
    calls["columns"]["agent_id"]["meta"] = {"references": {"table": "agents"}}
    clean_manifest["sources"][calls["unique_id"]] = calls
    base = _model(
        "base_telephony__calls",
        "staging/telephony",
        schema="staging",
        parents=[calls["unique_id"], "model.switchboard.base_helpdesk__agents"],
    )
    clean_manifest["nodes"][base["unique_id"]] = base
    test = _test("not_null", "base_telephony__calls", column_name="_line_number")
    clean_manifest["nodes"][test["unique_id"]] = test
    assert checks.check_conventions(clean_manifest) == []
    calls["columns"]["agent_id"]["meta"] = {}
    (problem,) = checks.check_conventions(clean_manifest)
    assert "depends on model.switchboard.base_helpdesk__agents" in problem


def test_conventions_catch_mart_reading_a_source(clean_manifest: dict[str, Any]) -> None:
    _node(clean_manifest, "fct_calls")["depends_on"]["nodes"].append(
        "source.switchboard.helpdesk.agents"
    )
    assert checks.check_conventions(clean_manifest) == [
        "models/marts/core/fct_calls.sql: mart fct_calls depends directly on "
        "source.switchboard.helpdesk.agents; marts never read sources"
    ]


def test_conventions_catch_untested_model(clean_manifest: dict[str, Any]) -> None:
    del clean_manifest["nodes"]["test.switchboard.unique_combination_int_agent_days"]
    assert checks.check_conventions(clean_manifest) == [
        "models/intermediate/workforce/int_agent_days.sql: model int_agent_days has no test"
    ]


@pytest.mark.parametrize(
    ("model", "key"),
    [
        ("fct_calls", "primary key (call_id)"),  # meta.primary_key
        ("stg_helpdesk__agents", "primary key (agent_id)"),  # raw contract key
        ("dim_agents", "a key (dimension)"),
    ],
)
def test_conventions_catch_key_without_uniqueness_test(
    clean_manifest: dict[str, Any], model: str, key: str
) -> None:
    test = clean_manifest["nodes"].pop(f"test.switchboard.unique_{model}")
    not_null = {**test, "unique_id": f"test.switchboard.not_null_{model}"}
    not_null["test_metadata"] = {"name": "not_null", "kwargs": test["test_metadata"]["kwargs"]}
    clean_manifest["nodes"][not_null["unique_id"]] = not_null
    (problem,) = checks.check_conventions(clean_manifest)
    assert problem.endswith(
        f"model {model} has {key} but no unique or unique_combination test on it"
    )


def test_conventions_reject_uniqueness_test_on_another_column(
    clean_manifest: dict[str, Any],
) -> None:
    test = clean_manifest["nodes"]["test.switchboard.unique_fct_calls"]
    test["test_metadata"]["kwargs"]["column_name"] = "wait_seconds"
    test["column_name"] = "wait_seconds"
    (problem,) = checks.check_conventions(clean_manifest)
    assert "fct_calls has primary key (call_id)" in problem


def test_conventions_catch_source_without_contract(clean_manifest: dict[str, Any]) -> None:
    clean_manifest["sources"]["source.switchboard.helpdesk.agents"]["meta"] = {}
    clean_manifest["sources"]["source.switchboard.helpdesk.agents"]["config"] = {"meta": {}}
    assert checks.check_conventions(clean_manifest) == [
        "models/staging/helpdesk/_helpdesk__sources.yml: source helpdesk.agents has no "
        "meta.contract"
    ]


# --------------------------------------------------------------------------- privacy


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    """A clean warehouse: staging holds PII, marts only identifiers."""
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema staging")
        connection.execute("create schema marts")
        connection.execute(
            "create table staging.stg_helpdesk__agents as "
            "select 'a1' as agent_id, 'Ada Lovelace' as agent_name, 'ada@example.com' as email"
        )
        connection.execute(
            "create table staging.stg_helpdesk__customers as "
            "select 'c1' as customer_id, 'cy@example.org' as email"
        )
        connection.execute(
            "create view staging.stg_surveys__survey_responses as "
            "select 's1' as response_id, 'Call me on 0207 946 0000' as comment"
        )
        connection.execute(
            "create table marts.dim_agents as select 'a1' as agent_id, 't1' as team_id, "
            "'Support' as team_name, 3 as tenure_months, true as has_comment"
        )
        connection.execute(
            "create view marts.kpi_definitions as select 'aht' as kpi_id, 'AHT' as kpi_name"
        )
    return path


def _plant(path: Path, sql: str) -> None:
    with duckdb.connect(str(path)) as connection:
        connection.execute(sql)


def test_privacy_passes_clean_warehouse(warehouse: Path) -> None:
    assert checks.check_privacy(warehouse, PII_NAMES) == []


def test_privacy_reads_pii_names_from_the_contract() -> None:
    assert {"agent_name", "email", "comment"} <= checks.pii_column_names()
    assert "team_name" not in checks.pii_column_names()


def test_privacy_names_pii_column(warehouse: Path) -> None:
    _plant(
        warehouse,
        "create table marts.dim_customers as select 'c1' as customer_id, "
        "cast(null as varchar) as email",
    )
    assert checks.check_privacy(warehouse, PII_NAMES) == [
        "marts.dim_customers: column email is a PII column name"
    ]


@pytest.mark.parametrize("column", ["agent_name", "name", "customer_email", "survey_comment"])
def test_privacy_catches_pii_name_variants(warehouse: Path, column: str) -> None:
    _plant(warehouse, f"create table marts.leak as select cast(null as varchar) as {column}")
    assert checks.check_privacy(warehouse, PII_NAMES) == [
        f"marts.leak: column {column} is a PII column name"
    ]


def test_privacy_catches_email_value_in_innocent_column(warehouse: Path) -> None:
    _plant(warehouse, "create table marts.fct_calls as select 'ada@example.com' as caller_ref")
    assert checks.check_privacy(warehouse, PII_NAMES) == [
        "marts.fct_calls: column caller_ref holds an email-like, "
        "stg_helpdesk__agents.email value 'a**@e******.c**'"
    ]


def test_privacy_catches_email_pattern_not_in_staging(warehouse: Path) -> None:
    _plant(warehouse, "create view marts.v as select 'x' as k, 'Bob.Smith@corp.io' as note")
    (problem,) = checks.check_privacy(warehouse, PII_NAMES)
    assert problem == "marts.v: column note holds an email-like value 'B**.S****@c***.i*'"
    assert "Smith" not in problem


@pytest.mark.parametrize(
    ("value", "origin"),
    [
        ("Ada Lovelace", "stg_helpdesk__agents.agent_name"),
        ("Call me on 0207 946 0000", "stg_surveys__survey_responses.comment"),
    ],
)
def test_privacy_catches_staging_pii_values(warehouse: Path, value: str, origin: str) -> None:
    _plant(warehouse, f"insert into marts.dim_agents values ('a2', 't1', '{value}', 1, false)")
    (problem,) = checks.check_privacy(warehouse, PII_NAMES)
    assert problem.startswith(f"marts.dim_agents: column team_name holds {origin} value '")
    assert value not in problem


def test_privacy_fails_closed_without_staging_pii(warehouse: Path) -> None:
    _plant(warehouse, "drop table staging.stg_helpdesk__customers")
    assert checks.check_privacy(warehouse, PII_NAMES) == [
        f"{warehouse}: cannot compare marts values with staging.stg_helpdesk__customers.email: "
        "relation or column missing"
    ]


def test_privacy_opens_read_only(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse), read_only=True):
        assert checks.check_privacy(warehouse, PII_NAMES) == []


# --------------------------------------------------------------------------- command line


def test_main_prints_problems_and_exits_non_zero(
    clean_manifest: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(clean_manifest))
    assert checks.main(["conventions", "--manifest", str(path)]) == 0
    broken = copy.deepcopy(clean_manifest)
    broken["nodes"]["model.switchboard.fct_calls"]["description"] = None
    path.write_text(json.dumps(broken))
    assert checks.main(["docs", "--manifest", str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "models/marts/core/fct_calls.sql: model fct_calls has no description"
    ]
    assert checks.main(["docs", "--manifest", str(tmp_path / "missing.json")]) == 2
