"""BetaGeo and GammaGamma: their input checks, JSON persistence and the paper's identities."""

from __future__ import annotations

import json

import numpy as np
import pytest

from advocacy.clv import BetaGeo, GammaGamma
from advocacy.errors import InvalidInput

CDNOW_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
CDNOW_GAMMA_GAMMA = {"p": 6.25, "q": 3.74, "v": 15.44}


def loaded(model: type[BetaGeo] | type[GammaGamma], params: dict[str, float]) -> object:
    document = {"model": model.model_name, "params": params, "log_likelihood": 0.0, "n": 1}
    return model.from_json(json.dumps(document))


def synthetic_customers(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Customers simulated from the BG/NBD process with the CDNOW parameters, 39 weeks each."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(0.243, 1 / 4.414, n)
    drop = rng.beta(0.793, 2.426, n)
    frequency, recency = np.zeros(n), np.zeros(n)
    for i in range(n):  # a reference simulation, kept plain: speed does not matter here
        t = 0.0
        while True:
            t += rng.exponential(1 / rate[i])
            if t > 39:
                break
            frequency[i] += 1
            recency[i] = t
            if rng.random() < drop[i]:
                break
    return frequency, recency, np.full(n, 39.0)


def test_fit_returns_the_model_with_its_fitted_attributes() -> None:
    frequency, recency, age = synthetic_customers(2000, seed=7)
    model = BetaGeo()

    assert model.fit(frequency, recency, age) is model
    assert set(model.params_) == {"r", "alpha", "a", "b"}
    assert set(model.standard_errors_) == set(model.params_)
    assert model.n_ == 2000
    assert np.isfinite(model.log_likelihood_)
    # 2,000 customers recover the purchase-rate parameters roughly.
    assert 0.15 < model.params_["r"] < 0.4


def test_a_custom_start_reaches_the_same_optimum() -> None:
    frequency, recency, age = synthetic_customers(500, seed=3)
    default = BetaGeo().fit(frequency, recency, age)
    started = BetaGeo().fit(frequency, recency, age, initial={"r": 2.0, "alpha": 1.0})

    assert started.log_likelihood_ == pytest.approx(default.log_likelihood_, abs=1e-4)


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
def test_bgnbd_refuses_data_no_customer_can_have(
    frequency: list[float], recency: list[float], age: list[float], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        BetaGeo().fit(frequency, recency, age)


@pytest.mark.parametrize(
    ("frequency", "spend", "message"),
    [
        ([0, 2], [10.0, 12.0], "frequency 0"),
        ([1, 2], [0.0, 12.0], "positive"),
        ([1, 2], [-3.0, 12.0], "negative"),
        ([], [], "no customers"),
    ],
)
def test_gamma_gamma_refuses_unusable_spend(
    frequency: list[float], spend: list[float], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        GammaGamma().fit(frequency, spend)


def test_an_unfitted_model_says_so() -> None:
    with pytest.raises(InvalidInput, match="not fitted"):
        BetaGeo().probability_alive([1], [1.0], [2.0])
    with pytest.raises(InvalidInput, match="not fitted"):
        GammaGamma().summary()


def test_a_fitted_model_survives_a_json_round_trip() -> None:
    frequency, recency, age = synthetic_customers(300, seed=11)
    model = BetaGeo().fit(frequency, recency, age)
    restored = BetaGeo.from_json(model.to_json())

    assert restored.params_ == model.params_
    assert restored.standard_errors_ == model.standard_errors_
    assert restored.log_likelihood_ == model.log_likelihood_
    assert restored.n_ == model.n_
    np.testing.assert_array_equal(
        restored.probability_alive(frequency, recency, age),
        model.probability_alive(frequency, recency, age),
    )


def test_json_of_another_model_or_garbage_is_refused() -> None:
    gamma_gamma = loaded(GammaGamma, CDNOW_GAMMA_GAMMA)
    assert isinstance(gamma_gamma, GammaGamma)
    with pytest.raises(InvalidInput, match="not BG/NBD"):
        BetaGeo.from_json(gamma_gamma.to_json())
    with pytest.raises(InvalidInput):
        BetaGeo.from_json("{not json")
    with pytest.raises(InvalidInput, match="positive"):
        loaded(BetaGeo, CDNOW_BGNBD | {"r": -1.0})


def test_a_new_customer_expects_what_the_population_expects() -> None:
    model = loaded(BetaGeo, CDNOW_BGNBD)
    assert isinstance(model, BetaGeo)
    horizons = np.array([1.0, 13.0, 39.0, 78.0])

    # With no history (x = t_x = T = 0), eq. 10 reduces to eq. 9.
    conditional = model.conditional_expected_purchases(horizons, 0, 0.0, 0.0)
    np.testing.assert_allclose(conditional, model.expected_purchases(horizons), rtol=1e-10)


def test_probability_alive_by_hand() -> None:
    model = loaded(BetaGeo, CDNOW_BGNBD)
    assert isinstance(model, BetaGeo)

    # x = 2, t_x = 30.43, T = 38.86: a/(b + x − 1) · ((α + T)/(α + t_x))^(r + x)
    #   = 0.793/3.426 · (43.274/34.844)^2.243 = 0.23147 · 1.62580 ≈ 0.37633 → 1/1.37633 ≈ 0.7266
    alive = model.probability_alive([2, 0], [30.43, 0.0], [38.86, 38.86])
    assert alive[0] == pytest.approx(0.7266, abs=1e-4)
    assert alive[1] == 1.0


def test_expected_spend_shrinks_the_customers_mean_towards_the_population_mean() -> None:
    model = loaded(GammaGamma, CDNOW_GAMMA_GAMMA)
    assert isinstance(model, GammaGamma)
    population_mean = 6.25 * 15.44 / (3.74 - 1)  # p·v/(q − 1) ≈ 35.22

    # p(v + x z̄)/(p x + q − 1) with x = 1, z̄ = 100: 6.25 · 115.44 / 8.99 ≈ 80.26
    one, many = model.conditional_expected_average_profit([1, 50], [100.0, 100.0])
    assert one == pytest.approx(6.25 * 115.44 / 8.99)
    assert population_mean < one < many < 100.0
    assert model.conditional_expected_average_profit([0], [0.0])[0] == pytest.approx(
        population_mean
    )


def test_summary_has_one_row_per_parameter_with_its_interval() -> None:
    # 2,000 repeat buyers drawn from the Gamma-Gamma process (p = 6, q = 4, v = 15): a
    # well-posed fit (a handful of customers can leave the likelihood flat in some direction).
    rng = np.random.default_rng(3)
    frequency = rng.integers(1, 8, 2000)
    nu = rng.gamma(4.0, 1 / 15.0, 2000)
    mean_spend = rng.gamma(6.0 * frequency, 1 / (nu * frequency))
    model = GammaGamma().fit(frequency, mean_spend)
    summary = model.summary()

    assert summary.index.tolist() == ["p", "q", "v"]
    assert (summary["lower 95%"] <= summary["coef"]).all()
    assert (summary["coef"] <= summary["upper 95%"]).all()
