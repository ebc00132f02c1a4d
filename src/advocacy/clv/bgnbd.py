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
from typing import ClassVar, Self

import numpy as np
import numpy.typing as npt
import polars as pl
from scipy.special import betaln, expit, gammaln, hyp2f1

from advocacy.clv.fitting import (
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
    if np.any((x == 0) & (t_x != 0)):
        raise InvalidInput("a customer with no repeat purchase (frequency 0) has recency 0")
    if np.any((x > 0) & (t_x == 0)):
        raise InvalidInput("a customer with repeat purchases cannot have recency 0")
    return x, t_x, age


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
        # A hash group-by, then a sort of the few distinct rows: numpy's row-wise unique sorts
        # every customer and takes several times longer on millions.
        grouped = (
            pl.DataFrame({"x": x, "t_x": t_x, "T": age})
            .group_by(["x", "t_x", "T"])
            .len()
            .sort(["x", "t_x", "T"])
        )
        rows_x = grouped["x"].to_numpy()
        counts, count_index = np.unique(rows_x, return_inverse=True)
        return cls(
            rows_x,
            grouped["t_x"].to_numpy(),
            grouped["T"].to_numpy(),
            grouped["len"].to_numpy().astype(np.float64),
            counts,
            count_index,
        )


def negative_log_likelihood(params: FloatArray, customers: GroupedCustomers) -> float:
    """The BG/NBD negative log-likelihood of ``customers`` at ``params`` = (r, α, a, b)."""
    r, alpha, a, b = params
    counts = customers.counts
    common = gammaln(r + counts) - gammaln(r) + r * np.log(alpha) - betaln(a, b)
    stays = betaln(a, b + counts)
    with np.errstate(invalid="ignore", divide="ignore"):
        drops = np.where(counts > 0, betaln(a + 1, b + counts - 1), -np.inf)
    index = customers.count_index
    power = r + customers.x
    alive_term = stays[index] - power * np.log(alpha + customers.T)
    dropped_term = drops[index] - power * np.log(alpha + customers.t_x)
    log_likelihood = common[index] + np.logaddexp(alive_term, dropped_term)
    return -float(np.dot(customers.weights, log_likelihood))


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
        self._maximise_likelihood(
            lambda params: negative_log_likelihood(params, customers),
            self._starting_point(defaults, initial),
            x.size,
        )
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
        r, alpha, a, b = self._fitted_params()
        horizon = as_float_array(t, "t")
        z = horizon / (alpha + horizon)
        tail = (alpha / (alpha + horizon)) ** r * hyp2f1(r, b, a + b - 1, z)
        return np.asarray((a + b - 1) / (a - 1) * (1 - tail), dtype=np.float64)

    def conditional_expected_purchases(
        self,
        t: npt.ArrayLike,
        frequency: npt.ArrayLike,
        recency: npt.ArrayLike,
        T: npt.ArrayLike,
    ) -> FloatArray:
        """Expected purchases in the next ``t`` of each customer given their history (eq. 10)."""
        r, alpha, a, b = self._fitted_params()
        x, t_x, age = checked_rfm(frequency, recency, T)
        horizon = as_float_array(t, "t")
        power = r + x
        z = horizon / (alpha + age + horizon)
        future = (
            (a + b + x - 1)
            / (a - 1)
            * (
                1
                - ((alpha + age) / (alpha + age + horizon)) ** power
                * hyp2f1(power, b + x, a + b + x - 1, z)
            )
        )
        return np.asarray(future * self.probability_alive(x, t_x, age), dtype=np.float64)

    def probability_alive(
        self, frequency: npt.ArrayLike, recency: npt.ArrayLike, T: npt.ArrayLike
    ) -> FloatArray:
        """The probability that each customer is still alive at ``T`` (Fader, Hardie & Lee 2008).

        P(alive) = 1 / (1 + [x > 0] a/(b + x − 1) · ((α + T)/(α + t_x))^(r + x)), computed as a
        logistic of the log odds so that it never overflows. Always 1 for ``frequency`` 0.
        """
        r, alpha, a, b = self._fitted_params()
        x, t_x, age = checked_rfm(frequency, recency, T)
        with np.errstate(divide="ignore", invalid="ignore"):
            log_odds_dead = (
                np.log(a)
                - np.log(b + x - 1)
                + (r + x) * (np.log(alpha + age) - np.log(alpha + t_x))
            )
        log_odds_dead = np.where(x > 0, log_odds_dead, -np.inf)
        return np.asarray(expit(-log_odds_dead), dtype=np.float64)
