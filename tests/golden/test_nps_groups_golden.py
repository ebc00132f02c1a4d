"""NPS trends and breakdowns against counts and tests worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from advocacy.metrics.nps_groups import (
    months_since_epoch,
    nps_breakdown,
    nps_grid,
    nps_trend,
    period_label,
    period_numbers,
)


def test_a_monthly_trend_compares_each_month_with_the_previous_one_that_has_answers() -> None:
    # January: 40 promoters, 40 passives, 20 detractors (NPS 20); March: 60/20/20 (NPS 40);
    # February has no answers, so March is compared with January: +20 points, p = 0.0679
    # (the same hand computation as in test_nps_golden).
    scores = [10] * 40 + [8] * 40 + [3] * 20 + [9] * 60 + [7] * 20 + [0] * 20
    times = np.array(["2025-01-15"] * 100 + ["2025-03-03T12:00"] * 100, dtype="datetime64[us]")

    trend = nps_trend(scores, times, period="month")

    assert [group.key for group in trend] == ["2025-01", "2025-03"]
    assert [group.result.score for group in trend] == pytest.approx([20.0, 40.0])
    assert np.isnan(trend[0].change)
    assert trend[1].change == pytest.approx(20.0)
    assert trend[1].p_value == pytest.approx(0.0679, abs=1e-4)
    assert not trend[1].significant


def test_weeks_start_on_monday_and_quarters_on_the_first_month() -> None:
    sunday, monday = np.array(["2025-02-16", "2025-02-17"], dtype="datetime64[D]")

    weeks = period_numbers(np.array([sunday, monday]), "week")
    quarters = period_numbers(
        np.array(["2025-03-31", "2025-04-01"], dtype="datetime64[D]"), "quarter"
    )

    assert [period_label(int(w), "week") for w in weeks] == ["2025-W07", "2025-W08"]
    assert [period_label(int(q), "quarter") for q in quarters] == ["2025-Q1", "2025-Q2"]


def test_months_are_counted_like_the_calendar_across_leap_years_and_centuries() -> None:
    days = np.arange(-800_000, 800_000, 3, dtype=np.int64)

    expected = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)

    assert np.array_equal(months_since_epoch(days), expected)


def test_a_breakdown_compares_each_group_with_all_the_other_answers() -> None:
    # ES: 60/20/20 → NPS 40. The rest (FR): 40/40/20 → NPS 20. ES − rest = +20, p = 0.0679.
    scores = [9] * 60 + [7] * 20 + [1] * 20 + [10] * 40 + [8] * 40 + [6] * 20
    countries = ["ES"] * 100 + ["FR"] * 100

    groups = {group.key: group for group in nps_breakdown(scores, countries)}

    assert groups["ES"].result.score == pytest.approx(40.0)
    assert groups["ES"].change == pytest.approx(20.0)
    assert groups["FR"].change == pytest.approx(-20.0)
    assert groups["ES"].p_value == pytest.approx(0.0679, abs=1e-4)


def test_answers_without_a_value_form_their_own_group() -> None:
    groups = nps_breakdown([10, 0, 9], ["web", None, ""])

    assert {group.key: group.result.n for group in groups} == {"(none)": 2, "web": 1}


def test_a_grid_follows_each_group_from_period_to_period() -> None:
    # ES: January 10 promoters (NPS 100), February 10 detractors (NPS −100): change −200.
    # MX: only February, 5 passives (NPS 0): no previous period to compare with.
    scores = [10] * 10 + [0] * 10 + [8] * 5
    times = np.array(["2025-01-10"] * 10 + ["2025-02-10"] * 15, dtype="datetime64[D]")
    groups = ["ES"] * 20 + ["MX"] * 5

    cells = {
        (cell.key, cell.group): cell for cell in nps_grid(scores, times, groups, period="month")
    }

    assert set(cells) == {("2025-01", "ES"), ("2025-02", "ES"), ("2025-02", "MX")}
    assert cells[("2025-02", "ES")].change == pytest.approx(-200.0)
    assert np.isnan(cells[("2025-02", "MX")].change)


def test_categorical_keys_are_counted_by_their_codes() -> None:
    import pandas as pd

    keys = pd.Categorical(["a", None, "b", "a"], categories=["a", "b", "c"])

    groups = {group.key: group.result.n for group in nps_breakdown([10, 9, 0, 7], keys)}

    assert groups == {"a": 2, "b": 1, "(none)": 1}
