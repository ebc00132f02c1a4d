"""The BG/NBD model of repeat buying: "Counting your customers the easy way".

While alive, a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each purchase
they drop out with probability p ~ Beta(a, b). From each customer's repeat-purchase count ``x``
(``frequency``), the time of their last purchase ``t_x`` (``recency``) and the time since their
first purchase ``T``, all in the same time unit, the likelihood is (Fader, Hardie & Lee 2005,
eq. 6)::

    L = B(a, b + x) / B(a, b) · Γ(r + x) α^r / (Γ(r) (α + T)^(r + x))
      + [x > 0] B(a + 1, b + x − 1) / B(a, b) · Γ(r + x) α^r / (Γ(r) (α + t_x)^(r + x))

It is computed in log space (``gammaln``, ``betaln``, ``logaddexp``); the terms that depend only
on ``x`` are computed once per distinct purchase count, and identical customers are counted once
with a weight.

References
----------
.. [1] Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting your customers" the easy way:
   An alternative to the Pareto/NBD model. Marketing Science 24(2), 275–284.
.. [2] Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2008). Computing P(alive) using the BG/NBD
   model. http://brucehardie.com/notes/021/
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Self

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.special import betaln, digamma, expit, gammaln, hyp2f1, polygamma

from advocacy.clv.fitting import (
    Derivatives,
    FloatArray,
    MaximumLikelihoodModel,
    as_float_array,
    same_length,
    whole_frequencies,
)
from advocacy.errors import InvalidInput


def checked_rfm(
    frequency: npt.ArrayLike, recency: npt.ArrayLike, T: npt.ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """``frequency``, ``recency`` and ``T`` as float arrays, refusing data no customer can have."""
    x = whole_frequencies(frequency)
    t_x = as_float_array(recency, "recency")
    age = as_float_array(T, "T")
    if same_length(frequency=x, recency=t_x, T=age) == 0:
        raise InvalidInput("no customers: the frequency, recency and T arrays are empty")
    if np.any(t_x > age):
        raise InvalidInput("recency cannot exceed T: the last purchase is before the period end")
    # Recency is 0 exactly when there is no repeat purchase: one comparison finds both mistakes.
    if np.any((x == 0) != (t_x == 0)):
        if np.any((x == 0) & (t_x != 0)):
            raise InvalidInput("a customer with no repeat purchase (frequency 0) has recency 0")
        raise InvalidInput("a customer with repeat purchases cannot have recency 0")
    return x, t_x, age


def distinct_codes(values: npt.NDArray[Any]) -> tuple[npt.NDArray[np.int64], int]:
    """Each value's position among the distinct values (in order of first appearance), and how
    many distinct values there are: a hash table, not a sort, so linear in the values."""
    codes, uniques = pd.factorize(values, sort=False)
    return codes.astype(np.int64, copy=False), len(uniques)


def compact_codes(keys: npt.NDArray[np.int64], size: int) -> npt.NDArray[np.int64]:
    """Keys in 0 … ``size`` − 1 renumbered 0 … k − 1 (k distinct keys, in increasing order):
    through a table indexed by key when there are no more possible keys than rows, else hashed."""
    if size > max(keys.size, 1 << 16):
        return distinct_codes(keys)[0]
    present = np.zeros(size, dtype=bool)
    present[keys] = True
    table = np.cumsum(present, dtype=np.int64)
    table -= 1
    return table[keys]


def distinct_rows(counts: FloatArray, *columns: FloatArray) -> npt.NDArray[np.int64]:
    """Each row's group: rows equal in ``counts`` (whole numbers ≥ 0) and every column share one
    code (0, 1, …, every code used).

    The columns' value codes are combined into one 64-bit key, compacted first whenever the
    next column would make it overflow, and the keys compacted once more at the end.
    """
    codes = counts.astype(np.int64)
    size = int(codes.max()) + 1 if codes.size else 1
    for column in columns:
        column_codes, column_size = distinct_codes(column)
        if size * column_size >= 2**62:
            codes, size = distinct_codes(codes)
        codes = codes * column_size + column_codes
        size *= column_size
    return compact_codes(codes, size)


@dataclass(frozen=True, slots=True)
class GroupedCustomers:
    """Distinct (frequency, recency, T) rows with how many customers share each, and the
    distinct purchase counts with, for each row, the position of its count among them."""

    x: FloatArray
    t_x: FloatArray
    T: FloatArray
    weights: FloatArray
    counts: FloatArray
    count_index: npt.NDArray[np.intp]

    @classmethod
    def of(cls, x: FloatArray, t_x: FloatArray, age: FloatArray) -> GroupedCustomers:
        # A hash group-by: sorting a million customers' rows would cost several times more.
        codes = distinct_rows(x, t_x, age)
        weights = np.bincount(codes).astype(np.float64)
        first = first_of_each(codes)
        rows_x = x[first]
        counts, count_index = np.unique(rows_x, return_inverse=True)
        return cls(rows_x, t_x[first], age[first], weights, counts, count_index)


class BetaGeoLikelihood:
    """The BG/NBD negative log-likelihood of fixed customers, with its exact derivatives.

    Per customer the log-likelihood is ``C(x) + logaddexp(A, B)`` with ``C = ln Γ(r + x) −
    ln Γ(r) + r ln α − ln B(a, b)``, ``A = ln B(a, b + x) − (r + x) ln(α + T)`` (alive at T) and
    ``B = ln B(a + 1, b + x − 1) − (r + x) ln(α + t_x)`` (dropped out after the last purchase,
    only when x > 0). With u = σ(B − A), the share of the second term, the gradient is
    ∇C + (1 − u)∇A + u∇B and the Hessian ∇²C + (1 − u)∇²A + u∇²B + u(1 − u)(∇B − ∇A)(∇B − ∇A)ᵀ;
    the digamma and trigamma terms depend on x alone.
    """

    def __init__(self, customers: GroupedCustomers) -> None:
        self.customers = customers
        self.repeat = customers.x > 0
        self.count_weights = np.bincount(customers.count_index, weights=customers.weights)

    def _terms(self, params: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Per row: the log-likelihood, A and B."""
        r, alpha, a, b = params
        counts = self.customers.counts
        common = gammaln(r + counts) - gammaln(r) + r * np.log(alpha) - betaln(a, b)
        stays = betaln(a, b + counts)
        with np.errstate(invalid="ignore", divide="ignore"):
            drops = np.where(counts > 0, betaln(a + 1, b + counts - 1), -np.inf)
        index = self.customers.count_index
        power = r + self.customers.x
        alive = stays[index] - power * np.log(alpha + self.customers.T)
        dropped = drops[index] - power * np.log(alpha + self.customers.t_x)
        return common[index] + np.logaddexp(alive, dropped), alive, dropped

    def __call__(self, params: FloatArray) -> float:
        log_likelihood, _, _ = self._terms(params)
        return -float(np.dot(self.customers.weights, log_likelihood))

    def derivatives(self, params: FloatArray) -> Derivatives:
        r, alpha, a, b = params
        customers = self.customers
        log_likelihood, alive, dropped = self._terms(params)
        value = -float(np.dot(customers.weights, log_likelihood))
        counts, index, x = customers.counts, customers.count_index, customers.x
        share = np.where(self.repeat, expit(dropped - alive), 0.0)  # u
        stay = 1 - share
        w = customers.weights
        power = r + x
        log_end, log_last = np.log(alpha + customers.T), np.log(alpha + customers.t_x)
        inv_end, inv_last = 1 / (alpha + customers.T), 1 / (alpha + customers.t_x)
        # ∇ of the terms that depend on x alone, summed over the customers with each count.
        n_w = self.count_weights
        psi_total = digamma(a + b + counts)
        tri_total = polygamma(1, a + b + counts)
        with np.errstate(invalid="ignore", divide="ignore"):
            psi_drop_b = np.where(counts > 0, digamma(b + counts - 1), 0.0)
            tri_drop_b = np.where(counts > 0, polygamma(1, b + counts - 1), 0.0)
        share_by_count = np.bincount(index, weights=w * share, minlength=counts.size)
        stay_by_count = n_w - share_by_count
        total = float(w.sum())
        gradient = np.array(
            [
                float(n_w @ (digamma(r + counts) - digamma(r)))
                + total * np.log(alpha)
                - float(w @ (stay * log_end + share * log_last)),
                total * r / alpha - float(w @ (power * (stay * inv_end + share * inv_last))),
                total * (digamma(a + b) - digamma(a))
                + float(stay_by_count @ (digamma(a) - psi_total))
                + float(share_by_count @ (digamma(a + 1) - psi_total)),
                total * (digamma(a + b) - digamma(b))
                + float(stay_by_count @ (digamma(b + counts) - psi_total))
                + float(share_by_count @ (psi_drop_b - psi_total)),
            ]
        )
        hessian = np.zeros((4, 4))
        hessian[0, 0] = float(n_w @ (polygamma(1, r + counts) - polygamma(1, r)))
        hessian[0, 1] = total / alpha - float(w @ (stay * inv_end + share * inv_last))
        hessian[1, 1] = -total * r / alpha**2 + float(
            w @ (power * (stay * inv_end**2 + share * inv_last**2))
        )
        tri_ab = float(polygamma(1, a + b))
        hessian[2, 2] = (
            total * (tri_ab - float(polygamma(1, a)))
            + float(stay_by_count @ (polygamma(1, a) - tri_total))
            + float(share_by_count @ (polygamma(1, a + 1) - tri_total))
        )
        hessian[2, 3] = total * tri_ab - float(n_w @ tri_total)
        hessian[3, 3] = (
            total * (tri_ab - float(polygamma(1, b)))
            + float(stay_by_count @ (polygamma(1, b + counts) - tri_total))
            + float(share_by_count @ (tri_drop_b - tri_total))
        )
        # The mixing term u(1 − u)(∇B − ∇A)(∇B − ∇A)ᵀ, per row.
        with np.errstate(invalid="ignore", divide="ignore"):
            gap = np.stack(
                [
                    log_end - log_last,
                    power * (inv_end - inv_last),
                    np.full(x.size, 1 / a),
                    np.where(self.repeat, -1 / (b + x - 1), 0.0),
                ]
            )
        mixing = w * share * stay
        hessian += (gap * mixing) @ gap.T
        hessian = np.triu(hessian) + np.triu(hessian, 1).T
        return Derivatives(value, -gradient, -hessian)


