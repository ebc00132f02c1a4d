"""RFM scores, named segments and CLV value tiers on small examples checked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from advocacy.errors import InvalidInput
from advocacy.metrics.segments import NO_ORDERS, quintile_scores, rfm_scores, value_tiers


def test_five_distinct_values_get_one_score_each_from_worst_to_best() -> None:
    assert quintile_scores([50, 10, 40, 20, 30]).tolist() == [5, 1, 4, 2, 3]


def test_ten_customers_fill_each_quintile_with_two() -> None:
    # score = 1 + ⌊5 · (customers strictly worse) / 10⌋: 0,1 → 1; 2,3 → 2; … 8,9 → 5.
    scores = quintile_scores(np.arange(10.0))

    assert scores.tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_fewer_days_since_the_last_order_is_the_better_recency() -> None:
    # Days 3, 1, 1, 2: two customers are worse than the 1s (⌊5·2/4⌋ + 1 = 3), one is worse
    # than the 2 (⌊5·1/4⌋ + 1 = 2), none than the 3.
    assert quintile_scores([3, 1, 1, 2], higher_is_better=False).tolist() == [1, 3, 3, 2]


def test_equal_values_always_share_a_score() -> None:
    # Six one-time buyers and four repeat buyers: the six are worse than nobody (score 1), the
    # three with 2 orders are worse than six (1 + ⌊30/10⌋ = 4), the one with 5 orders than nine.
    frequency = [1, 1, 1, 1, 1, 1, 2, 2, 2, 5]

    assert quintile_scores(frequency).tolist() == [1] * 6 + [4] * 3 + [5]


def test_each_group_is_ranked_on_its_own() -> None:
    # EUR 10, 20 and MXN 1,000, 2,000: each currency has its own best and worst.
    scores = quintile_scores([10, 1_000, 20, 2_000], groups=["EUR", "MXN", "EUR", "MXN"])

    assert scores.tolist() == [1, 1, 3, 3]


def test_the_rfm_code_and_segment_of_hand_checked_customers() -> None:
    # Five customers with recency 1…5 days ago and frequency/monetary rising with recency:
    # the most recent is 555 (Champions), the oldest 111 (Lost).
    scores = rfm_scores(
        recency_days=[1, 10, 30, 90, 400],
        frequency=[9, 7, 5, 3, 1],
        monetary=[900.0, 700.0, 500.0, 300.0, 100.0],
    )

    assert scores.code.tolist() == ["555", "444", "333", "222", "111"]
    assert scores.segment.tolist() == [
        "Champions",
        "Loyal",
        "Need attention",
        "Hibernating",
        "Lost",
    ]


@pytest.mark.parametrize(
    ("r", "f", "segment"),
    [
        (5, 5, "Champions"),
        (5, 1, "New"),
        (4, 1, "Promising"),
        (4, 2, "Potential loyalists"),
        (3, 5, "Loyal"),
        (3, 1, "About to sleep"),
        (2, 4, "At risk"),
        (1, 5, "Can't lose them"),
        (2, 1, "Hibernating"),
        (1, 2, "Lost"),
    ],
)
def test_the_recency_frequency_grid_names_the_segments(r: int, f: int, segment: str) -> None:
    # Five customers: with n = 5 a score is 1 + the number of customers strictly worse, so the
    # first customer scores (r, f) when r − 1 others ordered longer ago (90 days against its 50)
    # and f − 1 others ordered less often (1 order against its 5).
    recency_days = [50.0] + [10.0] * (5 - r) + [90.0] * (r - 1)
    frequency = [5.0] + [9.0] * (5 - f) + [1.0] * (f - 1)

    scores = rfm_scores(recency_days, frequency, [1.0] * 5)

    assert (int(scores.recency[0]), int(scores.frequency[0])) == (r, f)
    assert scores.segment[0] == segment


def test_customers_without_orders_get_no_scores_and_their_own_segment() -> None:
    scores = rfm_scores([0, 3, 8], [0, 2, 1], [0.0, 50.0, 10.0])

    assert scores.code[0] == "000"
    assert scores.segment[0] == NO_ORDERS
    # The two buyers are ranked between themselves only.
    assert scores.code[1:].tolist() == ["333", "111"]


def test_ten_customers_split_into_one_top_two_high_and_seven_standard() -> None:
    clv = [120.0, 900.0, 50.0, 400.0, 700.0, -30.0, 80.0, 10.0, 300.0, 60.0]

    tiers = value_tiers(clv)

    assert tiers[1] == "top"  # 900
    assert sorted(np.flatnonzero(tiers == "high").tolist()) == [3, 4]  # 700 and 400
    assert (tiers == "standard").sum() == 7


def test_equal_clvs_share_the_better_tier() -> None:
    # Two customers tie for the best of ten: neither has anyone strictly above, both are top.
    tiers = value_tiers([100.0, 100.0, *range(8)])

    assert tiers[:2].tolist() == ["top", "top"]


def test_tiers_are_ranked_within_each_currency() -> None:
    # One EUR 9,000 customer must not push every MXN customer (bigger numbers) out of the top.
    clv = [9_000.0, 100.0, 150_000.0, 90_000.0]
    currencies = ["EUR", "EUR", "MXN", "MXN"]

    assert value_tiers(clv, groups=currencies).tolist() == ["top", "standard", "top", "standard"]


def test_a_customer_without_a_clv_has_no_tier() -> None:
    assert value_tiers([float("nan"), 5.0]).tolist() == ["none", "top"]


def test_scores_of_infinite_values_are_refused() -> None:
    with pytest.raises(InvalidInput):
        quintile_scores([1.0, float("inf")])
