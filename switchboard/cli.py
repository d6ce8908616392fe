"""The `switchboard` command: everything around dbt (generate, load, build)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from switchboard import loader, publish


def _build(arguments: argparse.Namespace) -> int:
    from switchboard import quality

    landing_validator, mart_validator = quality.make_validators()
    try:
        result = publish.build(
            Path(arguments.raw_dir),
            Path(arguments.warehouse),
            progress=not arguments.quiet,
            landing_validators=[landing_validator],
            validators=[mart_validator],
            incremental=arguments.incremental,
        )
    except publish.BuildError as error:
        print(f"switchboard build: {error}", file=sys.stderr)
        return 1
    timings = ", ".join(
        f"{stage} {seconds:.1f}s" for stage, seconds in result.stage_seconds.items()
    )
    print(f"Published warehouse: {result.warehouse}  ({result.kind} build; {timings})")
    if arguments.timings_json:
        Path(arguments.timings_json).write_text(json.dumps(result.stage_seconds, indent=2))
    return 0


def _load(arguments: argparse.Namespace) -> int:
    try:
        report = loader.load(
            Path(arguments.raw_dir), Path(arguments.database), progress=not arguments.quiet
        )
    except loader.ContractError as error:
        print(f"switchboard load: {error}", file=sys.stderr)
        return 1
    print(report.summary())
    return 0


def _generate(arguments: argparse.Namespace) -> int:
    from switchboard import generator

    generator.run(arguments)
    return 0


def _tier(arguments: argparse.Namespace) -> int:
    from switchboard.generator import tiers

    tier = tiers.ensure_tier(
        Path(arguments.data_dir), arguments.tier, arguments.seed, progress=not arguments.quiet
    )
    print(f"Tier {tier.name}: {tier.landing} (held-back day {tier.next_day}: {tier.next_day_dir})")
    return 0


def _engines_parity(arguments: argparse.Namespace) -> int:
    from switchboard.engines import parity

    try:
        return parity.run(
            arguments.engine,
            Path(arguments.raw_dir),
            Path(arguments.work_dir) if arguments.work_dir else None,
            keep=arguments.keep,
            quiet=not arguments.verbose,
        )
    except (loader.ContractError, ValueError) as error:
        print(f"switchboard engines parity: {error}", file=sys.stderr)
        return 1


def _engines_load(arguments: argparse.Namespace) -> int:
    import tempfile

    from switchboard.engines import create_engine

    engine = create_engine(arguments.engine)
    attach = getattr(engine, "attach", None)
    if attach is None:
        print(f"switchboard engines load: {arguments.engine} cannot attach to a server")
        return 1
    with tempfile.TemporaryDirectory(prefix="switchboard-load-") as work:
        loaded = Path(work) / "loaded.duckdb"
        try:
            report = loader.load(Path(arguments.raw_dir), loaded, progress=not arguments.quiet)
        except loader.ContractError as error:
            print(f"switchboard engines load: {error}", file=sys.stderr)
            return 1
        print(report.summary())
        attach()
        engine.load_raw(loaded)
    print(f"Loaded the raw and loader schemas into {arguments.engine}")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="switchboard", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="load a landing directory, dbt build, publish")
    build.add_argument("--raw-dir", required=True, help="landing directory (raw contract)")
    build.add_argument("--warehouse", required=True, help="DuckDB file to publish")
    build.add_argument("--quiet", action="store_true", help="no progress bars")
    build.add_argument(
        "--incremental",
        action="store_true",
        help="add only new landing files to the published warehouse (full build if none)",
    )
    build.add_argument("--timings-json", help="write the seconds per stage to this file")
    build.set_defaults(handler=_build)

    load = commands.add_parser("load", help="load a landing directory into a DuckDB file")
    load.add_argument("--raw-dir", required=True)
    load.add_argument("--database", required=True)
    load.add_argument("--quiet", action="store_true")
    load.set_defaults(handler=_load)

    check = commands.add_parser("check", help="docs, conventions and privacy checks")
    from switchboard import checks

    checks.add_arguments(check)
    check.set_defaults(handler=checks.run)

    generate = commands.add_parser("generate", help="write a realistic landing directory")
    from switchboard import generator

    generator.add_arguments(generate)
    generate.set_defaults(handler=_generate)

    from switchboard.engines import ENGINES

    engines = commands.add_parser("engines", help="other dbt targets (Postgres, Spark)")
    engine_commands = engines.add_subparsers(dest="engines_command", required=True)
    parity = engine_commands.add_parser(
        "parity",
        help="build a landing directory on DuckDB and on each engine, compare kpi_values",
    )
    parity.add_argument(
        "--engine",
        action="append",
        required=True,
        choices=sorted(ENGINES),
        help="engine to check (repeat for several)",
    )
    parity.add_argument("--raw-dir", required=True, help="landing directory (raw contract)")
    parity.add_argument("--work-dir", help="keep builds and logs here (default: a temp dir)")
    parity.add_argument("--keep", action="store_true", help="keep the temporary work dir")
    parity.add_argument("--verbose", action="store_true", help="show dbt's output")
    parity.set_defaults(handler=_engines_parity)
    engine_load = engine_commands.add_parser(
        "load",
        help="load a landing directory into the raw schemas of the server the profile names",
    )
    engine_load.add_argument("--engine", required=True, choices=sorted(ENGINES))
    engine_load.add_argument("--raw-dir", required=True, help="landing directory (raw contract)")
    engine_load.add_argument("--quiet", action="store_true")
    engine_load.set_defaults(handler=_engines_load)

    from switchboard.generator import tiers

    tier = commands.add_parser("tier", help="write a benchmark tier (1M/10M tickets, Parquet)")
    tier.add_argument("--tier", choices=sorted(tiers.TIERS), required=True)
    tier.add_argument("--data-dir", default="data", help="where tiers are kept (default data)")
    tier.add_argument("--seed", type=int, default=42)
    tier.add_argument("--quiet", action="store_true")
    tier.set_defaults(handler=_tier)
    return root


def main(argv: list[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    return int(arguments.handler(arguments))


if __name__ == "__main__":
    sys.exit(main())
