"""Key-driver intervals against the numbers printed in Newcombe's papers and computed by hand."""

from __future__ import annotations

import math

import pytest

from advocacy.metrics.drivers import key_drivers, newcombe_interval, wilson_interval
from advocacy.metrics.nps import Z_95

# Newcombe (1998), "Interval estimation for the difference between independent proportions:
# comparison of eleven methods", Statistics in Medicine 17, 873–890, Table II, method 10 (the
# hybrid score interval without continuity correction), 95 %.
# For example (c), 6/7 − 2/7, the method-10 limits are 0.0582 and 0.8062; the pair
# (0.0342, 0.8534) sometimes quoted for it is the Miettinen–Nurminen score interval of the same
# table (method 6), which the closed form of method 10 cannot give.
NEWCOMBE_TABLE_II = [
    ((56, 70, 48, 80), (0.0524, 0.3339)),
    ((9, 10, 3, 10), (0.1705, 0.8090)),
    ((6, 7, 2, 7), (0.0582, 0.8062)),
    ((5, 56, 0, 29), (-0.0381, 0.1926)),
    ((0, 10, 0, 20), (-0.1611, 0.2775)),
    ((0, 10, 0, 10), (-0.2775, 0.2775)),
    ((10, 10, 0, 20), (0.6791, 1.0000)),
    ((10, 10, 0, 10), (0.6075, 1.0000)),
]

# Newcombe (1998), "Two-sided confidence intervals for the single proportion: comparison of seven
# methods", Statistics in Medicine 17, 857–872: its worked examples, method 3 (Wilson's score
# interval without continuity correction).
NEWCOMBE_WILSON = [
    ((81, 263), (0.2553, 0.3662)),
    ((15, 148), (0.0624, 0.1605)),
    ((0, 20), (0.0000, 0.1611)),
    ((1, 29), (0.0061, 0.1718)),
]


@pytest.mark.parametrize(("counts", "printed"), NEWCOMBE_TABLE_II)
def test_the_difference_of_two_proportions_matches_newcombes_table_ii_to_four_decimals(
    counts: tuple[int, int, int, int], printed: tuple[float, float]
) -> None:
    low, high = newcombe_interval(*counts)

    assert (round(low, 4), round(high, 4)) == printed


@pytest.mark.parametrize(("counts", "printed"), NEWCOMBE_WILSON)
def test_the_wilson_interval_matches_newcombes_single_proportion_table_to_four_decimals(
    counts: tuple[int, int], printed: tuple[float, float]
) -> None:
    low, high = wilson_interval(*counts)

    assert (round(low, 4), round(high, 4)) == printed


def test_the_wilson_interval_of_no_successes_starts_at_exactly_zero() -> None:
    # x = 0: the upper limit is z² / (n + z²) in closed form.
    low, high = wilson_interval(0, 20)

    assert low == 0.0
    assert high == pytest.approx(Z_95**2 / (20 + Z_95**2))
    assert wilson_interval(20, 20)[1] == 1.0


def test_the_gap_of_a_theme_follows_the_variance_of_two_independent_nps() -> None:
    # 200 responses. The 100 that mention the theme: 60 promoters, 20 passives, 20 detractors
    # → NPS 40, Var = 100² · (.8 − .4²) / 100 = 64. The 100 that do not: 40 / 40 / 20 → NPS 20,
    # Var = 100² · (.6 − .2²) / 100 = 56. Gap = 20, SE = √120 = 10.954; 95 % Wald interval
    # 20 ± 1.96 · 10.954 = (−1.47, 41.47); p = erfc(1.826 / √2) = 0.0679: not significant.
    # Impact = 100 · 20 / 200 = 10 points; lift = 100 · 60 / 200 = 30 points.
    # Detractor rate 20/40 = .5, promoter rate 60/100 = .6, difference −.1.
    scores = [10] * 60 + [8] * 20 + [0] * 20 + [10] * 40 + [8] * 40 + [0] * 20
    mentions = [True] * 100 + [False] * 100

    theme = key_drivers(scores, {"theme": mentions}).drivers[0]

    assert (theme.nps_with, theme.nps_without) == pytest.approx((40.0, 20.0))
    assert theme.gap == pytest.approx(20.0)
    assert (theme.gap_ci_low, theme.gap_ci_high) == pytest.approx(
        (20 - Z_95 * math.sqrt(120), 20 + Z_95 * math.sqrt(120))
    )
    assert (theme.gap_ci_low, theme.gap_ci_high) == pytest.approx((-1.47, 41.47), abs=0.01)
    assert theme.gap_p_value == pytest.approx(0.0679, abs=1e-4)
    assert not theme.significant
    assert theme.impact == 10.0
    assert theme.lift == 30.0
    assert (theme.impact_ci_low, theme.impact_ci_high) == pytest.approx(
        tuple(100 * bound for bound in wilson_interval(20, 200))
    )
    assert (theme.detractor_rate, theme.promoter_rate) == (0.5, 0.6)
    assert theme.rate_difference == pytest.approx(-0.1)
    assert (theme.rate_difference_ci_low, theme.rate_difference_ci_high) == pytest.approx(
        newcombe_interval(20, 40, 60, 100)
    )
