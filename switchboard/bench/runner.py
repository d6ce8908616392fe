"""`make bench`: full and incremental builds of a tier, against pandas and a DuckDB floor.

For each tier: write (or reuse) its landing directory, hard-link it into a
scratch landing folder, run a full `switchboard build`, drop the held-back day
into the landing folders and run `switchboard build --incremental`, then time
the pandas implementation of the nine-KPI subset and the single hand-written
DuckDB query (the floor) on the full landing data. Every run is its own
process, so its peak resident memory is measured by the kernel (wait4).
Results: a table on stdout, `bench/results/<tier>.json`, and BENCHMARKS.md's
section of that tier.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from switchboard import PROJECT_DIR
from switchboard.generator import tiers

# Build settings per tier (the profile's environment variables), unless already set.
# At 10M two heavy models side by side (window and aggregate states that cannot
# spill) exceed DuckDB's memory limit, so dbt builds one model at a time; DuckDB
# still runs each query on every core.
# At 10M the ticket KPI rollup needs 16.7 GiB and fct_tickets fits one statement at
# 18 GB (below that it builds in hash parts, slower); the base ticket events fail at
# 5 GB (BENCHMARKS.md, "What is left").
TIER_SETTINGS: dict[str, dict[str, str]] = {
    "10m": {"SWITCHBOARD_THREADS": "1", "SWITCHBOARD_MEMORY_LIMIT": "18GB"}
}
SETTING_NAMES = ("SWITCHBOARD_THREADS", "SWITCHBOARD_MEMORY_LIMIT")
RESULTS_DIR = PROJECT_DIR / "bench" / "results"
BENCHMARKS = PROJECT_DIR / "BENCHMARKS.md"
BASELINE_CODE = (
    "import sys, time; from pathlib import Path; "
    "from switchboard.bench import baselines; "
    "started = time.perf_counter(); "
    "frame = getattr(baselines, sys.argv[1])(Path(sys.argv[2])); "
    "print(len(frame), time.perf_counter() - started)"
)


@dataclass
class Run:
    """One measured child process."""

    seconds: float
    peak_rss_mb: float
    stages: dict[str, float] = field(default_factory=dict)
    slowest_nodes: dict[str, float] = field(default_factory=dict)


@dataclass
class TierResult:
    tier: str
    date: str
    machine: str
    settings: dict[str, str]
    rows: dict[str, int]
    tier_write: Run | None
    full: Run
    incremental: Run
    incremental_no_change: Run | None
    pandas: Run | None
    floor: Run | None


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    system = f"{platform.system()} {platform.release()}"
    return f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, {system}"


def measure(command: list[str], *, log: Path, environment: dict[str, str] | None = None) -> Run:
    """Runs command, its output into log; seconds and the process tree's peak RSS."""
    started = time.perf_counter()
    with log.open("w") as handle:
        child = subprocess.Popen(
            command, stdout=handle, stderr=subprocess.STDOUT, cwd=PROJECT_DIR, env=environment
        )
        _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"bench: `{' '.join(command)}` failed (exit {code}); see {log}")
    # ru_maxrss of wait4 is the largest resident set of the child and its waited-for
    # descendants (dbt runs as a child of `switchboard build`), in KiB on Linux.
    return Run(seconds=seconds, peak_rss_mb=usage.ru_maxrss / 1024)


def _switchboard(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "switchboard.cli", *arguments]


def link_tree(source: Path, target: Path) -> None:
    """Hard-links every file of source under target (same layout)."""
    for path in source.rglob("*"):
        if path.is_file():
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            if not destination.exists():
                os.link(path, destination)


def build_settings(tier: str) -> dict[str, str]:
    """The profile settings the tier's builds run with (environment first)."""
    settings = {name: os.environ[name] for name in SETTING_NAMES if name in os.environ}
    for name, value in TIER_SETTINGS.get(tier, {}).items():
        settings.setdefault(name, value)
    return settings


