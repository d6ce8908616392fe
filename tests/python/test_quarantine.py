"""Bad input: every injected bad row is quarantined with a reason; formats agree."""

from __future__ import annotations

import json

from tests.python.conftest import Build


def test_every_injected_bad_row_is_quarantined(second_build: Build) -> None:
    injected = json.loads((second_build.landing_dir / "_injected_bad_rows.json").read_text())
    assert injected["total_bad_rows"] > 0
    quarantined = {
        (table, line): reason
        for table, line, reason in second_build.query(
            "select source_table, line_number, reason from audit.quarantined_rows "
            "where quarantine_kind = 'unusable'"
        )
    }
    kinds_seen: set[str] = set()
    for table, detail in injected["tables"].items():
        for kind, rows in detail["kinds"].items():
            for row in rows["rows"]:
                key = (table, row["row_number"])
                assert key in quarantined, (
                    f"{table} row {row['row_number']} ({kind}) not quarantined"
                )
                assert quarantined[key], key
                kinds_seen.add(kind)
        unusable = sum(1 for (name, _line) in quarantined if name == table)
        assert unusable == detail["bad_rows"], table
    assert len(kinds_seen) >= 8, kinds_seen


def test_duplicates_are_resolved_not_lost(second_build: Build) -> None:
    injected = json.loads((second_build.landing_dir / "_injected_bad_rows.json").read_text())
    superseded = dict(
        second_build.query(
            "select source_table, count(*) from audit.quarantined_rows "
            "where quarantine_kind = 'superseded' group by 1"
        )
    )
    for table, detail in injected["tables"].items():
        assert superseded.get(table, 0) == detail["duplicates"], table


def test_parquet_and_csv_stage_the_same_rows(second_build: Build, second_build_csv: Build) -> None:
    def counts(build: Build) -> dict[str, tuple[int, int]]:
        return {
            table: (staged, quarantined)
            for table, staged, quarantined in build.query(
                "select source_table, rows_staged, rows_quarantined from audit.row_reconciliation"
            )
        }

    parquet, csv = counts(second_build), counts(second_build_csv)
    assert parquet == csv
    assert sum(staged for staged, _ in parquet.values()) > 10_000


def test_parquet_and_csv_give_the_same_kpis(second_build: Build, second_build_csv: Build) -> None:
    sql = (
        "select kpi_id, grain, period_start, scope_type, scope_value, numerator, denominator "
        "from marts.kpi_values order by all"
    )
    assert second_build.query(sql) == second_build_csv.query(sql)
