"""The CLV engine's numerics: exact derivatives, grouping, extreme parameters, 1M customers."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from scipy.special import hyp2f1

from advocacy.clv import BetaGeo, GammaGamma, ParetoNBD
from advocacy.clv.bgnbd import (
    BetaGeoLikelihood,
    GroupedCustomers,
    distinct_rows,
    future_purchases_if_alive,
    hyp2f1_by_series,
)
from advocacy.clv.fitting import numerical_hessian
from advocacy.clv.gamma_gamma import SpendLikelihood
from advocacy.clv.simulation import SimulatedCustomers, simulate_customers

CDNOW_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
CDNOW_GAMMA_GAMMA = {"p": 6.25, "q": 3.74, "v": 15.44}
CDNOW_AGES = (27 * 7, 39 * 7)


def central_gradient(function: Callable[[np.ndarray], float], point: np.ndarray) -> np.ndarray:
    steps = 1e-6 * point
    return np.array(
        [
            (function(point + step) - function(point - step)) / (2 * step[i])
            for i, step in enumerate(np.diag(steps))
        ]
    )


@pytest.fixture(scope="module")
def customers() -> SimulatedCustomers:
    return simulate_customers(20_000, CDNOW_BGNBD, CDNOW_GAMMA_GAMMA, age_days=CDNOW_AGES, seed=3)


@pytest.mark.parametrize("point", [[0.243, 4.414, 0.793, 2.426], [1.7, 0.8, 3.1, 0.6]])
def test_the_exact_bgnbd_derivatives_agree_with_finite_differences(
    customers: SimulatedCustomers, point: list[float]
) -> None:
    grouped = GroupedCustomers.of(customers.frequency, customers.recency, customers.T)
    likelihood = BetaGeoLikelihood(grouped)
    at = np.array(point)
    exact = likelihood.derivatives(at)

    assert exact.value == pytest.approx(likelihood(at), rel=1e-12)
    np.testing.assert_allclose(exact.gradient, central_gradient(likelihood, at), rtol=1e-5)
    # Finite differences are good to about 1e-7 of the Hessian's largest entry.
    scale = float(np.abs(exact.hessian).max())
    np.testing.assert_allclose(
        exact.hessian, numerical_hessian(likelihood, at), rtol=1e-4, atol=1e-6 * scale
    )


@pytest.mark.parametrize("point", [[6.25, 3.74, 15.44], [0.9, 7.5, 2.0]])
def test_the_exact_gamma_gamma_derivatives_agree_with_finite_differences(
    customers: SimulatedCustomers, point: list[float]
) -> None:
    repeat = customers.frequency > 0
    likelihood = SpendLikelihood(
        customers.frequency[repeat],
        customers.monetary_value[repeat],
    )
    at = np.array(point)
    exact = likelihood.derivatives(at)

    assert exact.value == pytest.approx(likelihood(at), rel=1e-12)
    np.testing.assert_allclose(exact.gradient, central_gradient(likelihood, at), rtol=1e-5)
    # Finite differences are good to about 1e-7 of the Hessian's largest entry.
    scale = float(np.abs(exact.hessian).max())
    np.testing.assert_allclose(
        exact.hessian, numerical_hessian(likelihood, at), rtol=1e-4, atol=1e-6 * scale
    )


def test_customers_are_grouped_by_their_exact_history() -> None:
    x = np.array([0.0, 2, 2, 0, 2, 1])
    t_x = np.array([0.0, 3.5, 3.5, 0, 3.5, 1])
    age = np.array([10.0, 10, 10, 10, 12, 10])

    codes = distinct_rows(x, t_x, age).tolist()
    groups = {frozenset(i for i, code in enumerate(codes) if code == c) for c in codes}
    assert groups == {frozenset({0, 3}), frozenset({1, 2}), frozenset({4}), frozenset({5})}
    assert sorted(set(codes)) == [0, 1, 2, 3]
    grouped = GroupedCustomers.of(x, t_x, age)
    assert sorted(grouped.weights.tolist()) == [1.0, 1.0, 2.0, 2.0]
    assert grouped.counts[grouped.count_index].tolist() == grouped.x.tolist()


def same_partition(codes: np.ndarray, rows: list[tuple[float, ...]]) -> bool:
    """Whether ``codes`` (0 … k − 1, all used) group exactly the equal ``rows`` together."""
    first_code: dict[tuple[float, ...], int] = {}
    for code, row in zip(codes.tolist(), rows, strict=True):
        if first_code.setdefault(row, code) != code:
            return False
    return sorted(set(first_code.values())) == list(range(len(first_code)))


@pytest.mark.parametrize("highest_count", [1, 9])
def test_rows_are_grouped_alike_through_a_table_of_keys_or_a_hash(highest_count: int) -> None:
    # 40,000 rows, 20,000 distinct times: with counts up to 1 the 40,000 possible keys go
    # through a table; with counts up to 9 the 200,000 possible keys are hashed.
    rng = np.random.default_rng(5)
    x = rng.integers(0, highest_count + 1, 40_000).astype(float)
    times = (np.arange(40_000) % 20_000) / 7

    codes = distinct_rows(x, times)

    assert same_partition(codes, list(zip(x.tolist(), times.tolist(), strict=True)))


def test_a_big_fit_started_from_a_sample_of_its_customers_reaches_the_same_optimum(
    customers: SimulatedCustomers, monkeypatch: pytest.MonkeyPatch
) -> None:
    buyers = customers.frequency > 0
    frequency, spend = customers.frequency[buyers], customers.monetary_value[buyers]
    rfm = (customers.frequency, customers.recency, customers.T)
    monkeypatch.setattr("advocacy.clv.fitting.ROUGH_SAMPLE", 1_000)  # 20,000 is "big" now
    sampled = (GammaGamma().fit(frequency, spend), BetaGeo().fit(*rfm))
    monkeypatch.setattr("advocacy.clv.fitting.ROUGH_SAMPLE", 10**9)  # no sample: start cold
    plain = (GammaGamma().fit(frequency, spend), BetaGeo().fit(*rfm))

    for started_near, started_far in zip(sampled, plain, strict=True):
        assert started_near.log_likelihood_ == pytest.approx(started_far.log_likelihood_, abs=1e-3)
        for name, value in started_far.params_.items():
            assert started_near.params_[name] == pytest.approx(value, rel=1e-5)
            assert started_near.standard_errors_[name] == pytest.approx(
                started_far.standard_errors_[name], rel=1e-4
            )


def test_the_series_of_the_hypergeometric_function_agrees_with_scipy_where_scipy_works() -> None:
    c = np.array([3.2, 10.5, 60.0])
    z = np.array([0.1, 0.5, 0.9])

    np.testing.assert_allclose(hyp2f1_by_series(1.3, 0.7, c, z), hyp2f1(1.3, 0.7, c, z), rtol=1e-13)


def test_parameters_run_far_out_still_give_the_limit_without_heterogeneity() -> None:
    # r, α → ∞ with r/α = λ and a, b → ∞ with a/(a + b) = p: every customer buys at rate λ and
    # drops out with probability p after each purchase; alive now, they buy (1 − e^(−λpt))/p
    # in the next t (a geometric number of purchases cut at t).
    params = np.array([1e7, 2e7, 1e6, 9e6])  # λ = 0.5, p = 0.1
    expected = (1 - math.exp(-0.5 * 0.1 * 10.0)) / 0.1

    future = future_purchases_if_alive(
        params, np.array([10.0]), np.array([0.0, 3.0]), np.array([30.0, 30.0])
    )

    np.testing.assert_allclose(future, expected, rtol=1e-4)


def test_a_fit_without_heterogeneity_to_estimate_still_predicts_finite_values() -> None:
    # Every customer buys every 10 days and none drops out: the likelihood keeps growing as the
    # parameters run off together, and the predictions must stay finite and sensible.
    frequency = np.tile([3.0, 4.0, 5.0, 6.0], 25)
    recency = frequency * 10
    age = recency + 5
    model = BetaGeo().fit(frequency, recency, age)

    future = model.conditional_expected_purchases(30.0, frequency, recency, age)

    assert np.all(np.isfinite(future))
    assert np.all((future > 1.0) & (future < 4.0))


@pytest.fixture(scope="module")
def a_million() -> SimulatedCustomers:
    return simulate_customers(
        1_000_000, CDNOW_BGNBD, CDNOW_GAMMA_GAMMA, age_days=CDNOW_AGES, seed=11
    )


def test_a_million_simulated_customers_give_back_the_parameters_that_made_them(
    a_million: SimulatedCustomers,
) -> None:
    data = a_million
    purchase = BetaGeo().fit(data.frequency, data.recency, data.T)
    repeat = data.frequency > 0
    spend = GammaGamma().fit(data.frequency[repeat], data.monetary_value[repeat])

    for fitted, truth in ((purchase, CDNOW_BGNBD), (spend, CDNOW_GAMMA_GAMMA)):
        assert math.isfinite(fitted.log_likelihood_)
        assert all(math.isfinite(error) and error > 0 for error in fitted.standard_errors_.values())
        for name, value in truth.items():
            # Within 5 %: recencies on a whole-day grid bias the drop-out estimates a little.
            assert fitted.params_[name] == pytest.approx(value, rel=0.05), name


def test_a_million_customers_get_finite_predictions_and_a_pareto_fit(
    a_million: SimulatedCustomers,
) -> None:
    data = a_million
    model = BetaGeo()
    model.params_ = dict(CDNOW_BGNBD)
    history = (data.frequency, data.recency, data.T)

    alive = model.probability_alive(*history)
    future = model.conditional_expected_purchases(10.0, *history)
    pareto = ParetoNBD().fit(*history)

    assert np.all((alive >= 0) & (alive <= 1))
    assert np.all(np.isfinite(future) & (future >= 0))
    assert math.isfinite(pareto.log_likelihood_)
    assert all(math.isfinite(error) for error in pareto.standard_errors_.values())
