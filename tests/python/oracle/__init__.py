"""An independent plain-Python oracle of the switchboard KPI catalog.

Standard library only; shares no code with the warehouse (dbt models, macros or
the `switchboard` package). Entry point: `compute_kpis(landing_dir, seeds_dir)`.
"""

from .erlang import required_agents
from .kpis import CATALOG, compute_kpis, percentile_cont

__all__ = ["CATALOG", "compute_kpis", "percentile_cont", "required_agents"]
