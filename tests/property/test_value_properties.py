"""Properties of CLV, RFM scores and value tiers that hold for every set of customers."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from advocacy.metrics.clv_simple import customer_clv, simple_clv
from advocacy.metrics.segments import TIERS, quintile_scores, rfm_scores, value_tiers

MONEY = st.floats(min_value=-1e7, max_value=1e7, allow_nan=False, allow_infinity=False)
CLVS = st.lists(MONEY, min_size=1, max_size=200)
CURRENCIES = st.sampled_from(["EUR", "MXN", "RUB", "GBP"])
AMOUNT = st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False)
TIER_RANK = {"top": 0, "high": 1, "standard": 2}


@st.composite
def customers(draw: st.DrawFn) -> tuple[list[float], list[str]]:
    clv = draw(CLVS)
    currency = draw(st.lists(CURRENCIES, min_size=len(clv), max_size=len(clv)))
    return clv, currency


@given(customers())
def test_tiers_partition_the_customers_of_each_currency(
    drawn: tuple[list[float], list[str]],
) -> None:
    clv, currency = drawn
    tiers = value_tiers(clv, groups=currency)

    assert len(tiers) == len(clv)
    assert set(tiers.tolist()) <= set(TIERS)
    codes = np.array(currency)
    for code in set(currency):
        group = tiers[codes == code]
        counts = {tier: int((group == tier).sum()) for tier in TIERS}
        assert sum(counts.values()) == group.size
        assert counts["top"] >= 1  # the best customer of a currency is always top


@given(customers())
def test_a_higher_clv_never_gets_a_lower_tier_within_a_currency(
    drawn: tuple[list[float], list[str]],
) -> None:
    clv, currency = drawn
    tiers = value_tiers(clv, groups=currency)
    values, codes = np.array(clv), np.array(currency)
    ranks = np.array([TIER_RANK[str(tier)] for tier in tiers])

    for code in set(currency):
        mask = codes == code
        v, r = values[mask], ranks[mask]
        higher = v[:, None] > v[None, :]
        assert not np.any(higher & (r[:, None] > r[None, :]))
        equal = v[:, None] == v[None, :]
        assert not np.any(equal & (r[:, None] != r[None, :]))


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=2_000),
            st.integers(min_value=0, max_value=50),
            AMOUNT,
            CURRENCIES,
        ),
        min_size=1,
        max_size=200,
    )
)
def test_rfm_scores_are_from_1_to_5_for_buyers_and_0_without_orders(
    rows: list[tuple[int, int, float, str]],
) -> None:
    recency, frequency, monetary, currency = (list(column) for column in zip(*rows, strict=True))
    scores = rfm_scores(recency, frequency, monetary, groups=currency)
    buyers = np.array(frequency) > 0

    for score in (scores.recency, scores.frequency, scores.monetary):
        assert np.all((score[buyers] >= 1) & (score[buyers] <= 5))
        assert np.all(score[~buyers] == 0)
    assert all(len(code) == 3 for code in scores.code.tolist())


@given(st.lists(st.integers(min_value=-1_000, max_value=1_000), min_size=1, max_size=300))
def test_a_better_value_never_gets_a_lower_quintile_score(values: list[int]) -> None:
    scores = quintile_scores(values)
    v = np.array(values)

    assert not np.any((v[:, None] > v[None, :]) & (scores[:, None] < scores[None, :]))
    assert scores.max() <= 5
    assert scores.min() >= 1


@given(AMOUNT, st.floats(min_value=0, max_value=100), AMOUNT)
def test_clv_grows_with_revenue_and_lifespan_and_falls_with_the_acquisition_cost(
    revenue: float, lifespan: float, cost: float
) -> None:
    base = simple_clv(revenue, lifespan, cost)

    assert simple_clv(revenue + 1, lifespan, cost) >= base
    assert simple_clv(revenue, lifespan + 1, cost) >= base
    assert simple_clv(revenue, lifespan, cost + 1) < base or base - 1 == base


@given(AMOUNT, st.floats(min_value=0, max_value=50), st.floats(min_value=0, max_value=100))
def test_a_short_tenure_never_values_a_customer_above_a_full_year_of_the_same_revenue(
    revenue: float, tenure: float, lifespan: float
) -> None:
    value = customer_clv([revenue], [tenure], lifespan, [0.0])
    one_year = customer_clv([revenue], [1.0], lifespan, [0.0])

    assert np.asarray(value)[0] <= np.asarray(one_year)[0] * (1 + 1e-12) + 1e-9
