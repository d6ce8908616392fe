"""Builds a warehouse into a new DuckDB file and publishes it atomically.

The published file is never opened for writing: a build loads, transforms and
validates a private file beside it, then renames it over the published one in
one step (POSIX rename is atomic; open readers keep their snapshot). A build
that fails, or is killed, leaves the published warehouse as it was.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from switchboard import PROJECT_DIR, contract, loader

# The private file of a build is `.<warehouse name>.building` (candidate_of).
CANDIDATE_SUFFIX = ".building"


class BuildError(Exception):
    """A build that did not publish; the message says why."""


@dataclass
class BuildResult:
    warehouse: Path
    stage_seconds: dict[str, float] = field(default_factory=dict)
    freshness_warnings: list[str] = field(default_factory=list)
    kind: str = "full"


def dbt_environment(database: Path, artifacts_dir: Path | None = None) -> dict[str, str]:
    """The environment of a dbt run on `database` (artifacts_dir: private target/ and logs/)."""
    environment = dict(os.environ)
    environment["SWITCHBOARD_DUCKDB_PATH"] = str(database)
    environment.setdefault("DBT_PROFILES_DIR", str(PROJECT_DIR / "profiles"))
    if artifacts_dir is not None:
        environment["DBT_TARGET_PATH"] = str(artifacts_dir / "target")
        environment["DBT_LOG_PATH"] = str(artifacts_dir / "logs")
    return environment


def _dbt_session(commands: list[list[str]], database: Path, artifacts_dir: Path | None) -> int:
    """Runs the dbt commands in one process (switchboard.dbt_session: one start-up, one
    parse), stopping at the first that fails; returns that process's exit status."""
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "switchboard.dbt_session",
            str(PROJECT_DIR),
            json.dumps(commands),
        ],
        env=dbt_environment(database, artifacts_dir),
        cwd=PROJECT_DIR,
    )
    return completed.returncode


def run_dbt(arguments: list[str], database: Path, artifacts_dir: Path | None = None) -> None:
    """Runs dbt on the given DuckDB file; raises BuildError when dbt fails."""
    returncode = _dbt_session([arguments], database, artifacts_dir)
    if returncode != 0:
        raise BuildError(f"`dbt {' '.join(arguments)}` failed (exit {returncode})")


