"""The Gamma-Gamma model of the monetary value of repeat purchases.

Each transaction of a customer is worth z ~ Gamma(p, ν), and the customer's scale ν varies as
Gamma(q, γ) across customers (γ is ``v`` here). The observed mean spend z̄ of ``x`` repeat
purchases then has the density (Fader & Hardie 2013, eq. 3; Colombo & Jiang 1999)::

    f(z̄ | p, q, γ; x) = Γ(px + q) / (Γ(px) Γ(q)) · γ^q x^(px) z̄^(px − 1) / (γ + x z̄)^(px + q)

which is what :class:`GammaGamma` maximises (the Jacobian ``x`` included, as in the note, so the
log-likelihood is comparable with its published value). The model assumes spend is independent
of the purchase process; it is fitted on customers with at least one repeat purchase.

References
----------
.. [1] Fader, P. S. & Hardie, B. G. S. (2013). The Gamma-Gamma model of monetary value.
   http://brucehardie.com/notes/025/
.. [2] Colombo, R. & Jiang, W. (1999). A stochastic RFM model. Journal of Interactive Marketing
   13(3), 2–12.
"""

from __future__ import annotations

from typing import ClassVar, Self

import numpy as np
import numpy.typing as npt
from scipy.special import digamma, gammaln, polygamma

from advocacy.clv.fitting import (
    Derivatives,
    FloatArray,
    MaximumLikelihoodModel,
    as_float_array,
    same_length,
    whole_frequencies,
)
from advocacy.errors import InvalidInput


