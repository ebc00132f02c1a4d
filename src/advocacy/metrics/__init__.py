"""Pure analytics: NPS, churn and CLV with their uncertainty (numpy and polars, no database)."""

from advocacy.metrics.clv_simple import customer_clv, expected_lifespan, simple_clv
from advocacy.metrics.nps import NpsChange, NpsResult, compare, nps, nps_from_counts
from advocacy.metrics.nps_groups import NpsGroup, nps_breakdown, nps_grid, nps_trend
from advocacy.metrics.segments import RfmScores, rfm_scores, value_tiers

__all__ = [
    "NpsChange",
    "NpsGroup",
    "NpsResult",
    "RfmScores",
    "compare",
    "customer_clv",
    "expected_lifespan",
    "nps",
    "nps_breakdown",
    "nps_from_counts",
    "nps_grid",
    "nps_trend",
    "rfm_scores",
    "simple_clv",
    "value_tiers",
]
