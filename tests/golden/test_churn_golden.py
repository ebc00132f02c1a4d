"""Churn on crafted histories whose every number is computed by hand in the comments."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from advocacy.errors import InvalidInput
from advocacy.metrics.churn import (
    activity_spells,
    add_months,
    churn_rate,
    cohort_retention,
    monthly_churn,
)

# The window: as_of = 2025-01-01, 12 months → (2024-01-01, 2025-01-01]; the 13 boundaries are
# the first of each month from 2024-01-01 (index 0) to 2025-01-01 (index 12).
# A customer is active at t when acquired <= t < churned.
#
#     customer  acquired    churned      active at boundaries          count  lost in window?
#     A         2023-03-01  -            all 13                        13     no
#     C         2023-09-01  2024-03-15   Jan, Feb, Mar 2024 (0–2)       3     yes
#     D         2023-11-20  2024-07-01   Jan … Jun 2024 (0–5)           6     yes (Jul 1 ≤ end)
#     E         2024-02-10  -            Mar 2024 … Jan 2025 (2–12)    11     no
#     F         2024-04-01  2024-10-15   Apr … Oct 2024 (3–9)           7     yes
#     G         2024-05-05  2024-05-25   none (joined and left in May)  0     yes
#     H         2023-01-10  2023-12-31   none (left before the window)  0     no
#     I         2024-08-01  2025-01-01   Aug … Dec 2024 (7–11)          5     yes (end = as_of)
#     J         2025-02-01  -            none (after as_of)             0     no
#     K         2023-12-01  2024-01-01   none (left at the window start) 0    no (start excluded)
#     20 loyal  2020-01-01  -            all 13 each                  260     no
#
# Active at each boundary, 10 named customers: Jan A C D = 3, Feb A C D = 3, Mar A C D E = 4,
# Apr A D E F = 4, May 4, Jun 4, Jul A E F = 3, Aug A E F I = 4, Sep 4, Oct 4, Nov A E I = 3,
# Dec 3, Jan 2025 A E = 2 → 45 (= 13 + 3 + 6 + 11 + 7 + 5). With the 20 loyal customers each
# boundary has 20 more: 305 in all. Average = 305 / 13 = 23.4615…
# Lost: C, D, F, G, I = 5. Churn rate = 5 / (305 / 13) = 65 / 305 = 13 / 61 = 0.2131…
NAMED = [
    ("A", "2023-03-01", None),
    ("C", "2023-09-01", "2024-03-15"),
    ("D", "2023-11-20", "2024-07-01"),
    ("E", "2024-02-10", None),
    ("F", "2024-04-01", "2024-10-15"),
    ("G", "2024-05-05", "2024-05-25"),
    ("H", "2023-01-10", "2023-12-31"),
    ("I", "2024-08-01", "2025-01-01"),
    ("J", "2025-02-01", None),
    ("K", "2023-12-01", "2024-01-01"),
]
HISTORY = NAMED + [(f"L{i}", "2020-01-01", None) for i in range(20)]
NAMED_COUNTS = (3, 3, 4, 4, 4, 4, 3, 4, 4, 4, 3, 3, 2)


def _arrays(history: list[tuple[str, str, str | None]]) -> tuple[np.ndarray, np.ndarray]:
    starts = np.array([start for _, start, _ in history], dtype="datetime64[us]")
    ends = np.array([end or "NaT" for _, _, end in history], dtype="datetime64[us]")
    return starts, ends


def test_the_churn_rate_of_a_crafted_year_is_the_one_computed_by_hand() -> None:
    starts, ends = _arrays(HISTORY)

    result = churn_rate(starts, ends, as_of="2025-01-01", months=12)

    assert result.boundary_counts == tuple(20 + count for count in NAMED_COUNTS)
    assert sum(result.boundary_counts) == 305
    assert result.average_customers == pytest.approx(305 / 13)
    assert result.lost == 5
    assert result.churn_rate == pytest.approx(13 / 61)
    assert (result.window_start, result.window_end) == (
        dt.datetime(2024, 1, 1),
        dt.datetime(2025, 1, 1),
    )
    assert result.definition == "contract"


def test_the_named_customers_alone_give_a_rate_above_one_as_the_formula_says() -> None:
    # 5 lost ÷ (45 / 13) = 65 / 45 = 13 / 9: a small base losing short-lived customers.
    starts, ends = _arrays(NAMED)

    result = churn_rate(starts, ends, as_of="2025-01-01")

    assert result.boundary_counts == NAMED_COUNTS
    assert result.churn_rate == pytest.approx(13 / 9)


def test_the_window_counts_from_as_of_so_month_ends_stay_month_ends() -> None:
    # as_of 2025-03-31, 12 months: the window starts 2024-03-31; its boundaries are the last
    # day of each month (2024-04-30, 2024-05-31, …, 2025-02-28, 2025-03-31).
    starts, ends = _arrays([("A", "2020-01-01", None)])

    result = churn_rate(starts, ends, as_of="2025-03-31", months=12)

    assert result.window_start == dt.datetime(2024, 3, 31)
    assert result.boundaries[1] == dt.datetime(2024, 4, 30)
    assert result.boundaries[-2] == dt.datetime(2025, 2, 28)
    assert result.boundaries[-1] == dt.datetime(2025, 3, 31)
    assert add_months(np.array(["2025-03-31"], dtype="datetime64[us]"), -1)[0] == np.datetime64(
        "2025-02-28"
    )


def test_a_shorter_window_averages_its_own_boundaries() -> None:
    # 3 months to 2024-07-01: boundaries Apr 1, May 1, Jun 1, Jul 1. Named customers active:
    # A D E F, A D E F, A D E F, A E F → 4 + 4 + 4 + 3 = 15, average 3.75; lost in
    # (2024-04-01, 2024-07-01]: G (May 25) and D (Jul 1) = 2 → 2 / 3.75 = 0.5333…
    starts, ends = _arrays(NAMED)

    result = churn_rate(starts, ends, as_of="2024-07-01", months=3)

    assert result.boundary_counts == (4, 4, 4, 3)
    assert result.lost == 2
    assert result.churn_rate == pytest.approx(2 / 3.75)


def test_the_monthly_series_counts_each_month_by_hand() -> None:
    # May 2024: active at May 1 A D E F = 4; G joins and leaves within the month: acquired 1,
    # lost 1 → 1 / 4 = 25 %. June: active at Jun 1 = 4; D's end (Jul 1) falls in (Jun 1, Jul 1]
    # → lost 1, 25 %. July: active at Jul 1 A E F = 3, nobody leaves → 0.
    starts, ends = _arrays(NAMED)

    series = monthly_churn(starts, ends, start="2024-05-01", end="2024-07-31")

    assert series["month"].tolist() == [
        pd.Timestamp("2024-05-01"),
        pd.Timestamp("2024-06-01"),
        pd.Timestamp("2024-07-01"),
    ]
    assert series["active_at_start"].tolist() == [4, 4, 3]
    assert series["acquired"].tolist() == [1, 0, 0]
    assert series["lost"].tolist() == [1, 1, 0]
    assert series["churn_rate"].tolist() == pytest.approx([0.25, 0.25, 0.0])
    assert series["complete"].tolist() == [True, True, False]  # July stops at the 31st, 0:00


# Inactivity, 90 days without an order, as_of 2025-01-01:
#
#     customer  orders                              spells [start, end)
#     P         2024-01-10, 2024-02-15, 2024-03-01  [01-10, 03-01 + 90 d = 2024-05-30)
#     Q         2023-12-01, 2024-06-01, 2024-11-15  gaps of 183 and 167 days > 90: three spells
#                                                   [2023-12-01, 2024-02-29), [06-01, 08-30),
#                                                   [11-15, open: 2025-02-13 is after as_of)
#     R         2024-10-01, 2024-12-20              gap 80: [10-01, open: 2025-03-20 > as_of)
#     S         2024-01-01, 2024-03-31              gap exactly 90 is not a lapse: one spell
#                                                   [01-01, 03-31 + 90 d = 2024-06-29)
#     T         2025-02-01                          after as_of: no spell
#
# Active at the 13 boundaries 2024-01-01 … 2025-01-01: P Feb–May (4), Q1 Jan–Feb (2),
# Q2 Jun–Aug (3), Q3 Dec–Jan 2025 (2), R Oct–Jan 2025 (4), S Jan–Jun (6) → 21; average 21/13.
# By boundary: Jan Q1 S = 2, Feb P Q1 S = 3, Mar–May P S = 2, Jun S Q2 = 2, Jul Q2 = 1,
# Aug Q2 = 1, Sep 0, Oct R = 1, Nov R = 1, Dec R Q3 = 2, Jan 2025 R Q3 = 2.
# Lost in the window: P (May 30), Q1 (Feb 29), Q2 (Aug 30), S (Jun 29) = 4 → 4 × 13 / 21.
ORDERS = [
    ("P", "2024-01-10"),
    ("P", "2024-03-01"),
    ("P", "2024-02-15"),
    ("Q", "2024-11-15"),
    ("Q", "2023-12-01"),
    ("Q", "2024-06-01"),
    ("R", "2024-10-01"),
    ("R", "2024-12-20"),
    ("S", "2024-01-01"),
    ("S", "2024-03-31"),
    ("T", "2025-02-01"),
]


def _spells() -> pd.DataFrame:
    ids = np.array([customer for customer, _ in ORDERS], dtype=object)
    times = np.array([at for _, at in ORDERS], dtype="datetime64[us]")
    return activity_spells(ids, times, inactive_days=90, as_of="2025-01-01")


def test_activity_spells_split_a_customer_at_every_lapse_longer_than_the_limit() -> None:
    spells = _spells()

    assert spells["customer_id"].tolist() == ["P", "Q", "Q", "Q", "R", "S"]
    assert spells["start"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-01-10", "2023-12-01", "2024-06-01", "2024-11-15", "2024-10-01", "2024-01-01",
    ]  # fmt: skip
    assert spells["end"].dt.strftime("%Y-%m-%d").fillna("open").tolist() == [
        "2024-05-30", "2024-02-29", "2024-08-30", "open", "open", "2024-06-29",
    ]  # fmt: skip
    assert spells["orders"].tolist() == [3, 1, 1, 1, 2, 2]


def test_the_inactivity_churn_rate_is_the_one_computed_by_hand() -> None:
    spells = _spells()

    result = churn_rate(spells["start"], spells["end"], as_of="2025-01-01", definition="inactivity")

    assert result.boundary_counts == (2, 3, 2, 2, 2, 2, 1, 1, 0, 1, 1, 2, 2)
    assert sum(result.boundary_counts) == 21
    assert result.lost == 4
    assert result.churn_rate == pytest.approx(4 * 13 / 21)
    assert result.definition == "inactivity"


def test_cohort_retention_follows_each_acquisition_month_by_hand() -> None:
    # as_of 2024-04-15. January cohort: a (Jan 10 → Feb 10) is there at age 0 only; b (Jan 31
    # → Apr 1) at ages 0, 1 (Feb 29), 2 (Mar 31). b reaches age 3 on Apr 30, after as_of, so the
    # cohort's age 3 is unknown. Shares: 1, 1/2, 1/2, NaN. February: c (Feb 15, still) reaches
    # age 2 on Apr 15 = as_of: 1, 1, 1. March: d joined and left on Mar 1: 0 at age 0.
    acquired = ["2024-01-10", "2024-01-31", "2024-02-15", "2024-03-01"]
    ends = ["2024-02-10", "2024-04-01", None, "2024-03-01"]

    matrix = cohort_retention(acquired, ends, as_of="2024-04-15")

    assert matrix["cohort"].dt.strftime("%Y-%m").tolist() == ["2024-01", "2024-02", "2024-03"]
    assert matrix["size"].tolist() == [2, 1, 1]
    values = matrix[[0, 1, 2, 3]].to_numpy()
    np.testing.assert_array_equal(
        values,
        [[1.0, 0.5, 0.5, np.nan], [1.0, 1.0, 1.0, np.nan], [0.0, 0.0, np.nan, np.nan]],
    )


def test_a_window_without_customers_has_no_churn_rate_rather_than_an_error() -> None:
    result = churn_rate(["2030-01-01"], [None], as_of="2025-01-01")

    assert np.isnan(result.churn_rate)
    assert (result.lost, result.average_customers) == (0, 0.0)


def test_a_customer_lost_before_they_joined_is_refused() -> None:
    with pytest.raises(InvalidInput, match="end before start"):
        churn_rate(["2024-05-01"], ["2024-04-01"], as_of="2025-01-01")


@pytest.mark.parametrize("months", [0, -3])
def test_a_window_shorter_than_a_month_is_refused(months: int) -> None:
    with pytest.raises(InvalidInput, match="at least one month"):
        churn_rate(["2024-05-01"], [None], as_of="2025-01-01", months=months)