def build(
    landing: Path,
    warehouse: Path,
    work: Path,
    name: str,
    incremental: bool,
    settings: dict[str, str] | None = None,
) -> Run:
    timings = work / f"{name}.timings.json"
    command = _switchboard(
        "build", "--raw-dir", str(landing), "--warehouse", str(warehouse), "--quiet",
        "--timings-json", str(timings),
    )  # fmt: skip
    if incremental:
        command.append("--incremental")
    environment = dict(os.environ)
    environment["DBT_TARGET_PATH"] = str(work / "target")
    environment["DBT_LOG_PATH"] = str(work / "logs")
    environment.update(settings or {})
    run = measure(command, log=work / f"{name}.log", environment=environment)
    run.stages = json.loads(timings.read_text())
    run_results = work / "target" / "run_results.json"
    if run_results.exists():  # kept per run: the next build overwrites dbt's copy
        shutil.copyfile(run_results, work / f"{name}.run_results.json")
    run.slowest_nodes = slowest_nodes(run_results)
    return run


def slowest_nodes(run_results: Path, count: int = 12) -> dict[str, float]:
    """The dbt nodes (models, tests) that took longest in a build, in seconds."""
    if not run_results.exists():
        return {}
    results = json.loads(run_results.read_text())["results"]
    timed = sorted(results, key=lambda result: result["execution_time"], reverse=True)[:count]
    return {
        _node_label(result["unique_id"]): round(result["execution_time"], 1) for result in timed
    }


def _node_label(unique_id: str) -> str:
    """`model fct_tickets`, `test unique_fct_tickets_ticket_id` (no package, no hash)."""
    parts = unique_id.split(".")
    return f"{parts[0]} {parts[2] if parts[0] == 'test' else parts[-1]}"


def baseline(which: str, landing: Path, work: Path) -> Run | None:
    try:
        from switchboard.bench import baselines  # noqa: F401
    except ImportError:
        return None
    log = work / f"{which}.log"
    run = measure([sys.executable, "-c", BASELINE_CODE, which, str(landing)], log=log)
    run.seconds = float(log.read_text().split()[-1])  # the computation, without imports
    return run


def row_counts(warehouse: Path) -> dict[str, int]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(
            "select source_table, sum(rows_read) from loader.load_files "
            "group by source_table order by source_table"
        ).fetchall()
        for mart in ("fct_tickets", "fct_ticket_events", "kpi_values"):
            counted = con.execute(f"select count(*) from marts.{mart}").fetchone()
            rows.append((f"marts.{mart}", counted[0] if counted else 0))
    finally:
        con.close()
    return {name: int(count) for name, count in rows}


def run_tier(
    name: str, data_dir: Path, work_root: Path, with_baselines: bool, with_unchanged: bool = True
) -> TierResult:
    tier_dir = data_dir / f"tier-{name}-seed42"
    written = None
    if not (tier_dir / tiers.MANIFEST).exists():
        written = measure(
            _switchboard("tier", "--tier", name, "--data-dir", str(data_dir), "--quiet"),
            log=work_root / f"tier-{name}.log",
        )
    tier = tiers.ensure_tier(data_dir, name, progress=False)
    work = work_root / name
    shutil.rmtree(work, ignore_errors=True)
    landing = work / "landing"
    link_tree(tier.landing, landing)
    warehouse = work / "warehouse" / "switchboard.duckdb"

    settings = build_settings(name)
    print(f"[{name}] full build …", flush=True)
    full = build(landing, warehouse, work, "full", False, settings)
    unchanged = None
    if with_unchanged:
        print(f"[{name}] incremental build, no new files …", flush=True)
        unchanged = build(landing, warehouse, work, "incremental-no-change", True, settings)
    link_tree(tier.next_day_dir, landing)
    print(f"[{name}] incremental build of {tier.next_day} …", flush=True)
    incremental = build(landing, warehouse, work, "incremental", True, settings)
    rows = row_counts(warehouse)

    pandas_run = floor_run = None
    if with_baselines:
        print(f"[{name}] pandas and DuckDB-floor baselines …", flush=True)
        pandas_run = baseline("pandas_kpis", landing, work)
        floor_run = baseline("duckdb_floor_kpis", landing, work)
    return TierResult(
        tier=name,
        date=datetime.now(UTC).strftime("%Y-%m-%d"),
        machine=machine(),
        settings=settings,
        rows=rows,
        tier_write=written,
        full=full,
        incremental=incremental,
        incremental_no_change=unchanged,
        pandas=pandas_run,
        floor=floor_run,
    )


