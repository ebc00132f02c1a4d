"""The articles' CLV, its example and hand-computed customers: numbers an analyst can redo."""

from __future__ import annotations

import numpy as np
import pytest

from advocacy.errors import InvalidInput
from advocacy.metrics.clv_simple import (
    MAX_LIFESPAN_YEARS,
    average_yearly_revenue,
    customer_clv,
    expected_lifespan,
    simple_clv,
)


def test_the_articles_example_is_nine_thousand() -> None:
    # "$1,000 a year × 10 years = $10,000, minus the $1,000 acquisition cost: CLV $9,000."
    assert simple_clv(1_000, 10, 1_000) == 9_000.0


def test_a_scalar_in_gives_a_plain_float_out() -> None:
    assert isinstance(simple_clv(1_000, 10, 1_000), float)


def test_arrays_are_valued_element_by_element() -> None:
    result = simple_clv(np.array([1_000.0, 500.0, 0.0]), np.array([10.0, 4.0, 3.0]), 1_000)

    assert isinstance(result, np.ndarray)
    # 1,000 × 10 − 1,000; 500 × 4 − 1,000; 0 × 3 − 1,000
    assert result.tolist() == [9_000.0, 1_000.0, -1_000.0]


def test_a_customer_who_cost_more_than_they_bring_keeps_a_negative_clv() -> None:
    assert simple_clv(100, 2, 500) == -300.0


@pytest.mark.parametrize(
    ("revenue", "lifespan", "cost"),
    [(-1, 10, 1_000), (1_000, -10, 1_000), (1_000, 10, -1), (float("nan"), 10, 0)],
)
def test_negative_or_missing_inputs_are_refused(
    revenue: float, lifespan: float, cost: float
) -> None:
    with pytest.raises(InvalidInput):
        simple_clv(revenue, lifespan, cost)


def test_the_expected_lifespan_is_the_inverse_of_the_annual_churn_rate() -> None:
    # Losing 10 % of the customers a year keeps a customer 10 years on average.
    assert expected_lifespan(0.10) == pytest.approx(10.0)
    assert expected_lifespan(0.25) == pytest.approx(4.0)


def test_no_churn_gives_the_maximum_lifespan_not_an_eternal_customer() -> None:
    assert expected_lifespan(0.0) == MAX_LIFESPAN_YEARS
    assert expected_lifespan(0.01) == MAX_LIFESPAN_YEARS
    assert expected_lifespan(0.01, max_years=50) == pytest.approx(50.0)


def test_a_customer_of_one_month_is_not_extrapolated_twelvefold() -> None:
    # 100 spent in the first month: 100 a year (tenure floored at one year), not 1,200.
    assert average_yearly_revenue(100, 1 / 12) == pytest.approx(100.0)
    # 3,000 over two years is 1,500 a year.
    assert average_yearly_revenue(3_000, 2.0) == pytest.approx(1_500.0)


def test_hand_computed_customers_from_a_crafted_history() -> None:
    # A crafted history valued with an expected lifespan of 5 years (a 20 % annual churn):
    # - Ana: acquired two years ago, orders of 1,000 and 1,200 (a cancelled 300 and a returned
    #   800 do not count): 2,200 / 2 years = 1,100 a year; 1,100 × 5 − 500 acquisition = 5,000.
    # - Boris: three months of tenure, 500 spent: the tenure counts as one year, 500 a year;
    #   500 × 5 − 0 (acquisition cost unknown) = 2,500.
    # - Chloe: four years, 2,000 spent: 500 a year; 500 × 5 − 3,000 (an expensive campaign)
    #   = −500, a customer who has not paid back her acquisition.
    revenue = np.array([2_200.0, 500.0, 2_000.0])
    tenure = np.array([2.0, 0.25, 4.0])
    cost = np.array([500.0, 0.0, 3_000.0])
    lifespan = expected_lifespan(0.20)

    result = customer_clv(revenue, tenure, lifespan, cost)

    assert np.asarray(result).tolist() == pytest.approx([5_000.0, 2_500.0, -500.0])


def test_each_customer_may_have_their_own_lifespan() -> None:
    # A cancelled contract of 3 years: lifespan 3, so the CLV is the 1,800 brought − 300.
    result = customer_clv([1_800.0, 1_800.0], [3.0, 3.0], [3.0, 10.0], [300.0, 300.0])

    assert np.asarray(result).tolist() == pytest.approx([1_500.0, 5_700.0])
