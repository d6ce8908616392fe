"""Baselines of `make bench`: the nine-KPI subset in pandas and in one DuckDB query.

Both read the landing directory directly and return the same tidy frame as
marts.kpi_values rows (kpi_id, period_start, scope_type, scope_value, numerator,
denominator, value) at grain day; tests/python/test_baselines.py checks them
against the warehouse.
"""

from switchboard.bench.baselines.duckdb_floor import duckdb_floor_kpis
from switchboard.bench.baselines.pandas_baseline import pandas_kpis

__all__ = ["duckdb_floor_kpis", "pandas_kpis"]