def freshness_sources(database: Path) -> list[str]:
    """dbt selectors of the raw tables that have rows and a freshness check (no reference
    tables: they are static, and absent unless the landing directory overrides a seed)."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        loaded = {
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = ?",
                [loader.RAW_SCHEMA],
            ).fetchall()
        }
        return [
            f"source:{table.source}.{table.name}"
            for table in contract.tables().values()
            if not table.reference
            and table.name in loaded
            and con.execute(f'select count(*) from {loader.RAW_SCHEMA}."{table.name}"').fetchone()
            != (0,)
        ]
    finally:
        con.close()


def freshness_outcome(results: list[dict[str, Any]]) -> list[str]:
    """Warnings of `dbt source freshness` results; raises BuildError on an error status."""
    warnings: list[str] = []
    blocking: list[str] = []
    for result in results:
        table = result["unique_id"].removeprefix("source.switchboard.")
        status = result["status"]
        if status == "pass":
            continue
        if status == "runtime error":
            blocking.append(f"{table}: freshness could not be checked ({result.get('error')})")
            continue
        threshold = result.get("criteria", {}).get(f"{status}_after") or {}
        line = (
            f"{table}: last loaded {result['max_loaded_at']}, "
            f"{result['max_loaded_at_time_ago_in_s'] / 3600:.1f} h ago "
            f"({status} after {threshold.get('count')} {threshold.get('period')}s)"
        )
        (warnings if status == "warn" else blocking).append(line)
    if blocking:
        raise BuildError("Source freshness error:\n  " + "\n  ".join(blocking))
    return warnings


def _freshness_output(database: Path, artifacts_dir: Path | None) -> Path:
    environment = dbt_environment(database, artifacts_dir)
    return Path(environment.get("DBT_TARGET_PATH", PROJECT_DIR / "target")) / "sources.json"


def check_freshness(
    database: Path, artifacts_dir: Path | None = None, then: list[str] | None = None
) -> list[str]:
    """Runs `dbt source freshness` on the loaded raw tables of `database`.

    Returns the warnings (stale tables, printed, never blocking); raises BuildError
    when a table has an error status or freshness could not be checked.

    then: a dbt command (the build) run in the same dbt process once the check
    passed, sparing a second start-up and parse; raises BuildError when it fails.
    """
    selected = freshness_sources(database)
    commands = [["source", "freshness", "--select", *selected]] if selected else []
    commands += [then] if then else []
    if not commands:
        return []
    output = _freshness_output(database, artifacts_dir)
    output.unlink(missing_ok=True)
    returncode = _dbt_session(commands, database, artifacts_dir)
    warnings: list[str] = []
    if selected:
        if not output.exists():
            raise BuildError(f"`dbt source freshness` failed (exit {returncode})")
        warnings = freshness_outcome(json.loads(output.read_text())["results"])
        for warning in warnings:
            print(f"Source freshness warning (not blocking): {warning}", flush=True)
    if returncode != 0:
        failed = then if then else commands[0]
        raise BuildError(f"`dbt {' '.join(failed)}` failed (exit {returncode})")
    return warnings


def freshness_seconds(database: Path, artifacts_dir: Path | None = None) -> float:
    """The time the last `dbt source freshness` of `database` took (0 when none ran)."""
    output = _freshness_output(database, artifacts_dir)
    return float(json.loads(output.read_text())["elapsed_time"]) if output.exists() else 0.0


def build_arguments(incremental: bool = False) -> list[str]:
    """The dbt command of a build: every model, seed, snapshot and test.

    An incremental build leaves out the unit tests, as dbt advises for production
    runs: they test the code on fixed input rows, and an incremental build runs
    only on the code of the published warehouse (code_fingerprint), whose first
    build was a full one that ran them.
    """
    if incremental:
        return ["build", "--exclude-resource-type", "unit_test"]
    return ["build"]


# What decides the rows a build writes: the dbt project, the raw contract and the
# loader that lands files (the contract lives in the sources YAML), and the pinned
# packages. Profiles only tune memory and threads.
CODE_PATHS = (
    "dbt_project.yml",
    "models",
    "macros",
    "seeds",
    "snapshots",
    "tests/dbt",
    "switchboard/contract.py",
    "switchboard/loader.py",
    "requirements.lock",
)

BUILDS_TABLE = f"{loader.LOADER_SCHEMA}.build_runs"


def code_fingerprint(project_dir: Path = PROJECT_DIR) -> str:
    """A digest of every file under CODE_PATHS (paths and contents, in path order)."""
    digest = hashlib.sha256()
    for entry in CODE_PATHS:
        root = project_dir / entry
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(project_dir)).encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def published_fingerprint(warehouse: Path) -> str | None:
    """The code fingerprint of the build that published `warehouse` (None: not recorded)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        schema, table = BUILDS_TABLE.split(".")
        exists = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchone()
        if not exists or not exists[0]:
            return None
        row = con.execute(
            f"select code_fingerprint from {BUILDS_TABLE} order by built_at desc limit 1"
        ).fetchone()
        return str(row[0]) if row else None
    finally:
        con.close()


def incremental_refusal(warehouse: Path, fingerprint: str) -> str | None:
    """Why an incremental build of `warehouse` must be a full one (None: it need not be)."""
    if not warehouse.exists():
        return "nothing is published yet"
    published = published_fingerprint(warehouse)
    if published is None:
        return "the published warehouse does not record the code that built it"
    if published != fingerprint:
        return "the project's code or seeds changed since the published build"
    return None


def _record_build(database: Path, kind: str, fingerprint: str) -> None:
    """Appends this build (its newest load, kind and code fingerprint) to BUILDS_TABLE."""
    con = duckdb.connect(str(database))
    try:
        con.execute(
            f"create table if not exists {BUILDS_TABLE} (load_id varchar, "
            "built_at timestamp, build_kind varchar, code_fingerprint varchar)"
        )
        con.execute(
            f"insert into {BUILDS_TABLE} select max(load_id), ?, ?, ? "
            f"from {loader.LOADER_SCHEMA}.load_runs",
            [datetime.now(UTC).replace(tzinfo=None), kind, fingerprint],
        )
    finally:
        con.close()


def _finalise(database: Path) -> None:
    """Checkpoints the file so that no .wal is left beside it."""
    con = duckdb.connect(str(database))
    try:
        con.execute("checkpoint")
    finally:
        con.close()
    wal = database.with_name(database.name + ".wal")
    if wal.exists():
        raise BuildError(f"{wal} left behind after checkpoint")


