"""Customer lifetime value by the articles' formula: yearly revenue × lifespan − acquisition cost.

"If a customer spends $1,000 a year and the average lifespan of a customer is 10 years, multiply
$1,000 by 10 years ($10,000), then subtract the acquisition cost ($1,000): the CLV is $9,000."
The expected lifespan is the inverse of the annual churn rate (a company that loses 10 % of its
customers a year keeps one for 10 years on average), capped at :data:`MAX_LIFESPAN_YEARS` so that
a churn rate near 0 does not promise an eternal customer.

Per customer from an order history (:func:`customer_clv`), the yearly revenue is the customer's
*average* yearly revenue: the revenue of their orders that were neither cancelled nor returned,
divided by their observed tenure in years, at least :data:`MIN_TENURE_YEARS`, so that a customer
of one month is not extrapolated twelvefold. A negative CLV is kept: it is a customer who cost
more to acquire than they bring.

All functions work on scalars and on numpy arrays alike, element by element.

References
----------
.. [1] MacDonald, S. (2020). ¿Cómo crear una estrategia de servicio al cliente para su negocio?
   SuperOffice (``seeds/004_2800da5e2ec0adce.txt``): CLV = 1,000 × 10 − 1,000 = 9,000.
.. [2] Gupta, S., Lehmann, D. R. & Stuart, J. A. (2004). Valuing Customers. Journal of
   Marketing Research 41(1), 7–18 (expected lifetime 1 / (1 − retention) under constant churn).
"""

from __future__ import annotations

from typing import overload

import numpy as np
import numpy.typing as npt

from advocacy.errors import InvalidInput

MAX_LIFESPAN_YEARS = 20.0
MIN_TENURE_YEARS = 1.0

FloatArray = npt.NDArray[np.float64]


def _non_negative(name: str, value: npt.ArrayLike) -> FloatArray:
    array = np.asarray(value, dtype=np.float64)
    if not bool(np.all(np.isfinite(array))):
        raise InvalidInput(f"{name} must be a finite number")
    if bool(np.any(array < 0)):
        raise InvalidInput(f"{name} cannot be negative")
    return array


def _result(array: FloatArray, *inputs: npt.ArrayLike) -> float | FloatArray:
    return float(array) if all(np.ndim(value) == 0 for value in inputs) else array


@overload
def simple_clv(yearly_revenue: float, lifespan_years: float, acquisition_cost: float) -> float: ...
@overload
def simple_clv(
    yearly_revenue: npt.ArrayLike, lifespan_years: npt.ArrayLike, acquisition_cost: npt.ArrayLike
) -> float | FloatArray: ...
def simple_clv(
    yearly_revenue: npt.ArrayLike, lifespan_years: npt.ArrayLike, acquisition_cost: npt.ArrayLike
) -> float | FloatArray:
    """The articles' CLV: ``yearly_revenue × lifespan_years − acquisition_cost``.

    Parameters
    ----------
    yearly_revenue : float or array_like
        Revenue the customer brings in a year, ≥ 0.
    lifespan_years : float or array_like
        Expected length of the relationship in years, ≥ 0.
    acquisition_cost : float or array_like
        What acquiring the customer cost, ≥ 0, in the revenue's currency.

    Returns
    -------
    float or numpy.ndarray
        The CLV (a float when every argument is a scalar); negative when the customer cost more
        than they bring.

    Raises
    ------
    InvalidInput
        When an argument is negative or not a finite number.

    References
    ----------
    .. [1] MacDonald (2020), the articles' example: 1,000 × 10 − 1,000 = 9,000.

    Examples
    --------
    >>> simple_clv(1_000, 10, 1_000)
    9000.0
    """
    revenue = _non_negative("the yearly revenue", yearly_revenue)
    lifespan = _non_negative("the lifespan", lifespan_years)
    cost = _non_negative("the acquisition cost", acquisition_cost)
    return _result(revenue * lifespan - cost, yearly_revenue, lifespan_years, acquisition_cost)


def expected_lifespan(
    annual_churn_rate: npt.ArrayLike, *, max_years: float = MAX_LIFESPAN_YEARS
) -> float | FloatArray:
    """The expected lifespan in years, ``1 / annual_churn_rate``, at most ``max_years``.

    Under a constant churn rate the time a customer stays is geometric with mean 1 / rate [2]_;
    a rate of 0 (no customer lost in the window) gives ``max_years``.

    Raises
    ------
    InvalidInput
        When the rate is negative or not finite, or ``max_years`` is not positive.

    References
    ----------
    .. [2] Gupta, Lehmann & Stuart (2004), Valuing Customers.

    Examples
    --------
    >>> expected_lifespan(0.1)
    10.0
    >>> expected_lifespan(0.0)
    20.0
    """
    if not max_years > 0:
        raise InvalidInput("the maximum lifespan must be positive")
    rate = _non_negative("the annual churn rate", annual_churn_rate)
    with np.errstate(divide="ignore"):
        lifespan = np.minimum(np.where(rate > 0, 1.0 / np.maximum(rate, 1e-300), np.inf), max_years)
    return _result(lifespan, annual_churn_rate)


def average_yearly_revenue(
    revenue: npt.ArrayLike,
    tenure_years: npt.ArrayLike,
    *,
    min_tenure_years: float = MIN_TENURE_YEARS,
) -> float | FloatArray:
    """Revenue per year of tenure: ``revenue / max(tenure_years, min_tenure_years)``.

    The floor keeps a customer of one month from being extrapolated ×12: a customer's first
    year counts as a whole year whatever its length.

    Examples
    --------
    >>> average_yearly_revenue(600, 0.25)
    600.0
    >>> average_yearly_revenue(3_000, 2.0)
    1500.0
    """
    if not min_tenure_years > 0:
        raise InvalidInput("the minimum tenure must be positive")
    total = _non_negative("the revenue", revenue)
    tenure = _non_negative("the tenure", tenure_years)
    return _result(total / np.maximum(tenure, min_tenure_years), revenue, tenure_years)


def customer_clv(
    revenue: npt.ArrayLike,
    tenure_years: npt.ArrayLike,
    lifespan_years: npt.ArrayLike,
    acquisition_cost: npt.ArrayLike,
    *,
    min_tenure_years: float = MIN_TENURE_YEARS,
) -> float | FloatArray:
    """Each customer's CLV from their order history, by the articles' formula.

    Parameters
    ----------
    revenue : array_like
        Revenue of each customer's orders that were neither cancelled nor returned, in the
        customer's currency.
    tenure_years : array_like
        How long each customer has been observed: from acquisition (or the first order) to the
        date of the analysis, or to the cancellation of their contract.
    lifespan_years : float or array_like
        Expected lifespan, usually :func:`expected_lifespan` of the annual churn rate.
    acquisition_cost : array_like
        Acquisition cost of each customer (0 where unknown), in the customer's currency.
    min_tenure_years : float
        Tenures shorter than this count as this long (default one year).

    Returns
    -------
    numpy.ndarray
        ``average_yearly_revenue(revenue, tenure) × lifespan − acquisition_cost``.

    Examples
    --------
    >>> customer_clv([3_000, 600], [2.0, 0.5], 10, [1_000, 200]).tolist()
    [14000.0, 5800.0]
    """
    yearly = average_yearly_revenue(revenue, tenure_years, min_tenure_years=min_tenure_years)
    return simple_clv(yearly, lifespan_years, acquisition_cost)
