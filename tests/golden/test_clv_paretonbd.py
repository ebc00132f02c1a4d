"""The Pareto/NBD model on CDNOW reproduces the published estimates to their printed digits.

Fader, Hardie & Lee (2005, "Counting your customers" the easy way) print the Pareto/NBD fit on
CDNOW beside the BG/NBD one: r = 0.553, α = 10.58, s = 0.606, β = 11.67, LL = −9595.0 (weeks).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from advocacy.clv import ParetoNBD


def printed(value: float, digits: int) -> float:
    """Half a unit of the last printed digit: the tolerance of "equal to the printed digits"."""
    return 0.5 * 10.0**-digits + 1e-12


@pytest.fixture(scope="module")
def paretonbd(cdnow_summary: pd.DataFrame) -> ParetoNBD:
    return ParetoNBD().fit(cdnow_summary["frequency"], cdnow_summary["recency"], cdnow_summary["T"])


@pytest.mark.parametrize(
    ("name", "published", "digits"),
    [("r", 0.553, 3), ("alpha", 10.58, 2), ("s", 0.606, 3), ("beta", 11.67, 2)],
)
def test_paretonbd_estimates_are_the_papers(
    paretonbd: ParetoNBD, name: str, published: float, digits: int
) -> None:
    assert paretonbd.params_[name] == pytest.approx(published, abs=printed(published, digits))


def test_paretonbd_log_likelihood_is_the_papers(paretonbd: ParetoNBD) -> None:
    assert paretonbd.log_likelihood_ == pytest.approx(-9595.0, abs=printed(-9595.0, 1))
    assert paretonbd.n_ == 2357


def test_paretonbd_likelihood_at_the_published_parameters_is_the_published_value(
    cdnow_summary: pd.DataFrame,
) -> None:
    published = ParetoNBD.from_json(
        json.dumps(
            {
                "model": "Pareto/NBD",
                "params": {"r": 0.553, "alpha": 10.58, "s": 0.606, "beta": 11.67},
                "log_likelihood": -9595.0,
                "n": 2357,
            }
        )
    )
    value = published.log_likelihood(
        cdnow_summary["frequency"], cdnow_summary["recency"], cdnow_summary["T"]
    )
    assert value == pytest.approx(-9595.0, abs=0.1)  # the printed parameters are rounded


def test_paretonbd_standard_errors_are_finite(paretonbd: ParetoNBD) -> None:
    summary = paretonbd.summary()
    assert list(summary.columns) == ["coef", "se", "lower 95%", "upper 95%"]
    assert np.all(np.isfinite(summary["se"]))
    assert np.all(summary["se"] > 0)
    # r is the best determined parameter: its se is about 0.048 on CDNOW.
    assert summary.loc["r", "se"] == pytest.approx(0.048, abs=0.002)


def test_paretonbd_predictions_on_cdnow_are_finite_and_bounded(
    paretonbd: ParetoNBD, cdnow_summary: pd.DataFrame
) -> None:
    x, t_x, age = (cdnow_summary[c] for c in ("frequency", "recency", "T"))
    alive = paretonbd.probability_alive(x, t_x, age)
    expected = paretonbd.conditional_expected_purchases(39, x, t_x, age)

    assert np.all((alive >= 0) & (alive <= 1))
    assert np.all(np.isfinite(expected))
    assert np.all(expected >= 0)
    # Customer 1 (x = 2, t_x = 30.43, T = 38.86): a regression value of this implementation,
    # not a published number.
    assert expected[0] == pytest.approx(1.455, abs=0.001)
