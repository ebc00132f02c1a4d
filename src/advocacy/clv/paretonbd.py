"""The Pareto/NBD model of repeat buying (Schmittlein, Morrison & Colombo 1987).

While alive, a customer buys as a Poisson process with rate λ ~ Gamma(r, α) and dies after an
exponential lifetime with rate μ ~ Gamma(s, β). From each customer's repeat-purchase count ``x``
(``frequency``), the time of their last purchase ``t_x`` (``recency``) and the time since their
first purchase ``T``, all in the same time unit, the likelihood is (Fader, Hardie & Lee 2005a,
eq. 1; Fader & Hardie 2005)::

    L = Γ(r + x) α^r β^s / Γ(r) · [1 / ((α + T)^(r + x) (β + T)^s) + s / (r + s + x) · A₀]

    A₀ = ₂F₁(r + s + x, b; r + s + x + 1; |α − β| / (m + t_x)) / (m + t_x)^(r + s + x)
       − ₂F₁(r + s + x, b; r + s + x + 1; |α − β| / (m + T)) / (m + T)^(r + s + x)

with m = max(α, β) and b = s + 1 when α ≥ β, b = r + x otherwise, so that the argument z of ₂F₁
lies in [0, 1). For large ``x`` the α < β branch has b = r + x large and ₂F₁ grows like
(1 − z)^(−b), which overflows; it is therefore computed in log space after Euler's
transformation ₂F₁(a, b; a + 1; z) = (1 − z)^(1 − b) ₂F₁(1, a + 1 − b; a + 1; z), whose second
factor lies between 1 and 1/(1 − z) for 0 < a + 1 − b < a + 1. The terms that depend only on
``x`` are computed once per distinct purchase count, and identical customers are counted once with
a weight.

References
----------
.. [1] Schmittlein, D. C., Morrison, D. G. & Colombo, R. (1987). Counting your customers: Who are
   they and what will they do next? Management Science 33(1), 1–24.
.. [2] Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005a). RFM and CLV: Using iso-value curves
   for customer base analysis. Journal of Marketing Research 42(4), 415–430.
.. [3] Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005b). "Counting your customers" the easy
   way: An alternative to the Pareto/NBD model. Marketing Science 24(2), 275–284.
.. [4] Fader, P. S. & Hardie, B. G. S. (2005). A note on deriving the Pareto/NBD model and
   related expressions. http://brucehardie.com/notes/009/
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Self

import numpy as np
import numpy.typing as npt
from scipy.special import expit, gammaln, hyp2f1

from advocacy.clv.bgnbd import GroupedCustomers, checked_rfm, distinct_rows, first_of_each
from advocacy.clv.fitting import FloatArray, MaximumLikelihoodModel, as_float_array


def log_hyp2f1_next(a: FloatArray, b: FloatArray, z: FloatArray) -> FloatArray:
    """log ₂F₁(a, b; a + 1; z) for a > b − 1, b > 0 and 0 ≤ z < 1, without overflow.

    By Euler's transformation, ₂F₁(a, b; a + 1; z) = (1 − z)^(1 − b) ₂F₁(1, a + 1 − b; a + 1; z);
    the power is taken in log space and the remaining ₂F₁, a series of positive terms each at
    most z^n, lies in [1, 1/(1 − z)].
    """
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        return np.asarray(
            (1 - b) * np.log1p(-z) + np.log(hyp2f1(1.0, a + 1 - b, a + 1, z)), dtype=np.float64
        )


def log_a0_terms(
    params: FloatArray,
    x: FloatArray,
    t_x: FloatArray,
    age: FloatArray,
    pairs: tuple[DistinctPairs, DistinctPairs] | None = None,
) -> tuple[FloatArray, FloatArray]:
    """The logs of the two terms of the likelihood's bracket: alive at T, and dead in (t_x, T].

    The first is −(r + x) log(α + T) − s log(β + T); the second log(s/(r + s + x) · A₀), −∞ when
    t_x = T (no time to die unseen). The ₂F₁ at t_x depends on (x, t_x) alone and the one at T
    on (x, T): given ``pairs``, each is computed once per distinct pair.
    """
    r, alpha, s, beta = params
    larger = max(alpha, beta)
    gap = abs(alpha - beta)

    def at(times: FloatArray, distinct: DistinctPairs | None) -> FloatArray:
        counts, when = (x, times) if distinct is None else (distinct.x, distinct.values)
        power = r + s + counts
        b = s + 1 if alpha >= beta else r + counts
        value: FloatArray = log_hyp2f1_next(power, b, gap / (larger + when)) - power * np.log(
            larger + when
        )
        return value if distinct is None else value[distinct.index]

    at_last = at(t_x, None if pairs is None else pairs[0])
    at_end = at(age, None if pairs is None else pairs[1])
    with np.errstate(divide="ignore", invalid="ignore"):
        # A₀ is an integral over (t_x, T], so at_last ≥ at_end but for rounding.
        log_a0 = at_last + np.log(-np.expm1(np.minimum(at_end - at_last, 0.0)))
    alive = -(r + x) * np.log(alpha + age) - s * np.log(beta + age)
    dead = np.log(s) - np.log(r + s + x) + log_a0
    return np.asarray(alive, dtype=np.float64), np.asarray(dead, dtype=np.float64)


@dataclass(frozen=True, slots=True)
class DistinctPairs:
    """The distinct (x, value) pairs of some rows, and each row's pair."""

    x: FloatArray
    values: FloatArray
    index: npt.NDArray[np.int64]

    @classmethod
    def of(cls, x: FloatArray, values: FloatArray) -> DistinctPairs:
        index = distinct_rows(x, values)
        first = first_of_each(index)
        return cls(x[first], values[first], index)


