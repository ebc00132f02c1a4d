"""Pure analytics: NPS, churn and CLV with their uncertainty (numpy and polars, no database)."""

from advocacy.metrics.nps import NpsChange, NpsResult, compare, nps, nps_from_counts
from advocacy.metrics.nps_groups import NpsGroup, nps_breakdown, nps_grid, nps_trend

__all__ = [
    "NpsChange",
    "NpsGroup",
    "NpsResult",
    "compare",
    "nps",
    "nps_breakdown",
    "nps_from_counts",
    "nps_grid",
    "nps_trend",
]
