"""NPS against numbers computed by hand from the articles' definitions and the papers' formulas."""

from __future__ import annotations

import math

import pytest

from advocacy.errors import InvalidInput
from advocacy.metrics.nps import Z_95, compare, nps, nps_from_counts, score_interval


def test_promoters_are_nine_and_ten_passives_seven_and_eight_detractors_zero_to_six() -> None:
    result = nps([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])

    assert (result.detractors, result.passives, result.promoters) == (7, 2, 2)
    # 2/11 promoters − 7/11 detractors = −5/11 = −45.45 points
    assert result.score == pytest.approx(-500 / 11)


def test_the_margin_of_error_follows_the_variance_of_the_nps_estimator() -> None:
    # 50 promoters, 30 passives, 20 detractors: p+ = .5, p- = .2, NPS = 30.
    # Var = (.5 + .2 − .3²) / 100 = .0061; MoE = 1.96 · √.0061 = 0.15308 → 15.31 points.
    result = nps([10] * 50 + [8] * 30 + [0] * 20)

    assert result.score == pytest.approx(30.0)
    assert result.margin_of_error == pytest.approx(100 * Z_95 * math.sqrt(0.0061))
    assert result.margin_of_error == pytest.approx(15.31, abs=0.01)
    assert (result.ci_low, result.ci_high) == pytest.approx((14.69, 45.31), abs=0.01)
    assert result.interval == "wald"
    assert not result.small_sample


def test_a_small_sample_is_flagged_and_its_interval_stays_within_the_scale() -> None:
    # One promoter: the Wald interval is [100, 100]. The score interval solves
    # (1 − δ) / √(1 − δ²) = z, i.e. δ = (1 − z²) / (1 + z²) = −0.5869, up to 1.
    result = nps([10])

    assert result.small_sample
    assert result.interval == "score"
    assert result.ci_low == pytest.approx(100 * (1 - Z_95**2) / (1 + Z_95**2))
    assert result.ci_high == 100.0


def test_the_score_interval_of_a_balanced_sample_is_symmetric() -> None:
    low, high = score_interval(2, 2, 2)

    assert low == pytest.approx(-high)
    assert 0 < high < 1


def test_an_unanimous_large_sample_has_no_uncertainty_left() -> None:
    result = nps_from_counts(1000, 0, 0)

    assert (result.score, result.margin_of_error, result.ci_low, result.ci_high) == (
        100,
        0,
        100,
        100,
    )


@pytest.mark.parametrize("bad", [[11], [-1], [9.5], [float("nan")], ["nine"]])
def test_scores_outside_zero_to_ten_or_not_whole_are_refused_never_counted(
    bad: list[object],
) -> None:
    with pytest.raises(InvalidInput, match="whole numbers from 0 to 10"):
        nps(bad)  # type: ignore[arg-type]


def test_no_answers_give_no_score_rather_than_zero() -> None:
    result = nps([])

    assert result.n == 0
    assert math.isnan(result.score)


def test_two_periods_are_compared_with_a_z_test_on_their_difference() -> None:
    # Before: 40 promoters, 40 passives, 20 detractors → NPS 20, Var = (.6 − .04)/100 = .0056.
    # After: 60 / 20 / 20 → NPS 40, Var = (.8 − .16)/100 = .0064.
    # SE of the difference = 100·√(.0056 + .0064) = 10.954; z = 20 / 10.954 = 1.826;
    # two-sided p = erfc(1.826/√2) = 0.0679: not significant at 95 %.
    before = nps_from_counts(40, 40, 20)
    after = nps_from_counts(60, 20, 20)

    change = compare(after, before)

    assert change.change == pytest.approx(20.0)
    assert change.p_value == pytest.approx(0.0679, abs=1e-4)
    assert not change.significant
    assert (change.ci_low, change.ci_high) == pytest.approx(
        (20 - Z_95 * 10.954, 20 + Z_95 * 10.954), abs=1e-2
    )


def test_a_large_enough_change_is_significant() -> None:
    change = compare(nps_from_counts(600, 200, 200), nps_from_counts(400, 400, 200))

    assert change.p_value < 0.001
    assert change.significant
