"""Benchmarks: tiers, full and incremental builds, pandas and DuckDB-floor baselines."""