def _seconds(run: Run | None) -> str:
    return "—" if run is None else f"{run.seconds:,.1f} s"


def report(result: TierResult) -> str:
    """The Markdown section of one tier."""
    lines = [f"## Tier {result.tier} ({result.date})", "", f"Machine: {result.machine}", ""]
    if result.settings:
        shown = ", ".join(f"{name}={value}" for name, value in sorted(result.settings.items()))
        lines += [f"Build settings: {shown} (profile defaults otherwise).", ""]
    lines += ["| table | rows |", "|---|---:|"]
    lines += [f"| {table} | {rows:,} |" for table, rows in result.rows.items()]
    lines += ["", "| run | seconds | peak RSS | stages |", "|---|---:|---:|---|"]
    runs = {
        "full build": result.full,
        "incremental, no new files": result.incremental_no_change,
        "incremental, one new day": result.incremental,
        "pandas, nine KPIs": result.pandas,
        "DuckDB floor, nine KPIs": result.floor,
    }
    for label, run in runs.items():
        if run is None:
            lines.append(f"| {label} | — | — | not run |")
            continue
        stages = ", ".join(f"{stage} {seconds:.1f}" for stage, seconds in run.stages.items())
        lines.append(f"| {label} | {run.seconds:,.1f} | {run.peak_rss_mb:,.0f} MB | {stages} |")
    for label, run in runs.items():
        if run is not None and run.slowest_nodes:
            slowest = ", ".join(
                f"`{node}` {seconds:.1f}" for node, seconds in run.slowest_nodes.items()
            )
            lines += ["", f"Slowest dbt nodes, {label} (s): {slowest}."]
    if result.pandas and result.floor:
        lines += [
            "",
            f"Whole warehouse (every KPI, grain and test) / pandas (nine KPIs): "
            f"{result.full.seconds / result.pandas.seconds:.2f}; "
            f"pandas / DuckDB floor: {result.pandas.seconds / result.floor.seconds:.1f}; "
            f"warehouse / floor: {result.full.seconds / result.floor.seconds:.1f}.",
        ]
    if result.tier_write:
        lines += ["", f"Writing the tier's landing files took {_seconds(result.tier_write)}."]
    return "\n".join(lines) + "\n"


def update_benchmarks(result: TierResult) -> None:
    """Replaces (or appends) the tier's section of BENCHMARKS.md."""
    text = BENCHMARKS.read_text() if BENCHMARKS.exists() else "# Benchmarks\n\n"
    section = report(result)
    pattern = re.compile(rf"^## Tier {re.escape(result.tier)} \(.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(section + "\n", text)
    else:
        text = text.rstrip() + "\n\n" + section
    BENCHMARKS.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="switchboard bench", description=__doc__)
    parser.add_argument("--tier", action="append", choices=sorted(tiers.TIERS), required=True)
    parser.add_argument("--data-dir", type=Path, default=PROJECT_DIR / "data")
    parser.add_argument("--work-dir", type=Path, default=PROJECT_DIR / "bench" / "work")
    parser.add_argument("--no-baselines", dest="baselines", action="store_false")
    parser.add_argument("--no-unchanged-run", dest="unchanged", action="store_false",
                        help="skip the incremental build without new files")  # fmt: skip
    parser.add_argument("--no-record", dest="record", action="store_false",
                        help="do not write bench/results or BENCHMARKS.md")  # fmt: skip
    arguments = parser.parse_args(argv)
    arguments.work_dir.mkdir(parents=True, exist_ok=True)
    for name in arguments.tier:
        result = run_tier(
            name, arguments.data_dir, arguments.work_dir, arguments.baselines, arguments.unchanged
        )
        section = report(result)
        print(section)
        if arguments.record:
            RESULTS_DIR.mkdir(parents=True, exist_ok=True)
            (RESULTS_DIR / f"{name}.json").write_text(json.dumps(asdict(result), indent=2))
            update_benchmarks(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