def publish(candidate: Path, warehouse: Path) -> None:
    """Renames candidate over warehouse in one atomic step."""
    os.replace(candidate, warehouse)
    directory = os.open(warehouse.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def candidate_of(warehouse: Path) -> Path:
    """The private file a build of `warehouse` writes before publishing it.

    Its path is the same for every build of `warehouse`: dbt keys its parse cache on
    the profile, the DuckDB path included, so a stable path lets each build reuse the
    previous build's parse (partial parsing) instead of parsing the project again.
    build_lock keeps two builds of one warehouse from sharing it.
    """
    return warehouse.with_name(f".{warehouse.name}{CANDIDATE_SUFFIX}")


def published_of(candidate: Path) -> Path:
    """The published warehouse a build's private file (candidate_of) replaces."""
    name = candidate.name
    if name.startswith(".") and name.endswith(CANDIDATE_SUFFIX):
        return candidate.with_name(name[1 : -len(CANDIDATE_SUFFIX)])
    return candidate


@contextlib.contextmanager
def build_lock(warehouse: Path) -> Iterator[None]:
    """Holds the build lock of `warehouse` (`.<name>.lock` beside it), or raises BuildError.

    An flock is released by the kernel when its process ends, so a killed build
    leaves no lock behind, only its private file, which the next build removes.
    """
    lock_path = warehouse.with_name(f".{warehouse.name}.lock")
    with lock_path.open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(
                f"another build of {warehouse} is running (lock {lock_path}); wait for it to finish"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def build(
    raw_dir: Path,
    warehouse: Path,
    *,
    progress: bool = True,
    validators: list[Callable[[Path], None]] | None = None,
    landing_validators: list[Callable[[Path], None]] | None = None,
    artifacts_dir: Path | None = None,
    incremental: bool = False,
) -> BuildResult:
    """Loads raw_dir, runs `dbt build`, validates, and publishes to warehouse.

    After the load, landing_validators run on the loaded raw schema; then one dbt
    process checks the raw tables' source freshness (a stale table is a printed
    warning; an error status stops the build) and runs `dbt build`. validators run
    on the built candidate after `dbt build` (every data test) passed. Any of them
    raising BuildError stops the build before anything is published.

    incremental: start from a copy of the published warehouse, load only the
    landing files it has not loaded yet, and let the incremental models process
    just the keys those rows touch. The build is a full one instead (and says
    why) when nothing is published yet, or when the published warehouse was
    built by other code (code_fingerprint): incremental models recompute what
    new rows touch, not what a changed model or seed would change.
    """
    warehouse = warehouse.resolve()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with build_lock(warehouse):
        return _build(
            raw_dir,
            warehouse,
            progress=progress,
            validators=validators,
            landing_validators=landing_validators,
            artifacts_dir=artifacts_dir,
            incremental=incremental,
        )


def _build(
    raw_dir: Path,
    warehouse: Path,
    *,
    progress: bool,
    validators: list[Callable[[Path], None]] | None,
    landing_validators: list[Callable[[Path], None]] | None,
    artifacts_dir: Path | None,
    incremental: bool,
) -> BuildResult:
    """build() under the warehouse's build lock."""
    candidate = candidate_of(warehouse)
    leftovers = (candidate, candidate.with_name(candidate.name + ".wal"))
    for leftover in leftovers:  # a killed build's private file
        leftover.unlink(missing_ok=True)
    result = BuildResult(warehouse=warehouse)
    fingerprint = code_fingerprint()
    if incremental:
        refusal = incremental_refusal(warehouse, fingerprint)
        if refusal is not None:
            print(f"Building in full: {refusal}.", flush=True)
            incremental = False
    result.kind = "incremental" if incremental else "full"
    try:
        if incremental:
            started = time.perf_counter()
            shutil.copyfile(warehouse, candidate)
            result.stage_seconds["copy"] = time.perf_counter() - started
        started = time.perf_counter()
        report = loader.load(raw_dir, candidate, progress=progress, incremental=incremental)
        print(report.summary(), flush=True)
        result.stage_seconds["load"] = time.perf_counter() - started

        started = time.perf_counter()
        for validate in landing_validators or []:
            validate(candidate)
        result.stage_seconds["landing validation"] = time.perf_counter() - started

        # One dbt process checks source freshness, then builds.
        started = time.perf_counter()
        result.freshness_warnings = check_freshness(
            candidate, artifacts_dir, then=build_arguments(incremental)
        )
        session = time.perf_counter() - started
        freshness = freshness_seconds(candidate, artifacts_dir)
        result.stage_seconds["source freshness"] = freshness
        result.stage_seconds["dbt build"] = session - freshness

        started = time.perf_counter()
        for validate in validators or []:
            validate(candidate)
        _record_build(candidate, result.kind, fingerprint)
        _finalise(candidate)
        result.stage_seconds["validation"] = time.perf_counter() - started

        started = time.perf_counter()
        publish(candidate, warehouse)
        result.stage_seconds["publish"] = time.perf_counter() - started
    except (loader.ContractError, BuildError) as error:
        raise BuildError(f"{error}\nNothing was published; {warehouse} is unchanged.") from error
    finally:
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
    return result
