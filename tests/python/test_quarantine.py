"""Bad input: every injected bad row is quarantined with a reason; formats agree."""

from __future__ import annotations

import json

import pytest

from tests.python.conftest import Build


def test_every_injected_bad_row_is_quarantined(bad_build: Build) -> None:
    injected = json.loads((bad_build.landing_dir / "_injected_bad_rows.json").read_text())
    assert injected["total_bad_rows"] > 0
    quarantined = {
        (table, line): reason
        for table, line, reason in bad_build.query(
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


def test_duplicates_are_resolved_not_lost(bad_build: Build) -> None:
    """Each re-exported key is staged once; its older version is kept as superseded."""
    injected = json.loads((bad_build.landing_dir / "_injected_bad_rows.json").read_text())
    sources = dict(
        bad_build.query(
            "select table_name, table_schema from information_schema.tables "
            "where table_schema = 'staging' and table_name like 'stg_%'"
        )
    )
    checked = 0
    for table, detail in injected["tables"].items():
        staging = next(name for name in sources if name.endswith("__" + table))
        for duplicate in detail["duplicate_rows"]:
            key = duplicate["key"]
            where = " and ".join(f"{column} = ?" for column in key)
            staged = bad_build.scalar(
                f"select count(*) from staging.{staging} where {where}", list(key.values())
            )
            assert staged == 1, (table, key)
            json_where = " and ".join(f"json_extract_string(raw_row, '$.{c}') = ?" for c in key)
            superseded = bad_build.scalar(
                "select count(*) from audit.quarantined_rows where source_table = ? "
                f"and quarantine_kind = 'superseded' and {json_where}",
                [table, *key.values()],
            )
            assert superseded >= 1, (table, key)
            checked += 1
    assert checked > 20


def test_parquet_and_csv_stage_the_same_rows(second_build: Build, second_build_csv: Build) -> None:
    def counts(build: Build) -> dict[str, int]:
        return dict(build.query("select source_table, rows_staged from audit.row_reconciliation"))

    parquet, csv = counts(second_build), counts(second_build_csv)
    assert parquet == csv
    assert sum(parquet.values()) > 10_000


def test_parquet_and_csv_give_the_same_kpis(second_build: Build, second_build_csv: Build) -> None:
    sql = (
        "select kpi_id, grain, period_start, scope_type, scope_value, numerator, denominator "
        "from marts.kpi_values order by all"
    )
    parquet, csv = second_build.query(sql), second_build_csv.query(sql)
    assert [row[:5] for row in parquet] == [row[:5] for row in csv]
    flat = [value or 0.0 for row in parquet for value in row[5:]]
    assert flat == pytest.approx([value or 0.0 for row in csv for value in row[5:]], rel=1e-12)
