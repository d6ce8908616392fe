"""The dbt unit tests (`unit_tests:` in models/**/*.yml) cover what they promise: every KPI
of the catalog and every metric macro has a unit test with hand-worked values, and a
contract a unit test supplies in place of the dbt graph is the contract of the sources
YAML, word for word. Reads the project files only (no build)."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import yaml

from tests.python.conftest import ROOT

MODELS = ROOT / "models"


def _yaml_files() -> list[Path]:
    return sorted(MODELS.rglob("*.yml"))


def _unit_tests() -> list[dict[str, Any]]:
    tests: list[dict[str, Any]] = []
    for path in _yaml_files():
        document = yaml.safe_load(path.read_text()) or {}
        tests.extend(document.get("unit_tests") or [])
    return tests


def _expected_kpi_ids() -> set[str]:
    kpi_ids: set[str] = set()
    for test in _unit_tests():
        rows = test.get("expect", {}).get("rows") or []
        if isinstance(rows, list):
            kpi_ids.update(row["kpi_id"] for row in rows if "kpi_id" in row)
    return kpi_ids


def test_every_catalog_kpi_has_unit_tested_rows() -> None:
    with (ROOT / "seeds" / "kpi_catalog.csv").open() as handle:
        catalog = {row["kpi_id"] for row in csv.DictReader(handle)}
    assert sorted(catalog - _expected_kpi_ids()) == []


def test_every_metric_macro_is_read_by_a_unit_tested_model() -> None:
    tested_models = {test["model"] for test in _unit_tests()}
    sql_by_model = {path.stem: path.read_text() for path in MODELS.rglob("*.sql")}
    untested = []
    for path in sorted((ROOT / "macros" / "metrics").glob("metric_*.sql")):
        macro = path.stem
        readers = {name for name, sql in sql_by_model.items() if re.search(rf"\b{macro}\(", sql)}
        if not readers & tested_models:
            untested.append((macro, sorted(readers)))
    assert untested == []


def _source_contracts() -> dict[tuple[str, str], dict[str, Any]]:
    contracts: dict[tuple[str, str], dict[str, Any]] = {}
    for path in sorted(MODELS.glob("staging/*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text())["sources"]:
            for table in source["tables"]:
                contracts[(source["name"], table["name"])] = {
                    "meta": table["meta"]["contract"],
                    "columns": [
                        {"name": column["name"], "meta": column["meta"]}
                        for column in table["columns"]
                    ],
                }
    return contracts


def test_unit_test_contracts_equal_the_sources_yaml() -> None:
    """dbt compiles unit tests without the graph that contract_table reads; a unit test of
    a base model passes the contract as a macro override, which must not drift."""
    contracts = _source_contracts()
    checked = 0
    for test in _unit_tests():
        override = ((test.get("overrides") or {}).get("macros") or {}).get("contract_table")
        if test["model"].startswith("base_"):
            assert override is not None, f"{test['name']}: a base model needs contract_table"
        if override is None:
            continue
        source_name, table_name = test["model"].removeprefix("base_").split("__", 1)
        assert override == contracts[(source_name, table_name)], test["name"]
        checked += 1
    assert checked >= 1
