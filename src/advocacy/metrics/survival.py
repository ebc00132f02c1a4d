"""Kaplan–Meier survival curves with censoring, Greenwood's variance and a log-log band.

For churn the subjects are customers (or activity spells), the duration is their tenure and the
event is being lost; a customer still active when the data ends is *censored*: we know they lasted
at least that long. Ignoring censoring (averaging the tenure of lost customers only) makes
customers look shorter-lived than they are; the Kaplan–Meier estimator uses every customer.

At each distinct event time ``t`` with ``n`` subjects at risk and ``d`` events,
``S(t) = Π (1 − d/n)`` over event times up to ``t``. Greenwood's formula estimates its variance,
``Var S(t) = S(t)² Σ d / (n (n − d))``. The confidence band is built on ``log(−log S)``, whose
variance is ``Σ d / (n (n − d)) / (log S)²``; transformed back, ``S^exp(±z·σ)`` always lies in
0…1, unlike the plain ``S ± z·SE``.

References
----------
.. [1] Kaplan, E. L. & Meier, P. (1958). Nonparametric estimation from incomplete observations.
   Journal of the American Statistical Association 53(282), 457–481.
.. [2] Greenwood, M. (1926). The natural duration of cancer. Reports on Public Health and
   Medical Subjects 33, 1–26. London: HMSO.
.. [3] Kalbfleisch, J. D. & Prentice, R. L. (2002). The Statistical Analysis of Failure Time
   Data, 2nd ed., §1.4 and §4.3 (the log-log transformed interval). Wiley.
.. [4] Kleinbaum, D. G. & Klein, M. (2012). Survival Analysis: A Self-Learning Text, 3rd ed.,
   chapter 2 (the Freireich et al. 1963 remission data as a worked example). Springer.
"""

from __future__ import annotations

from statistics import NormalDist
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from advocacy.errors import InvalidInput

COLUMNS = [
    "time", "at_risk", "events", "censored", "survival", "std_error", "ci_low", "ci_high",
]  # fmt: skip


def _z(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise InvalidInput("the confidence level must be between 0 and 1, e.g. 0.95")
    return NormalDist().inv_cdf((1 + confidence) / 2)


def kaplan_meier(
    durations: npt.ArrayLike, observed: npt.ArrayLike | None = None, *, confidence: float = 0.95
) -> pd.DataFrame:
    """The Kaplan–Meier estimate of the survival function, with Greenwood errors and a band.

    Parameters
    ----------
    durations : array-like of float
        Time each subject was followed (tenure), at least 0.
    observed : array-like of bool, optional
        True where the event (being lost) happened at that time, False where the subject is
        censored (still a customer). All True when omitted.
    confidence : float
        Level of the pointwise confidence band, 0.95 by default.

    Returns
    -------
    pandas.DataFrame
        One row per distinct time, ascending: ``time``, ``at_risk`` (subjects with duration ≥
        time), ``events``, ``censored``, ``survival`` (S just after ``time``), ``std_error``
        (Greenwood), ``ci_low`` and ``ci_high`` (log-log band). Where S = 1 the band is 1…1;
        where S = 0 the error and band are undefined (NaN).

    Examples
    --------
    >>> table = kaplan_meier([1, 2, 2, 3], [True, True, False, True])
    >>> table["survival"].round(3).tolist()
    [0.75, 0.5, 0.0]
    """
    times = np.asarray(durations, dtype=np.float64).ravel()
    if observed is None:
        events_flag = np.ones(times.size, dtype=bool)
    else:
        raw = np.asarray(observed).ravel()
        if raw.dtype.kind not in "biuf" or not np.isin(raw, (0, 1)).all():
            raise InvalidInput("observed must be True (event) or False (censored) per subject")
        events_flag = raw.astype(bool)
    if events_flag.size != times.size:
        raise InvalidInput(f"{times.size} durations but {events_flag.size} observed flags")
    if not np.isfinite(times).all() or (times < 0).any():
        raise InvalidInput("durations must be finite and not negative")
    z = _z(confidence)
    unique, index = np.unique(times, return_inverse=True)
    index = index.ravel()
    total = np.bincount(index, minlength=unique.size)
    events = np.bincount(index, weights=events_flag, minlength=unique.size).astype(np.int64)
    at_risk = times.size - (np.cumsum(total) - total)  # still followed at each time
    survival = np.cumprod(1.0 - events / at_risk)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(events > 0, events / (at_risk * (at_risk - events)), 0.0)
        greenwood = np.cumsum(terms)
        std_error = survival * np.sqrt(greenwood)
        sigma = np.sqrt(greenwood) / np.abs(np.log(survival))
        low = survival ** np.exp(z * sigma)
        high = survival ** np.exp(-z * sigma)
    whole = survival == 1.0
    low[whole], high[whole], std_error[whole] = 1.0, 1.0, 0.0
    gone = survival <= 0.0
    low[gone], high[gone], std_error[gone] = np.nan, np.nan, np.nan
    return pd.DataFrame(
        {
            "time": unique,
            "at_risk": at_risk.astype(np.int64),
            "events": events,
            "censored": (total - events).astype(np.int64),
            "survival": survival,
            "std_error": std_error,
            "ci_low": low,
            "ci_high": high,
        },
        columns=COLUMNS,
    )


def survival_at(table: pd.DataFrame, times: npt.ArrayLike) -> pd.DataFrame:
    """Read a Kaplan–Meier ``table`` at ``times``: the step function, with its band.

    Before the first time the survival is 1; after the longest follow-up it is unknown (NaN),
    since no subject was followed that long.

    Returns
    -------
    pandas.DataFrame
        Columns ``time``, ``survival``, ``std_error``, ``ci_low``, ``ci_high``.
    """
    asked = np.asarray(times, dtype=np.float64).ravel()
    steps = table["time"].to_numpy(dtype=np.float64)
    row = np.searchsorted(steps, asked, side="right") - 1
    columns: dict[str, Any] = {"time": asked}
    for name, before in (("survival", 1.0), ("std_error", 0.0), ("ci_low", 1.0), ("ci_high", 1.0)):
        values = table[name].to_numpy(dtype=np.float64)
        picked = values[np.maximum(row, 0)] if values.size else np.full(asked.size, np.nan)
        picked = np.where(row < 0, before, picked)
        beyond = asked > steps[-1] if steps.size else np.ones(asked.size, dtype=bool)
        columns[name] = np.where(beyond, np.nan, picked)
    return pd.DataFrame(columns)


def median_survival(table: pd.DataFrame) -> float:
    """The first time at which the survival is 0.5 or less; NaN if it never falls that low."""
    below = table.loc[table["survival"] <= 0.5, "time"]
    return float(below.iloc[0]) if len(below) else float("nan")
