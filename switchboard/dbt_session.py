"""Runs several dbt commands in one process, parsing the project once.

`python -m switchboard.dbt_session <project dir> '<json list of argument lists>'`
invokes each command in order, on that project, through dbt's programmatic runner
(dbtRunner) with the manifest of one `dbt parse`, and stops at the first that does
not succeed. A build's source freshness check and its `dbt build` share one start-up
and one parse this way (starting dbt and parsing cost seconds; the freshness queries a
fraction of one). Every other dbt command the package runs goes through it too, so
dbt is started one way.

Exit status: 0 when every command succeeded, 1 when one failed (dbt printed why),
2 when dbt could not run at all.
"""

from __future__ import annotations

import json
import sys


def run(project_dir: str, commands: list[list[str]]) -> int:
    """Parses the project once, then runs each command on it; the exit status above."""
    from dbt.cli.main import dbtRunner

    project = ["--project-dir", project_dir]
    parsed = dbtRunner().invoke(["parse", *project])
    if parsed.exception is not None or not parsed.success:
        return 2
    runner = dbtRunner(manifest=parsed.result)
    for command in commands:
        result = runner.invoke([*command, *project])
        if result.exception is not None:
            return 2
        if not result.success:
            return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if len(arguments) != 2:
        print(
            "usage: python -m switchboard.dbt_session <project dir> '<json list of argument lists>'"
        )
        return 2
    return run(arguments[0], json.loads(arguments[1]))


if __name__ == "__main__":
    sys.exit(main())
