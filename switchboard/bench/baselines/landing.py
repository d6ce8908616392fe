"""What both baselines share: the KPI subset, its parameters and the landing files."""

from __future__ import annotations

from pathlib import Path

from switchboard import PROJECT_DIR, loader

# The subset, at grain day. Scopes: overall, and channel where the warehouse has that
# scope (tickets, surveys, backlog); call KPIs and the combined aht have no channel scope
# in the catalog (docs/spec/kpis.md "Scopes"), so they are overall only.
KPIS = (
    "first_reply_time",
    "resolution_time",
    "asa",
    "service_level",
    "abandonment_rate",
    "aht",
    "csat",
    "nps",
    "backlog",
)
PERCENT_KPIS = frozenset({"service_level", "abandonment_rate", "csat", "nps"})
COLUMNS = [
    "kpi_id",
    "period_start",
    "scope_type",
    "scope_value",
    "numerator",
    "denominator",
    "value",
]

# dbt_project.yml vars (the defaults of docs/spec/kpis.md).
SERVICE_LEVEL_THRESHOLD_SECONDS = 20
SHORT_ABANDON_SECONDS = 5
DEFAULT_SCHEDULE = "default"

DONE = ("solved", "closed")
REOPEN_TARGETS = ("new", "open", "pending", "on_hold")
BOOLEAN_TRUE = ("true", "1", "yes", "t", "y")
BOOLEAN_FALSE = ("false", "0", "no", "f", "n")


def files(landing: Path, table: str) -> list[Path]:
    """The table's landing files (as the loader finds them) in tie-breaking order.

    Dedupe ties go to the last row of the last file in this order (the warehouse
    orders by source path, then line).
    """
    return sorted(loader.find_files(Path(landing), table), key=str)


def schedule_files(landing: Path) -> list[Path]:
    """`schedules` from the landing directory, else the project's seed."""
    return files(landing, "schedules") or [PROJECT_DIR / "seeds" / "schedules.csv"]


def is_parquet(path: Path) -> bool:
    return path.name.endswith(".parquet")
