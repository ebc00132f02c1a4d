"""Customers drawn from the BG/NBD purchase process with Gamma-Gamma spend.

What the models assume, simulated: to check that a fit recovers the parameters that generated the
data, to measure the engine on millions of customers, and to see what a model implies for a
customer base before any data exist.

Each customer buys as a Poisson process with rate λ ~ Gamma(r, α) per time unit and, after each
repeat purchase, drops out with probability p ~ Beta(a, b) (Fader, Hardie & Lee 2005): the number
of repeat purchases before dropping out is geometric, and the customer is seen making the fewer
of that and the Poisson arrivals in (0, T]. Given N arrivals in (0, T], the x-th is at T times the
x-th of N sorted uniforms, a Beta(x, N − x + 1) share of T. Spend per purchase is Gamma(p, ν) with
ν ~ Gamma(q, v) per customer (Fader & Hardie 2013), so the mean of x purchases is
Gamma(px, νx). Ages and recencies are whole days, expressed in the model's time unit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from advocacy.clv.fitting import FloatArray
from advocacy.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class SimulatedCustomers:
    """Per customer: repeat purchases, recency and age (in model time units), mean repeat spend
    (0 without a repeat purchase)."""

    frequency: FloatArray
    recency: FloatArray
    T: FloatArray
    monetary_value: FloatArray


def simulate_customers(
    n: int,
    purchase: Mapping[str, float],
    spend: Mapping[str, float],
    *,
    age_days: tuple[int, int],
    days_per_unit: float = 7.0,
    seed: int = 0,
) -> SimulatedCustomers:
    """``n`` customers of the BG/NBD process with Gamma-Gamma spend.

    Parameters
    ----------
    n : int
        How many customers.
    purchase : mapping
        BG/NBD ``r``, ``alpha``, ``a``, ``b``, with ``alpha`` in model time units.
    spend : mapping
        Gamma-Gamma ``p``, ``q``, ``v``.
    age_days : (int, int)
        The range of the customers' ages at the end of observation, in whole days (inclusive).
    days_per_unit : float
        Days per model time unit: 7 for weeks, 1 for days.
    seed : int
        The seed of the random generator: equal seeds give equal customers.

    Examples
    --------
    >>> cdnow = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    >>> data = simulate_customers(5, cdnow, {"p": 6.25, "q": 3.74, "v": 15.44},
    ...                           age_days=(189, 273), seed=1)
    >>> bool((data.recency <= data.T).all())
    True
    """
    if n < 0 or age_days[0] < 0 or age_days[1] < age_days[0] or days_per_unit <= 0:
        raise InvalidInput("simulate a non-negative number of customers over valid ages")
    rng = np.random.default_rng(seed)
    rate = rng.gamma(purchase["r"], 1 / purchase["alpha"], size=n) / days_per_unit  # per day
    dropout = rng.beta(purchase["a"], purchase["b"], size=n)
    days = rng.integers(age_days[0], age_days[1] + 1, size=n)
    lifetime_purchases = rng.geometric(np.clip(dropout, 1e-12, 1.0))
    arrivals = rng.poisson(rate * days)
    frequency = np.minimum(arrivals, lifetime_purchases)
    buyers = frequency > 0
    share = np.zeros(n)
    share[buyers] = rng.beta(frequency[buyers], arrivals[buyers] - frequency[buyers] + 1)
    recency_days = np.where(buyers, np.clip(np.ceil(share * days), 1, days), 0)
    nu = rng.gamma(spend["q"], 1 / spend["v"], size=n)
    monetary = np.zeros(n)
    x = frequency[buyers]
    monetary[buyers] = rng.gamma(spend["p"] * x, 1 / (nu[buyers] * x))
    return SimulatedCustomers(
        frequency.astype(np.float64),
        recency_days / days_per_unit,
        days / days_per_unit,
        monetary,
    )