class ParetoLikelihood:
    """The Pareto/NBD negative log-likelihood of fixed customers, quick to evaluate many times:
    the ₂F₁ terms are computed once per distinct (x, t_x) and (x, T) pair."""

    def __init__(self, customers: GroupedCustomers) -> None:
        self.customers = customers
        self.pairs = (
            DistinctPairs.of(customers.x, customers.t_x),
            DistinctPairs.of(customers.x, customers.T),
        )

    def __call__(self, params: FloatArray) -> float:
        r, alpha, s, beta = params
        customers = self.customers
        counts = customers.counts
        common = gammaln(r + counts) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
        alive, dead = log_a0_terms(params, customers.x, customers.t_x, customers.T, self.pairs)
        with np.errstate(invalid="ignore"):
            # NaN where ₂F₁ fails at extreme trial parameters: the optimiser steps back from it.
            log_likelihood = common[customers.count_index] + np.logaddexp(alive, dead)
        return -float(np.dot(customers.weights, log_likelihood))


def negative_log_likelihood(params: FloatArray, customers: GroupedCustomers) -> float:
    """The Pareto/NBD negative log-likelihood of ``customers`` at ``params`` = (r, α, s, β)."""
    return ParetoLikelihood(customers)(params)


def growth_integral(rate: float, span: FloatArray) -> FloatArray:
    """(1 − e^(−rate · span)) / rate, and its limit ``span`` at rate 0."""
    if rate == 0:
        return span
    return np.asarray(-np.expm1(-rate * span) / rate, dtype=np.float64)


