"""Pure analytics: NPS, churn and CLV with their uncertainty (numpy and polars, no database)."""

from advocacy.metrics.churn import (
    ChurnResult,
    activity_spells,
    churn_rate,
    cohort_retention,
    monthly_churn,
)
from advocacy.metrics.clv_simple import customer_clv, expected_lifespan, simple_clv
from advocacy.metrics.nps import NpsChange, NpsResult, compare, nps, nps_from_counts
from advocacy.metrics.nps_groups import NpsGroup, nps_breakdown, nps_grid, nps_trend
from advocacy.metrics.segments import RfmScores, rfm_scores, value_tiers
from advocacy.metrics.survival import kaplan_meier, median_survival, survival_at

__all__ = [
    "ChurnResult",
    "NpsChange",
    "NpsGroup",
    "NpsResult",
    "RfmScores",
    "activity_spells",
    "churn_rate",
    "cohort_retention",
    "compare",
    "customer_clv",
    "expected_lifespan",
    "kaplan_meier",
    "median_survival",
    "monthly_churn",
    "nps",
    "nps_breakdown",
    "nps_from_counts",
    "nps_grid",
    "nps_trend",
    "rfm_scores",
    "simple_clv",
    "survival_at",
    "value_tiers",
]