def negative_log_likelihood(params: FloatArray, customers: GroupedCustomers) -> float:
    """The BG/NBD negative log-likelihood of ``customers`` at ``params`` = (r, α, a, b)."""
    return BetaGeoLikelihood(customers)(params)


class BetaGeo(MaximumLikelihoodModel):
    """The beta-geometric/negative-binomial (BG/NBD) model, fitted by maximum likelihood.

    Attributes
    ----------
    params_ : dict of str to float
        ``r``, ``alpha`` (the gamma purchase-rate heterogeneity) and ``a``, ``b`` (the beta
        drop-out heterogeneity); ``alpha`` is in the time unit of the data.
    log_likelihood_ : float
        The total log-likelihood at the optimum.
    standard_errors_ : dict of str to float
        From the inverse Hessian of the negative log-likelihood, on the natural scale.
    n_ : int
        The number of customers fitted.

    References
    ----------
    .. [1] Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting your customers" the easy
       way: An alternative to the Pareto/NBD model. Marketing Science 24(2), 275–284.

    Examples
    --------
    >>> model = BetaGeo().fit([0, 2, 1, 5], [0.0, 30.4, 1.7, 20.0], [38.9, 38.9, 38.9, 30.0])
    >>> sorted(model.params_)
    ['a', 'alpha', 'b', 'r']
    """

    parameter_names: ClassVar[tuple[str, ...]] = ("r", "alpha", "a", "b")
    model_name: ClassVar[str] = "BG/NBD"

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
            Starting values for ``r``, ``alpha``, ``a``, ``b``; by default r = a = b = 1 and
            alpha = the mean of ``T`` (a rate of about one purchase per observation period).

        Returns
        -------
        BetaGeo
            ``self``, fitted.
        """
        x, t_x, age = checked_rfm(frequency, recency, T)
        customers = GroupedCustomers.of(x, t_x, age)
        defaults = {"r": 1.0, "alpha": max(float(age.mean()), 1e-3), "a": 1.0, "b": 1.0}
        start = self._rough_start(
            lambda rows: BetaGeoLikelihood(GroupedCustomers.of(x[rows], t_x[rows], age[rows])),
            x.size,
            self._starting_point(defaults, initial),
        )
        self._maximise_likelihood(BetaGeoLikelihood(customers), start, x.size)
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

        E[X(t)] = (a + b − 1)/(a − 1) · [1 − (α/(α + t))^r ₂F₁(r, b; a + b − 1; t/(α + t))]
        (Fader, Hardie & Lee 2005, eq. 9).
        """
        horizon = as_float_array(t, "t")
        return future_purchases_if_alive(self._fitted_params(), horizon, np.zeros(1), np.zeros(1))

    def conditional_expected_purchases(
        self,
        t: npt.ArrayLike,
        frequency: npt.ArrayLike,
        recency: npt.ArrayLike,
        T: npt.ArrayLike,
    ) -> FloatArray:
        """Expected purchases in the next ``t`` of each customer given their history (eq. 10).

        E[X(t) | x, t_x, T] = (a + b + x − 1)/(a − 1) · [1 − ((α + T)/(α + T + t))^(r + x)
        ₂F₁(r + x, b + x; a + b + x − 1; t/(α + T + t))] · P(alive). The bracket depends on
        (x, T) alone, so for one horizon it is computed once per distinct (x, T) pair.
        """
        params = self._fitted_params()
        x, t_x, age = checked_rfm(frequency, recency, T)
        horizon = as_float_array(t, "t")
        if horizon.size == 1:
            pairs = distinct_rows(x, age)
            first = first_of_each(pairs)
            future = future_purchases_if_alive(params, horizon, x[first], age[first])[pairs]
        else:
            future = future_purchases_if_alive(params, horizon, x, age)
        return np.asarray(future * alive_probability(params, x, t_x, age), dtype=np.float64)

    def probability_alive(
        self, frequency: npt.ArrayLike, recency: npt.ArrayLike, T: npt.ArrayLike
    ) -> FloatArray:
        """The probability that each customer is still alive at ``T`` (Fader, Hardie & Lee 2008).

        P(alive) = 1 / (1 + [x > 0] a/(b + x − 1) · ((α + T)/(α + t_x))^(r + x)), computed as a
        logistic of the log odds so that it never overflows. Always 1 for ``frequency`` 0.
        """
        return alive_probability(self._fitted_params(), *checked_rfm(frequency, recency, T))


