"""Pure analytics: NPS, churn and CLV with their uncertainty (numpy and polars, no database)."""

from advocacy.metrics.nps import NpsChange, NpsResult, compare, nps, nps_from_counts

__all__ = ["NpsChange", "NpsResult", "compare", "nps", "nps_from_counts"]
