"""Pure analytics: NPS, churn and CLV with their uncertainty (numpy and pandas, no database).

Most names load their module on first use, so that the command line and a plain NPS do not pay
for pandas when they only need numpy.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# Loaded at once: numpy only, and ``nps`` must be the function, not the module of that name.
from advocacy.metrics.nps import NpsChange, NpsResult, compare, nps, nps_from_counts

if TYPE_CHECKING:
    from advocacy.metrics.churn import (
        ChurnResult,
        activity_spells,
        churn_rate,
        cohort_retention,
        monthly_churn,
    )
    from advocacy.metrics.clv_simple import customer_clv, expected_lifespan, simple_clv
    from advocacy.metrics.drivers import DriverReport, ThemeDriver, key_drivers
    from advocacy.metrics.nps_groups import NpsGroup, nps_breakdown, nps_grid, nps_trend
    from advocacy.metrics.segments import RfmScores, rfm_scores, value_tiers
    from advocacy.metrics.survival import kaplan_meier, median_survival, survival_at

_WHERE = {
    "churn": ("ChurnResult", "activity_spells", "churn_rate", "cohort_retention", "monthly_churn"),
    "clv_simple": ("customer_clv", "expected_lifespan", "simple_clv"),
    "drivers": ("DriverReport", "ThemeDriver", "key_drivers"),
    "nps_groups": ("NpsGroup", "nps_breakdown", "nps_grid", "nps_trend"),
    "segments": ("RfmScores", "rfm_scores", "value_tiers"),
    "survival": ("kaplan_meier", "median_survival", "survival_at"),
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}

__all__ = [
    "ChurnResult",
    "DriverReport",
    "NpsChange",
    "NpsGroup",
    "NpsResult",
    "RfmScores",
    "ThemeDriver",
    "activity_spells",
    "churn_rate",
    "cohort_retention",
    "compare",
    "customer_clv",
    "expected_lifespan",
    "kaplan_meier",
    "key_drivers",
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


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'advocacy.metrics' has no attribute {name!r}")
    return getattr(import_module(f"advocacy.metrics.{module}"), name)
