"""ParetoNBD: its input checks, JSON persistence, bounds, numerical robustness and identities."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.integrate import quad

from advocacy.clv import ParetoNBD
from advocacy.errors import InvalidInput

CDNOW_PARETO = {"r": 0.553, "alpha": 10.58, "s": 0.606, "beta": 11.67}


def loaded(params: dict[str, float]) -> ParetoNBD:
    document = {"model": ParetoNBD.model_name, "params": params, "log_likelihood": 0.0, "n": 1}
    return ParetoNBD.from_json(json.dumps(document))


def synthetic_customers(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Customers simulated from the Pareto/NBD process with the CDNOW parameters, 39 weeks."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(0.553, 1 / 10.58, n)
    death = np.minimum(rng.exponential(1 / rng.gamma(0.606, 1 / 11.67, n)), 39.0)
    frequency, recency = np.zeros(n), np.zeros(n)
    for i in range(n):  # a reference simulation, kept plain: speed does not matter here
        times = np.cumsum(rng.exponential(1 / rate[i], size=64))
        while times[-1] < death[i]:
            times = np.concatenate([times, times[-1] + np.cumsum(rng.exponential(1 / rate[i], 64))])
        bought = times[times < death[i]]
        frequency[i] = bought.size
        recency[i] = bought[-1] if bought.size else 0.0
    return frequency, recency, np.full(n, 39.0)


def test_fit_returns_the_model_with_its_fitted_attributes() -> None:
    frequency, recency, age = synthetic_customers(1000, seed=11)
    model = ParetoNBD()

    assert model.fit(frequency, recency, age) is model
    assert set(model.params_) == {"r", "alpha", "s", "beta"}
    assert set(model.standard_errors_) == set(model.params_)
    assert model.n_ == 1000
    assert np.isfinite(model.log_likelihood_)
    assert 0.3 < model.params_["r"] < 0.9


@pytest.mark.parametrize(
    ("frequency", "recency", "age", "message"),
    [
        ([1, -1], [2.0, 0.0], [5.0, 5.0], "negative"),
        ([1, 2], [6.0, 3.0], [5.0, 5.0], "recency cannot exceed T"),
        ([1.5, 2], [2.0, 3.0], [5.0, 5.0], "whole"),
        ([1, np.nan], [2.0, 3.0], [5.0, 5.0], "NaN"),
        ([], [], [], "no customers"),
        ([1, 2], [2.0], [5.0, 5.0], "same length"),
        ([0, 2], [1.0, 3.0], [5.0, 5.0], "frequency 0"),
    ],
)
def test_paretonbd_refuses_data_no_customer_can_have(
    frequency: list[float], recency: list[float], age: list[float], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        ParetoNBD().fit(frequency, recency, age)


def test_bad_initial_values_and_unfitted_models_are_refused() -> None:
    with pytest.raises(InvalidInput, match="initial"):
        ParetoNBD().fit([1, 0], [2.0, 0.0], [5.0, 5.0], initial={"a": 1.0})
    with pytest.raises(InvalidInput, match="not fitted"):
        ParetoNBD().probability_alive([1], [2.0], [5.0])


def test_json_round_trip_keeps_everything() -> None:
    frequency, recency, age = synthetic_customers(300, seed=5)
    model = ParetoNBD().fit(frequency, recency, age)
    again = ParetoNBD.from_json(model.to_json())

    assert again.params_ == model.params_
    assert again.log_likelihood_ == model.log_likelihood_
    assert again.n_ == model.n_
    np.testing.assert_array_equal(
        again.probability_alive(frequency, recency, age),
        model.probability_alive(frequency, recency, age),
    )


def test_json_of_another_model_is_refused() -> None:
    document = {"model": "BG/NBD", "params": CDNOW_PARETO, "log_likelihood": 0.0, "n": 1}
    with pytest.raises(InvalidInput, match="not Pareto/NBD"):
        ParetoNBD.from_json(json.dumps(document))


@pytest.mark.parametrize("params", [CDNOW_PARETO, {"r": 0.5, "alpha": 2.0, "s": 1.5, "beta": 50.0}])
def test_probability_alive_is_a_probability(params: dict[str, float]) -> None:
    model = loaded(params)
    frequency = np.array([0, 1, 5, 20, 300, 2])
    recency = np.array([0.0, 1.0, 30.0, 38.0, 499.0, 0.5])
    age = np.array([39.0, 39.0, 39.0, 39.0, 500.0, 39.0])
    alive = model.probability_alive(frequency, recency, age)

    assert np.all((alive >= 0) & (alive <= 1))
    # A customer who bought at the very end of the period is certainly alive.
    assert model.probability_alive([3], [39.0], [39.0])[0] == 1.0


@pytest.mark.parametrize(
    "params",
    [
        CDNOW_PARETO,
        {"r": 0.5, "alpha": 1.0, "s": 0.8, "beta": 100.0},  # α < β: ₂F₁'s b = r + x
        {"r": 0.5, "alpha": 100.0, "s": 0.8, "beta": 1.0},  # α ≥ β: ₂F₁'s b = s + 1
    ],
)
def test_a_heavy_buyer_neither_overflows_nor_gives_nan(params: dict[str, float]) -> None:
    model = loaded(params)
    for recency in (1.0, 250.0, 499.0):
        alive = model.probability_alive([300], [recency], [500.0])
        expected = model.conditional_expected_purchases(52, [300], [recency], [500.0])
        likelihood = model.log_likelihood([300], [recency], [500.0])
        assert np.all(np.isfinite(alive))
        assert 0 <= alive[0] <= 1
        assert np.all(np.isfinite(expected))
        assert expected[0] >= 0
        assert np.isfinite(likelihood)


def direct_probability_alive(params: dict[str, float], x: int, t_x: float, age: float) -> float:
    """P(alive) by integrating over the death time τ in (t_x, T] numerically, without ₂F₁.

    Up to the common factor Γ(r + x) α^r / Γ(r), alive-at-T contributes
    (α + T)^−(r+x) (β/(β + T))^s and death at τ contributes (α + τ)^−(r+x) s β^s/(β + τ)^(s+1).
    """
    r, alpha, s, beta = (params[name] for name in ("r", "alpha", "s", "beta"))
    scale = (alpha + t_x) ** (r + x)  # keeps both terms near 1

    def dying_at(tau: float) -> float:
        return scale * (alpha + tau) ** -(r + x) * s * beta**s / (beta + tau) ** (s + 1)

    alive = scale * (alpha + age) ** -(r + x) * (beta / (beta + age)) ** s
    dead = quad(dying_at, t_x, age, epsabs=0, epsrel=1e-12)[0]
    return alive / (alive + dead)


@pytest.mark.parametrize(
    "params",
    [
        CDNOW_PARETO,
        {"r": 0.5, "alpha": 2.0, "s": 0.8, "beta": 30.0},
        {"r": 1.3, "alpha": 25.0, "s": 2.0, "beta": 4.0},
    ],
)
@pytest.mark.parametrize(("x", "t_x", "age"), [(4, 12.5, 38.0), (0, 0.0, 30.0), (25, 20.0, 39.0)])
def test_probability_alive_agrees_with_direct_integration(
    params: dict[str, float], x: int, t_x: float, age: float
) -> None:
    model = loaded(params)
    direct = direct_probability_alive(params, x, t_x, age)
    assert model.probability_alive([x], [t_x], [age])[0] == pytest.approx(direct, rel=1e-8)


def test_a_customer_without_repeat_purchases_expects_no_more_than_the_population() -> None:
    model = loaded(CDNOW_PARETO)
    for horizon in (1.0, 39.0, 104.0):
        conditional = model.conditional_expected_purchases(horizon, [0], [0.0], [39.0])[0]
        assert 0 < conditional <= model.expected_purchases(horizon)[0]


def test_expected_purchases_grow_with_the_horizon_and_handle_s_equal_one() -> None:
    model = loaded(CDNOW_PARETO)
    expected = model.expected_purchases([0.0, 1.0, 39.0, 78.0])
    assert expected[0] == 0
    assert np.all(np.diff(expected) > 0)
    # s = 1 is the limit rβ/α · log(1 + t/β) of the general formula.
    at_one = loaded({**CDNOW_PARETO, "s": 1.0}).expected_purchases([39.0])[0]
    near_one = loaded({**CDNOW_PARETO, "s": 1.0 + 1e-9}).expected_purchases([39.0])[0]
    assert at_one == pytest.approx(near_one, rel=1e-7)
    assert at_one == pytest.approx(0.553 * 11.67 / 10.58 * np.log1p(39 / 11.67))
