"""The project's own promises, checked on the demo build: dbt docs generate works, every
public model and column is described, the dbt conventions hold, and no personal data
reaches schema marts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from switchboard import checks, publish
from tests.python.conftest import Build


@pytest.fixture(scope="module")
def docs_artifacts(demo_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`dbt docs generate` on a copy of the demo warehouse (the published file stays read-only)."""
    work = tmp_path_factory.mktemp("docs")
    copy = work / "warehouse.duckdb"
    shutil.copyfile(demo_build.warehouse, copy)
    publish.run_dbt(["docs", "generate"], copy, artifacts_dir=work)
    target = work / "target"
    assert (target / "index.html").exists()
    assert (target / "catalog.json").exists()
    return target


def test_every_public_model_and_column_is_described(
    docs_artifacts: Path, demo_build: Build
) -> None:
    manifest = checks.load_manifest(docs_artifacts / "manifest.json")
    assert checks.check_docs(manifest, demo_build.warehouse) == []


def test_dbt_conventions_hold(docs_artifacts: Path) -> None:
    manifest = checks.load_manifest(docs_artifacts / "manifest.json")
    assert checks.check_conventions(manifest) == []


def test_no_personal_data_in_marts(demo_build: Build) -> None:
    assert checks.check_privacy(demo_build.warehouse) == []
