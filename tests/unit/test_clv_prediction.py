"""The discounted CLV over a horizon, checked by hand with a model known in closed form."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from advocacy.clv import BetaGeo, customer_lifetime_value
from advocacy.clv.prediction import DAYS_PER_MONTH, monthly_discount_rate
from advocacy.errors import InvalidInput


class Steady:
    """Customers buying at a constant rate λ for ever: E[X(t)] = λ·t."""

    def __init__(self, rates: list[float]) -> None:
        self.rates = np.asarray(rates, dtype=np.float64)

    def conditional_expected_purchases(
        self,
        t: npt.ArrayLike,
        frequency: npt.ArrayLike,
        recency: npt.ArrayLike,
        T: npt.ArrayLike,  # noqa: N803
        /,
    ) -> npt.NDArray[np.float64]:
        return self.rates * float(np.asarray(t))


HISTORY = ([1, 3], [5.0, 20.0], [10.0, 30.0])


def test_the_discounted_sum_is_the_hand_computed_geometric_series() -> None:
    rates, spend = [0.1, 0.02], [50.0, 200.0]  # purchases a day, value a purchase
    annual = 0.1
    delta = 1.1 ** (1 / 12) - 1
    # Each month brings λ × 30.4375 purchases; Σ_{k=1..12} v^k = v (1 − v^12) / (1 − v).
    v = 1 / (1 + delta)
    series = v * (1 - v**12) / (1 - v)
    expected = [r * DAYS_PER_MONTH * s * series for r, s in zip(rates, spend, strict=True)]

    clv = customer_lifetime_value(
        Steady(rates), *HISTORY, spend, horizon_months=12, annual_discount_rate=annual
    )

    assert clv == pytest.approx(expected, rel=1e-12)
    # twelve monthly discounts make the annual one: v^12 = 1 / 1.1
    assert v**12 == pytest.approx(1 / 1.1)
    assert monthly_discount_rate(annual) == pytest.approx(delta)


def test_without_discount_the_clv_is_expected_purchases_times_spend() -> None:
    rates, spend = [0.1, 0.02], [50.0, 200.0]
    clv = customer_lifetime_value(
        Steady(rates), *HISTORY, spend, horizon_months=6, annual_discount_rate=0.0
    )

    purchases = np.asarray(rates) * 6 * DAYS_PER_MONTH
    assert clv == pytest.approx(purchases * np.asarray(spend), rel=1e-12)


def test_the_time_unit_is_explicit_weeks_give_the_same_value_as_days() -> None:
    per_day, spend = 0.1, [10.0]
    in_days = customer_lifetime_value(Steady([per_day]), [1], [5.0], [10.0], spend)
    in_weeks = customer_lifetime_value(
        Steady([per_day * 7]), [1], [5.0], [10.0], spend, freq_days=7.0
    )

    assert in_weeks == pytest.approx(in_days, rel=1e-12)


def test_a_fitted_bgnbd_gives_a_positive_value_below_the_undiscounted_one() -> None:
    frequency, recency, age = (
        [0, 2, 1, 5, 3],
        [0.0, 30.4, 1.7, 20.0, 33.0],
        [38.9, 38.9, 38.9, 30.0, 35.0],
    )
    model = BetaGeo().fit(frequency, recency, age)
    spend = np.array([20.0, 30.0, 40.0, 50.0, 60.0])

    discounted = customer_lifetime_value(model, frequency, recency, age, spend, freq_days=7.0)
    plain = customer_lifetime_value(
        model, frequency, recency, age, spend, annual_discount_rate=0.0, freq_days=7.0
    )
    purchases = model.conditional_expected_purchases(
        12 * DAYS_PER_MONTH / 7, frequency, recency, age
    )

    assert np.all(discounted > 0)
    assert np.all(discounted < plain)
    assert plain == pytest.approx(purchases * spend, rel=1e-9)


def test_a_zero_horizon_is_worth_nothing_and_bad_input_is_refused() -> None:
    assert customer_lifetime_value(Steady([1.0]), [1], [1.0], [2.0], [5.0], horizon_months=0) == [
        0.0
    ]
    with pytest.raises(InvalidInput):
        customer_lifetime_value(Steady([1.0]), [1], [1.0], [2.0], [5.0], horizon_months=-1)
    with pytest.raises(InvalidInput):
        customer_lifetime_value(Steady([1.0]), [1], [1.0], [2.0], [5.0], horizon_months=1.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        customer_lifetime_value(Steady([1.0]), [1], [1.0], [2.0], [-5.0])
    with pytest.raises(InvalidInput):
        customer_lifetime_value(Steady([1.0]), [1], [1.0], [2.0], [5.0], freq_days=0.0)
    with pytest.raises(InvalidInput):
        customer_lifetime_value(Steady([1.0]), [1], [1.0], [2.0], [5.0, 6.0])