class ParetoNBD(MaximumLikelihoodModel):
    """The Pareto/NBD model, fitted by maximum likelihood.

    Attributes
    ----------
    params_ : dict of str to float
        ``r``, ``alpha`` (the gamma purchase-rate heterogeneity) and ``s``, ``beta`` (the gamma
        drop-out-rate heterogeneity); ``alpha`` and ``beta`` are in the time unit of the data.
    log_likelihood_ : float
        The total log-likelihood at the optimum.
    standard_errors_ : dict of str to float
        From the inverse Hessian of the negative log-likelihood, on the natural scale.
    n_ : int
        The number of customers fitted.

    References
    ----------
    .. [1] Schmittlein, D. C., Morrison, D. G. & Colombo, R. (1987). Counting your customers:
       Who are they and what will they do next? Management Science 33(1), 1–24.
    .. [2] Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). RFM and CLV: Using iso-value
       curves for customer base analysis. Journal of Marketing Research 42(4), 415–430.

    Examples
    --------
    >>> model = ParetoNBD().fit([0, 2, 1, 5], [0.0, 30.4, 1.7, 20.0], [38.9, 38.9, 38.9, 30.0])
    >>> sorted(model.params_)
    ['alpha', 'beta', 'r', 's']
    """

    parameter_names: ClassVar[tuple[str, ...]] = ("r", "alpha", "s", "beta")
    model_name: ClassVar[str] = "Pareto/NBD"

    def fit(
        self,
        frequency: npt.ArrayLike,
        recency: npt.ArrayLike,
        T: npt.ArrayLike,
        *,
        initial: dict[str, float] | None = None,
    ) -> Self:
        """Fit the parameters by maximum likelihood.

        Parameters
        ----------
        frequency : array_like
            Repeat purchases of each customer (whole numbers ≥ 0).
        recency : array_like
            Time from each customer's first to last purchase (0 when ``frequency`` is 0).
        T : array_like
            Time from each customer's first purchase to the end of observation (≥ recency).
        initial : dict, optional
            Starting values for ``r``, ``alpha``, ``s``, ``beta``; by default r = s = 1 and
            alpha = beta = the mean of ``T``.

        Returns
        -------
        ParetoNBD
            ``self``, fitted.
        """
        x, t_x, age = checked_rfm(frequency, recency, T)
        customers = GroupedCustomers.of(x, t_x, age)
        mean_age = max(float(age.mean()), 1e-3)
        defaults = {"r": 1.0, "alpha": mean_age, "s": 1.0, "beta": mean_age}
        start = self._rough_start(
            lambda rows: ParetoLikelihood(GroupedCustomers.of(x[rows], t_x[rows], age[rows])),
            x.size,
            self._starting_point(defaults, initial),
        )
        self._maximise_likelihood(ParetoLikelihood(customers), start, x.size)
        return self

    def log_likelihood(
        self, frequency: npt.ArrayLike, recency: npt.ArrayLike, T: npt.ArrayLike
    ) -> float:
        """The total log-likelihood of the fitted (or loaded) parameters on these customers."""
        params = self._fitted_params()
        customers = GroupedCustomers.of(*checked_rfm(frequency, recency, T))
        return -negative_log_likelihood(params, customers)

    def expected_purchases(self, t: npt.ArrayLike) -> FloatArray:
        """Expected purchases in a period of length ``t`` of a customer drawn from the population.

        E[X(t)] = rβ / (α(s − 1)) · [1 − (β/(β + t))^(s − 1)] (Schmittlein et al. 1987, eq. 17),
        rβ/α · log(1 + t/β) when s = 1.
        """
        r, alpha, s, beta = self._fitted_params()
        horizon = as_float_array(t, "t")
        span = np.log1p(horizon / beta)
        return np.asarray(r * beta / alpha * growth_integral(s - 1, span), dtype=np.float64)

    def conditional_expected_purchases(
        self,
        t: npt.ArrayLike,
        frequency: npt.ArrayLike,
        recency: npt.ArrayLike,
        T: npt.ArrayLike,
    ) -> FloatArray:
        """Expected purchases in the next ``t`` of each customer given their history.

        E[X(t) | x, t_x, T] = (r + x)(β + T) / ((α + T)(s − 1))
        · [1 − ((β + T)/(β + T + t))^(s − 1)] · P(alive)
        (Schmittlein et al. 1987, eq. 22; Fader, Hardie & Lee 2005a, eq. A2).
        """
        r, alpha, s, beta = self._fitted_params()
        x, t_x, age = checked_rfm(frequency, recency, T)
        horizon = as_float_array(t, "t")
        span = np.log1p(horizon / (beta + age))
        rate = (r + x) * (beta + age) / (alpha + age)
        future = rate * growth_integral(s - 1, span)
        return np.asarray(future * self.probability_alive(x, t_x, age), dtype=np.float64)

    def probability_alive(
        self, frequency: npt.ArrayLike, recency: npt.ArrayLike, T: npt.ArrayLike
    ) -> FloatArray:
        """The probability that each customer is still alive at ``T``.

        P(alive) = 1 / (1 + s/(r + s + x) · (α + T)^(r + x) (β + T)^s · A₀) (Fader, Hardie & Lee
        2005a, eq. A10), computed as a logistic of the log odds so that it never overflows.
        """
        params = self._fitted_params()
        x, t_x, age = checked_rfm(frequency, recency, T)
        alive, dead = log_a0_terms(params, x, t_x, age)
        return np.asarray(expit(alive - dead), dtype=np.float64)
