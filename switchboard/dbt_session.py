"""Runs several dbt commands in one process, parsing the project once.

`python -m switchboard.dbt_session '<json list of argument lists>'` invokes each
command in order through dbt's programmatic runner (dbtRunner) with the manifest of
one `dbt parse`, and stops at the first that does not succeed. A build's source
freshness check and its `dbt build` share one start-up and one parse this way
(starting dbt and parsing cost seconds; the freshness queries a fraction of one).

Exit status: 0 when every command succeeded, 1 when one failed (dbt printed why),
2 when dbt could not run at all.
"""

from __future__ import annotations

import json
import sys


def run(commands: list[list[str]]) -> int:
    from dbt.cli.main import dbtRunner

    parsed = dbtRunner().invoke(["parse", *_project_arguments(commands)])
    if parsed.exception is not None or not parsed.success:
        return 2
    runner = dbtRunner(manifest=parsed.result)
    for command in commands:
        result = runner.invoke(command)
        if result.exception is not None:
            return 2
        if not result.success:
            return 1
    return 0


def _project_arguments(commands: list[list[str]]) -> list[str]:
    """The `--project-dir` the commands share (parse must read the same project)."""
    first = commands[0]
    if "--project-dir" in first:
        index = first.index("--project-dir")
        return first[index : index + 2]
    return []


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if len(arguments) != 1:
        print("usage: python -m switchboard.dbt_session '<json list of argument lists>'")
        return 2
    return run(json.loads(arguments[0]))


if __name__ == "__main__":
    sys.exit(main())
