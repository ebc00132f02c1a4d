"""Customer lifetime value over a horizon, discounted: purchases × spend from the fitted models.

For a transaction model (BG/NBD, Pareto/NBD: anything with ``conditional_expected_purchases``)
and each customer's expected spend per purchase (the Gamma-Gamma
``conditional_expected_average_profit``), the value of the next ``H`` months is::

    CLV = Σ_{k=1..H} (E[X(k months)] − E[X(k − 1 months)]) × E[spend] / (1 + δ)^k

where ``E[X(t)]`` is the customer's conditional expected number of purchases in the next ``t``
and δ the monthly discount rate, converted from the annual rate ``d``: δ = (1 + d)^(1/12) − 1, so
that twelve monthly discounts make one annual one. This is the discrete approximation used by
lifetimes' ``customer_lifetime_value`` (which takes a monthly rate directly) of Fader, Hardie &
Lee's discounted expected transactions (DET), the continuous-time integral of the purchase rate
discounted at each instant; the approximation discounts every purchase of month ``k`` as if it
fell at the end of that month, so it is slightly below DET when the discount rate is positive,
and equal to expected purchases × spend when it is 0.

Time units are explicit: the fitted models count time in whatever unit ``rfm_summary`` produced
(days with ``freq="D"``, weeks with ``"W"``), given here as ``freq_days`` (days per model unit); a
month is 365.25 / 12 = 30.4375 days, that is 30.4375 / ``freq_days`` model units.

The result is a point estimate per customer: no interval is given for it (the fitted models give
standard errors of their parameters, not per-customer intervals of the CLV).

References
----------
.. [1] Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). RFM and CLV: Using iso-value curves
   for customer base analysis. Journal of Marketing Research 42(4), 415–430.
.. [2] Davidson-Pilon, C. et al. lifetimes 0.11.3, ``lifetimes.utils._customer_lifetime_value``.
   https://github.com/CamDavidsonPilon/lifetimes
"""

from __future__ import annotations

import math
from typing import Protocol

import numpy as np
import numpy.typing as npt

from advocacy.clv.fitting import FloatArray, as_float_array
from advocacy.errors import InvalidInput

#: The mean length of a month in days (a Julian year of 365.25 days ÷ 12).
DAYS_PER_MONTH = 365.25 / 12


class PurchaseModel(Protocol):
    """A fitted model that predicts each customer's purchases in the next ``t`` time units."""

    def conditional_expected_purchases(
        self,
        t: npt.ArrayLike,
        frequency: npt.ArrayLike,
        recency: npt.ArrayLike,
        T: npt.ArrayLike,
        /,
    ) -> FloatArray: ...


def monthly_discount_rate(annual_discount_rate: float) -> float:
    """The monthly rate equivalent to an annual one: (1 + d)^(1/12) − 1."""
    if not (math.isfinite(annual_discount_rate) and annual_discount_rate > -1):
        raise InvalidInput("the discount rate must be a number above −1 (0.1 for 10 % a year)")
    return float((1 + annual_discount_rate) ** (1 / 12) - 1)


def customer_lifetime_value(
    model: PurchaseModel,
    frequency: npt.ArrayLike,
    recency: npt.ArrayLike,
    T: npt.ArrayLike,
    expected_spend: npt.ArrayLike,
    *,
    horizon_months: int = 12,
    annual_discount_rate: float = 0.1,
    freq_days: float = 1.0,
) -> FloatArray:
    """Each customer's discounted value over the next ``horizon_months`` months.

    A discrete approximation of Fader, Hardie & Lee's (2005) discounted expected transactions
    (see the module docstring): the expected purchases of each month ``k`` (the difference of the
    cumulative conditional expectations at ``k`` and ``k − 1`` months) × the expected spend,
    discounted by (1 + δ)^k with δ = (1 + ``annual_discount_rate``)^(1/12) − 1. Vectorised over
    the customers; one model call per month. A point estimate: no interval is given.

    Parameters
    ----------
    model : PurchaseModel
        A fitted model with ``conditional_expected_purchases(t, frequency, recency, T)``.
    frequency, recency, T : array_like
        Each customer's history, in the model's time unit.
    expected_spend : array_like
        Each customer's expected value per purchase (≥ 0), e.g. from
        ``GammaGamma.conditional_expected_average_profit``.
    horizon_months : int
        How many months ahead (a whole number ≥ 0; 0 gives 0).
    annual_discount_rate : float
        The yearly discount rate, 0.1 for 10 %.
    freq_days : float
        Days per model time unit: 1 for ``rfm_summary(freq="D")``, 7 for ``"W"``.

    Returns
    -------
    numpy.ndarray
        The CLV of each customer, in the currency of ``expected_spend``.

    Examples
    --------
    >>> class Steady:  # one purchase a day, for ever
    ...     def conditional_expected_purchases(self, t, frequency, recency, T):
    ...         return np.full(len(frequency), float(t))
    >>> customer_lifetime_value(Steady(), [1], [5.0], [10.0], [2.0], horizon_months=12,
    ...                         annual_discount_rate=0.0).round(2).tolist()
    [730.5]
    """
    if isinstance(horizon_months, bool) or int(horizon_months) != horizon_months:
        raise InvalidInput("the horizon must be a whole number of months")
    if horizon_months < 0:
        raise InvalidInput("the horizon must be 0 months or more")
    if not (math.isfinite(freq_days) and freq_days > 0):
        raise InvalidInput("freq_days, the days per model time unit, must be positive")
    discount = monthly_discount_rate(annual_discount_rate)
    spend = as_float_array(expected_spend, "expected_spend")
    if np.any(spend < 0):
        raise InvalidInput("the expected spend cannot be negative")
    month = DAYS_PER_MONTH / freq_days
    value = np.zeros(spend.shape, dtype=np.float64)
    before = np.zeros(spend.shape, dtype=np.float64)
    for k in range(1, int(horizon_months) + 1):
        cumulative = np.asarray(
            model.conditional_expected_purchases(k * month, frequency, recency, T),
            dtype=np.float64,
        )
        if cumulative.shape != spend.shape:
            raise InvalidInput("expected_spend must have one value per customer")
        value += (cumulative - before) * spend / (1 + discount) ** k
        before = cumulative
    return value
