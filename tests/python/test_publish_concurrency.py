"""A reader that keeps querying the published file across a rebuild sees no error and
only complete warehouses (the old one or the new one, never a mixture)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from switchboard import publish
from tests.python.conftest import Build, build_landing

READER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    import duckdb

    warehouse, stop_file, out_file = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    results, errors, queries = {}, [], 0
    while not stop_file.exists() and queries < 20000:
        try:
            con = duckdb.connect(warehouse, read_only=True)
            try:
                row = con.execute(
                    "select count(*), sum(numerator) from marts.kpi_values "
                    "where kpi_id = 'contact_volume'"
                ).fetchone()
                tickets = con.execute("select count(*) from marts.fct_tickets").fetchone()[0]
            finally:
                con.close()
            key = json.dumps([row[0], row[1], tickets])
            results[key] = results.get(key, 0) + 1
        except Exception as error:  # every failure is a finding
            errors.append(repr(error))
        queries += 1
    out_file.write_text(json.dumps({"queries": queries, "errors": errors, "results": results}))
    """
)


def test_reader_never_fails_during_a_rebuild(landing_copy: Path, tmp_path: Path) -> None:
    published = build_landing(landing_copy, tmp_path / "published")
    old_state = published.query(
        "select count(*), sum(numerator) from marts.kpi_values where kpi_id = 'contact_volume'"
    )[0] + (published.scalar("select count(*) from marts.fct_tickets"),)

    # The next export has one more ticket, so old and new warehouses differ.
    with (landing_copy / "tickets.csv").open("a") as tickets:
        tickets.write("K3,U3,chat,delivery,low,2025-04-23T10:00:00Z,new,T1,,2025-04-23T10:00:00Z\n")

    stop_file, out_file = tmp_path / "stop", tmp_path / "reader.json"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(published.warehouse), str(stop_file), str(out_file)]
    )
    try:
        publish.build(
            landing_copy,
            published.warehouse,
            progress=False,
            artifacts_dir=tmp_path / "dbt",
        )
        new = Build(landing_copy, published.warehouse)
        new_state = new.query(
            "select count(*), sum(numerator) from marts.kpi_values where kpi_id = 'contact_volume'"
        )[0] + (new.scalar("select count(*) from marts.fct_tickets"),)
    finally:
        stop_file.touch()
        reader.wait(timeout=120)

    report = json.loads(out_file.read_text())
    print(
        f"reader: {report['queries']} queries, {len(report['errors'])} errors, "
        f"states {report['results']}"
    )
    assert report["errors"] == []
    assert report["queries"] >= 300
    seen = {tuple(json.loads(key)) for key in report["results"]}
    assert old_state != new_state
    assert seen <= {tuple(old_state), tuple(new_state)}, seen
    assert tuple(old_state) in seen
    assert not list(published.warehouse.parent.glob("*.wal"))
