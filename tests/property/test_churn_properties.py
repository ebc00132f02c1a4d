"""Properties of churn that hold for every history of customers."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from advocacy.metrics.churn import (
    activity_spells,
    add_months,
    churn_rate,
    cohort_retention,
    monthly_churn,
)

ORIGIN = np.datetime64("2022-01-01T00:00", "us")
DAY = np.timedelta64(1, "D").astype("timedelta64[us]")
HOUR = np.timedelta64(1, "h").astype("timedelta64[us]")

# One customer: days from ORIGIN to acquisition, then the days they stayed (None: still there).
CUSTOMER = st.tuples(
    st.integers(min_value=0, max_value=1400), st.none() | st.integers(min_value=0, max_value=900)
)
HISTORIES = st.lists(CUSTOMER, min_size=1, max_size=60)
AS_OF = st.integers(min_value=0, max_value=1500).map(lambda days: ORIGIN + days * DAY)
MONTHS = st.integers(min_value=1, max_value=24)


def arrays(history: list[tuple[int, int | None]]) -> tuple[np.ndarray, np.ndarray]:
    starts = np.array([ORIGIN + start * DAY for start, _ in history], dtype="datetime64[us]")
    ends = np.array(
        [
            np.datetime64("NaT") if stay is None else ORIGIN + (start + stay) * DAY
            for start, stay in history
        ],
        dtype="datetime64[us]",
    )
    return starts, ends


@given(HISTORIES, AS_OF, MONTHS)
def test_the_rate_is_positive_and_finite_whenever_the_window_has_customers(
    history: list[tuple[int, int | None]], as_of: np.datetime64, months: int
) -> None:
    starts, ends = arrays(history)

    result = churn_rate(starts, ends, as_of=as_of, months=months)

    assert len(result.boundary_counts) == months + 1
    assert all(0 <= count <= len(history) for count in result.boundary_counts)
    assert result.average_customers == np.mean(result.boundary_counts)
    if result.average_customers > 0:
        assert math.isfinite(result.churn_rate)
        assert result.churn_rate >= 0
        # Every boundary counts at least one customer-month, so the rate is bounded.
        assert result.churn_rate <= result.lost * (months + 1)
    else:
        assert math.isnan(result.churn_rate)


@given(HISTORIES, AS_OF, MONTHS)
def test_no_more_customers_are_lost_than_were_ever_active_in_the_window(
    history: list[tuple[int, int | None]], as_of: np.datetime64, months: int
) -> None:
    starts, ends = arrays(history)

    result = churn_rate(starts, ends, as_of=as_of, months=months)

    window_start = np.datetime64(result.window_start, "us")
    window_end = np.datetime64(result.window_end, "us")
    ever_active = sum(
        1
        for start, end in zip(starts, ends, strict=True)
        if start <= window_end and (np.isnat(end) or (end > window_start and end > start))
    )
    assert result.lost <= ever_active


@given(HISTORIES, AS_OF, MONTHS, st.integers(min_value=0, max_value=1500))
def test_adding_a_customer_who_is_never_lost_never_raises_the_rate(
    history: list[tuple[int, int | None]], as_of: np.datetime64, months: int, joined: int
) -> None:
    starts, ends = arrays(history)
    before = churn_rate(starts, ends, as_of=as_of, months=months)

    after = churn_rate(
        np.append(starts, ORIGIN + joined * DAY),
        np.append(ends, np.datetime64("NaT", "us")),
        as_of=as_of,
        months=months,
    )

    assert after.lost == before.lost
    if before.average_customers > 0:
        assert after.churn_rate <= before.churn_rate


@given(HISTORIES, AS_OF, MONTHS, st.randoms(use_true_random=False))
def test_the_order_of_the_customers_does_not_matter(
    history: list[tuple[int, int | None]], as_of: np.datetime64, months: int, rng: object
) -> None:
    starts, ends = arrays(history)
    shuffled = list(history)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]

    first = churn_rate(starts, ends, as_of=as_of, months=months)
    second = churn_rate(*arrays(shuffled), as_of=as_of, months=months)

    assert (first.lost, first.boundary_counts) == (second.lost, second.boundary_counts)


@given(HISTORIES, st.integers(min_value=12, max_value=48), MONTHS)
def test_the_monthly_series_adds_up_to_the_window_it_covers(
    history: list[tuple[int, int | None]], month: int, months: int
) -> None:
    starts, ends = arrays(history)
    as_of = add_months(np.array([ORIGIN]), month)[0]  # the first of a month
    result = churn_rate(starts, ends, as_of=as_of, months=months)

    series = monthly_churn(starts, ends, start=result.window_start, end=as_of)

    assert len(series) == months
    assert series["lost"].sum() == result.lost
    assert tuple(series["active_at_start"]) == result.boundary_counts[:-1]
    assert series["active_at_end"].iloc[-1] == result.boundary_counts[-1]


@given(HISTORIES, AS_OF)
def test_retention_is_a_share_that_never_grows_with_age(
    history: list[tuple[int, int | None]], as_of: np.datetime64
) -> None:
    starts, ends = arrays(history)

    matrix = cohort_retention(starts, ends, as_of=as_of)

    ages = matrix.drop(columns=["cohort", "size"]).to_numpy(dtype=float)
    assert matrix["size"].sum() == int((starts <= as_of).sum())
    known = ~np.isnan(ages)
    assert np.all((ages[known] >= 0) & (ages[known] <= 1))
    filled = np.where(known, ages, -1.0)  # unknown ages come last in a row
    assert np.all(np.diff(filled, axis=1) <= 1e-12)


ORDERS = st.lists(
    st.tuples(st.sampled_from(["a", "b", "c", "d"]), st.integers(min_value=0, max_value=2000)),
    min_size=1,
    max_size=80,
)


def spells_by_hand(
    orders: list[tuple[str, int]], inactive_days: int, as_of: np.datetime64
) -> list[tuple[str, np.datetime64, np.datetime64 | None]]:
    """The definition, one customer at a time, in plain Python."""
    found: list[tuple[str, np.datetime64, np.datetime64 | None]] = []
    gap = inactive_days * DAY
    for customer in sorted({customer for customer, _ in orders}):
        times = sorted(ORIGIN + hours * HOUR * 12 for c, hours in orders if c == customer)
        times = [t for t in times if t <= as_of]
        spell_start = last = None
        for at in times:
            if last is not None and at - last > gap:
                found.append((customer, spell_start, last + gap))
                spell_start = None
            spell_start = at if spell_start is None else spell_start
            last = at
        if last is not None:
            end = last + gap
            found.append((customer, spell_start, None if end > as_of else end))
    return found


@given(ORDERS, st.integers(min_value=1, max_value=400), st.integers(min_value=0, max_value=1100))
def test_activity_spells_follow_the_definition_order_by_order(
    orders: list[tuple[str, int]], inactive_days: int, as_of_days: int
) -> None:
    as_of = ORIGIN + as_of_days * DAY
    ids = np.array([customer for customer, _ in orders], dtype=object)
    times = np.array([ORIGIN + half_days * HOUR * 12 for _, half_days in orders])

    spells = activity_spells(ids, times, inactive_days=inactive_days, as_of=as_of)

    got = [
        (customer, np.datetime64(start, "us"), None if end is None else np.datetime64(end, "us"))
        for customer, start, end in zip(
            spells["customer_id"],
            spells["start"].to_numpy(),
            [None if np.isnat(end) else end for end in spells["end"].to_numpy()],
            strict=True,
        )
    ]
    assert got == spells_by_hand(orders, inactive_days, as_of)