def checked_spend(
    frequency: npt.ArrayLike, monetary_value: npt.ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Repeat-purchase counts and mean repeat spend, refusing what the model cannot use."""
    x = whole_frequencies(frequency)
    spend = as_float_array(monetary_value, "monetary_value")
    if same_length(frequency=x, monetary_value=spend) == 0:
        raise InvalidInput("no customers: the frequency and monetary_value arrays are empty")
    if np.any(x == 0):
        raise InvalidInput(
            "the Gamma-Gamma model needs repeat purchases: leave out customers with frequency 0"
        )
    if np.any(spend <= 0):
        raise InvalidInput("monetary_value must be positive for the Gamma-Gamma model")
    return x, spend


class SpendLikelihood:
    """The Gamma-Gamma negative log-likelihood of fixed data, with its exact derivatives.

    Per customer the log-density is ``ln Γ(px + q) − ln Γ(px) − ln Γ(q) + q ln v + px ln x +
    (px − 1) ln m − (px + q) ln(v + xm)``. The gamma terms and their derivatives depend on the
    purchase count alone (a few dozen distinct values), the ``ln x`` and ``ln m`` terms sum to
    constants times p, and only ``ln(v + xm)`` and its powers of ``1/(v + xm)`` need a pass over
    the customers at each evaluation (in buffers kept from one evaluation to the next).
    """

    def __init__(self, x: FloatArray, spend: FloatArray) -> None:
        self.n = x.size
        counts = np.bincount(x.astype(np.int64)).astype(np.float64)
        present = np.flatnonzero(counts)
        self.counts_of = present.astype(np.float64)
        self.count_weights = counts[present]
        self.total_spend = x * spend
        self.sum_x = float(x.sum())
        self.sum_x_log_x = float(self.count_weights @ (self.counts_of * np.log(self.counts_of)))
        log_spend = np.log(spend)
        self.sum_x_log_m = float(x @ log_spend)
        self.sum_log_m = float(log_spend.sum())
        self.x = x
        # Work buffers of one pass over the customers, reused at every evaluation: a fit then
        # touches no fresh memory after its first step.
        self._log_total = np.empty_like(x)
        self._inverse = np.empty_like(x)
        self._squared = np.empty_like(x)

    def _log_sums(self, v: float) -> tuple[FloatArray, float, float]:
        """ln(v + xm) for every customer (in a reused buffer), Σ x ln(v + xm), Σ ln(v + xm)."""
        log_total = np.add(v, self.total_spend, out=self._log_total)
        np.log(log_total, out=log_total)
        return log_total, float(self.x @ log_total), float(log_total.sum())

    def _value(self, params: FloatArray, x_log: float, log_sum: float) -> float:
        """The negative log-likelihood, given Σ x ln(v + xm) and Σ ln(v + xm)."""
        p, q, v = params
        shapes = p * self.counts_of
        gamma_terms = float(self.count_weights @ (gammaln(shapes + q) - gammaln(shapes)))
        log_density = (
            gamma_terms
            - self.n * gammaln(q)
            + self.n * q * np.log(v)
            + p * self.sum_x_log_x
            + p * self.sum_x_log_m
            - self.sum_log_m
            - p * x_log
            - q * log_sum
        )
        return -float(log_density)

    def __call__(self, params: FloatArray) -> float:
        _, x_log, log_sum = self._log_sums(params[2])
        return self._value(params, x_log, log_sum)

    def derivatives(self, params: FloatArray) -> Derivatives:
        p, q, v = params
        n, k, counts = self.n, self.count_weights, self.counts_of
        _, x_log, log_sum = self._log_sums(v)
        inverse = np.add(v, self.total_spend, out=self._inverse)
        np.reciprocal(inverse, out=inverse)
        squared = np.multiply(inverse, inverse, out=self._squared)
        x_inverse, inverse_sum = float(self.x @ inverse), float(inverse.sum())
        x_inverse_squared, inverse_squared_sum = float(self.x @ squared), float(squared.sum())
        shapes = p * counts
        psi_sum, psi_shape = digamma(shapes + q), digamma(shapes)
        tri_sum, tri_shape = polygamma(1, shapes + q), polygamma(1, shapes)
        gradient = np.array(
            [
                float(k @ (counts * (psi_sum - psi_shape)))
                + self.sum_x_log_x
                + self.sum_x_log_m
                - x_log,
                float(k @ psi_sum) - n * digamma(q) + n * np.log(v) - log_sum,
                n * q / v - p * x_inverse - q * inverse_sum,
            ]
        )
        hessian = np.empty((3, 3))
        hessian[0, 0] = float(k @ (counts**2 * (tri_sum - tri_shape)))
        hessian[0, 1] = hessian[1, 0] = float(k @ (counts * tri_sum))
        hessian[0, 2] = hessian[2, 0] = -x_inverse
        hessian[1, 1] = float(k @ tri_sum) - n * polygamma(1, q)
        hessian[1, 2] = hessian[2, 1] = n / v - inverse_sum
        hessian[2, 2] = -n * q / v**2 + p * x_inverse_squared + q * inverse_squared_sum
        return Derivatives(self._value(params, x_log, log_sum), -gradient, -hessian)


def negative_log_likelihood(params: FloatArray, x: FloatArray, spend: FloatArray) -> float:
    """The Gamma-Gamma negative log-likelihood at ``params`` = (p, q, v)."""
    return SpendLikelihood(x, spend)(params)


class GammaGamma(MaximumLikelihoodModel):
    """The Gamma-Gamma spend model, fitted by maximum likelihood.

    Attributes
    ----------
    params_ : dict of str to float
        ``p`` (the shape of each transaction's value), ``q`` and ``v`` (the shape and scale of
        the customers' heterogeneity), ``v`` in the currency of the data.
    log_likelihood_ : float
        The total log-likelihood of the mean spends at the optimum.
    standard_errors_ : dict of str to float
        From the inverse Hessian of the negative log-likelihood, on the natural scale.
    n_ : int
        The number of customers fitted.

    References
    ----------
    .. [1] Fader, P. S. & Hardie, B. G. S. (2013). The Gamma-Gamma model of monetary value.
       http://brucehardie.com/notes/025/

    Examples
    --------
    >>> model = GammaGamma().fit([1, 2, 4, 3], [20.0, 35.5, 12.0, 18.25])
    >>> sorted(model.params_)
    ['p', 'q', 'v']
    """

    parameter_names: ClassVar[tuple[str, ...]] = ("p", "q", "v")
    model_name: ClassVar[str] = "Gamma-Gamma"

    def fit(self, frequency: npt.ArrayLike, monetary_value: npt.ArrayLike) -> Self:
        """Fit the parameters on customers with at least one repeat purchase.

        Parameters
        ----------
        frequency : array_like
            Repeat purchases of each customer (whole numbers ≥ 1).
        monetary_value : array_like
            Mean value of each customer's repeat purchases (> 0).

        Returns
        -------
        GammaGamma
            ``self``, fitted.
        """
        x, spend = checked_spend(frequency, monetary_value)
        start = np.array([1.0, 1.0, max(float(spend.mean()), 1e-3)])
        start = self._rough_start(lambda rows: SpendLikelihood(x[rows], spend[rows]), x.size, start)
        self._maximise_likelihood(SpendLikelihood(x, spend), start, x.size)
        return self

    def log_likelihood(self, frequency: npt.ArrayLike, monetary_value: npt.ArrayLike) -> float:
        """The total log-likelihood of the fitted (or loaded) parameters on these customers."""
        params = self._fitted_params()
        return -negative_log_likelihood(params, *checked_spend(frequency, monetary_value))

    def conditional_expected_average_profit(
        self, frequency: npt.ArrayLike, monetary_value: npt.ArrayLike
    ) -> FloatArray:
        """Each customer's expected value per transaction given their history (eq. 5).

        E[Z | p, q, γ; x, z̄] = p (γ + x z̄) / (p x + q − 1): a weighted mean of the population
        mean p γ / (q − 1) and the customer's own z̄, the weight of z̄ growing with ``x``.
        Customers with frequency 0 get the population mean.
        """
        p, q, v = self._fitted_params()
        x = whole_frequencies(frequency)
        spend = as_float_array(monetary_value, "monetary_value")
        same_length(frequency=x, monetary_value=spend)
        if q <= 1:
            raise InvalidInput("the expected spend needs q > 1: the fitted mean spend is infinite")
        return np.asarray(p * (v + x * spend) / (p * x + q - 1), dtype=np.float64)