def alive_probability(
    params: FloatArray, x: FloatArray, t_x: FloatArray, age: FloatArray
) -> FloatArray:
    """P(alive) of checked customers (see :meth:`BetaGeo.probability_alive`), computed in place
    in one buffer: for a million customers, a dozen passes over memory and no temporaries."""
    r, alpha, a, b = params
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        odds_dead = alpha + age
        odds_dead /= alpha + t_x
        np.log(odds_dead, out=odds_dead)
        odds_dead *= r + x
        # b + x − 1 ≥ b when x ≥ 1; at x = 0 (no odds of having died) it is raised to b so that
        # its log stays finite before those odds are zeroed.
        shifted = x + (b - 1)
        np.maximum(shifted, b, out=shifted)
        np.log(shifted, out=shifted)
        odds_dead -= shifted
        odds_dead += np.log(a)
        np.exp(odds_dead, out=odds_dead)  # a/(b + x − 1) · ((α + T)/(α + t_x))^(r + x)
        odds_dead *= x > 0
        odds_dead += 1
        alive: FloatArray = np.reciprocal(odds_dead, out=odds_dead)
    return alive


def future_purchases_if_alive(
    params: FloatArray, horizon: FloatArray, x: FloatArray, age: FloatArray
) -> FloatArray:
    """E[X(t) | alive at T, x, T]: the conditional expectation before its P(alive) factor.

    Where scipy's ₂F₁ gives no finite value (fits that ran to very large parameters, when the
    data show no heterogeneity to estimate), Euler's transformation ₂F₁(r + x, b + x; c; z) =
    (1 − z)^(a − 1 − r − x) ₂F₁(a + b − 1 − r, a − 1; c; z) turns the term into a series whose
    ratio of successive terms stays small there, summed directly.
    """
    r, alpha, a, b = params
    x, age, horizon = np.broadcast_arrays(x, age, horizon)
    base = alpha + age
    z = horizon / (base + horizon)
    c = a + b + x - 1
    with np.errstate(all="ignore"):
        tail = (base / (base + horizon)) ** (r + x) * hyp2f1(r + x, b + x, c, z)
        failed = ~np.isfinite(tail)
        if failed.any():
            tail = np.array(tail, dtype=np.float64)
            tail[failed] = (1 - z[failed]) ** (a - 1) * hyp2f1_by_series(
                a + b - 1 - r, a - 1, c[failed], z[failed]
            )
        return np.asarray(c / (a - 1) * (1 - tail), dtype=np.float64)


def hyp2f1_by_series(
    a: float, b: float, c: FloatArray, z: FloatArray, *, max_terms: int = 10_000
) -> FloatArray:
    """₂F₁(a, b; c; z) = Σₙ (a)ₙ(b)ₙ/((c)ₙ n!) zⁿ summed term by term, NaN where the sum has not
    settled to double precision within ``max_terms`` terms."""
    term = np.ones_like(z)
    total = np.ones_like(z)
    settled = np.zeros(z.shape, dtype=bool)
    for n in range(max_terms):
        term = term * ((a + n) * (b + n) / ((c + n) * (n + 1)) * z)
        total = total + term
        settled = np.abs(term) <= 1e-17 * np.abs(total)
        if settled.all():
            break
    return np.where(settled, total, np.nan)


def first_of_each(codes: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """For group codes 0 … k − 1, the position of each group's first row."""
    first = np.empty(int(codes.max()) + 1 if codes.size else 0, dtype=np.int64)
    first[codes[::-1]] = np.arange(codes.size - 1, -1, -1)
    return first
