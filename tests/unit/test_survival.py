"""Kaplan–Meier against the published 6-MP remission data, and what holds for every sample."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from advocacy.errors import InvalidInput
from advocacy.metrics.survival import kaplan_meier, median_survival, survival_at

# Freireich et al. (1963), the 6-MP arm: weeks in remission of 21 leukaemia patients, + censored:
# 6, 6, 6, 6+, 7, 9+, 10, 10+, 11+, 13, 16, 17+, 19+, 20+, 22, 23, 25+, 32+, 32+, 34+, 35+.
WEEKS = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
RELAPSED = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
# Kleinbaum & Klein, Survival Analysis, table 2 of chapter 2 (also lifelines' documentation).
PUBLISHED = {
    6: (0.857, 0.076),
    7: (0.807, 0.087),
    10: (0.753, 0.096),
    13: (0.690, 0.107),
    16: (0.627, 0.114),
    22: (0.538, 0.128),
    23: (0.448, 0.135),
}


@pytest.fixture
def remission() -> pd.DataFrame:
    return kaplan_meier(WEEKS, [bool(flag) for flag in RELAPSED]).set_index("time")


def test_the_6mp_survival_and_greenwood_errors_match_the_published_table(
    remission: pd.DataFrame,
) -> None:
    for week, (survival, error) in PUBLISHED.items():
        assert remission.loc[week, "survival"] == pytest.approx(survival, abs=5e-4)
        assert remission.loc[week, "std_error"] == pytest.approx(error, abs=5e-4)


def test_the_6mp_risk_sets_count_everyone_still_followed(remission: pd.DataFrame) -> None:
    # 21 at 6 weeks (3 relapse, 1 censored), 17 at 7, 16 at 9, 15 at 10 … 1 at 35.
    assert remission.loc[[6, 7, 9, 10, 13, 22, 35], "at_risk"].tolist() == [
        21,
        17,
        16,
        15,
        12,
        7,
        1,
    ]
    assert remission["events"].sum() == 9
    assert remission["censored"].sum() == 12


def test_the_log_log_band_at_six_weeks_is_the_one_computed_by_hand(remission: pd.DataFrame) -> None:
    # S = 18/21; Σ d/(n(n−d)) = 3/(21·18); σ = √(3/378) / |ln(18/21)| = 0.089087 / 0.154151
    # = 0.577922; band = S^exp(±1.959964·σ) = S^3.10413 … S^0.32215 = 0.61972 … 0.95155.
    sigma = math.sqrt(3 / (21 * 18)) / abs(math.log(18 / 21))
    z = 1.959963984540054

    row = remission.loc[6]

    assert row["ci_low"] == pytest.approx((18 / 21) ** math.exp(z * sigma))
    assert row["ci_high"] == pytest.approx((18 / 21) ** math.exp(-z * sigma))
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((0.6197, 0.9516), abs=1e-4)


def test_the_median_remission_is_23_weeks() -> None:
    table = kaplan_meier(WEEKS, [bool(flag) for flag in RELAPSED])

    assert median_survival(table) == 23


def test_reading_the_curve_between_times_takes_the_last_step_and_nothing_past_the_data() -> None:
    table = kaplan_meier(WEEKS, [bool(flag) for flag in RELAPSED])

    read = survival_at(table, [0, 6, 8, 35, 36])

    assert read["survival"].tolist()[:4] == pytest.approx([1.0, 18 / 21, 0.8067, 0.4482], abs=1e-4)
    assert math.isnan(read["survival"].iloc[4])


def test_without_censoring_the_curve_is_the_share_still_surviving() -> None:
    table = kaplan_meier([1, 2, 2, 3])

    assert table["survival"].tolist() == pytest.approx([0.75, 0.25, 0.0])
    assert math.isnan(table["ci_low"].iloc[-1])  # S = 0: the band is undefined


def test_no_event_at_all_keeps_survival_at_one_with_no_uncertainty() -> None:
    table = kaplan_meier([5, 7], [False, False])

    assert table["survival"].tolist() == [1.0, 1.0]
    assert table["std_error"].tolist() == [0.0, 0.0]
    assert table["ci_low"].tolist() == [1.0, 1.0]


def test_no_subjects_give_an_empty_table() -> None:
    table = kaplan_meier([], [])

    assert table.empty
    assert list(table.columns) == [
        "time", "at_risk", "events", "censored", "survival", "std_error", "ci_low", "ci_high",
    ]  # fmt: skip
    assert np.isnan(survival_at(table, [30])["survival"].iloc[0])


@pytest.mark.parametrize(
    ("durations", "observed", "message"),
    [
        ([1, -2], [True, True], "not negative"),
        ([1, math.inf], [True, True], "finite"),
        ([1, 2], [True], "observed flags"),
        ([1, 2], [True, 3], "True .event. or False"),
    ],
)
def test_bad_durations_and_flags_are_refused(
    durations: list[float], observed: list[object], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        kaplan_meier(durations, observed)  # type: ignore[arg-type]


SAMPLES = st.lists(
    st.tuples(st.integers(min_value=0, max_value=60), st.booleans()), min_size=1, max_size=80
)


@given(SAMPLES)
def test_the_curve_never_rises_and_its_band_holds_it(sample: list[tuple[int, bool]]) -> None:
    durations, observed = zip(*sample, strict=True)

    table = kaplan_meier(list(durations), list(observed))

    survival = table["survival"].to_numpy()
    assert np.all(np.diff(survival) <= 1e-12)
    assert np.all((survival >= 0) & (survival <= 1))
    defined = survival > 0
    low, high = table["ci_low"].to_numpy()[defined], table["ci_high"].to_numpy()[defined]
    assert np.all((low >= 0) & (low <= survival[defined] + 1e-12))
    assert np.all((high <= 1) & (high >= survival[defined] - 1e-12))
    assert table["events"].sum() + table["censored"].sum() == len(sample)


@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=80))
def test_with_every_event_observed_the_curve_is_one_minus_the_empirical_distribution(
    durations: list[int],
) -> None:
    table = kaplan_meier(durations)

    values = np.asarray(durations)
    expected = [(values > t).mean() for t in table["time"]]
    assert table["survival"].tolist() == pytest.approx(expected)
