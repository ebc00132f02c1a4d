"""Churn: the articles' churn rate, activity spells, the monthly series and cohort retention.

The articles define the churn rate as *the customers lost in the last 12 months divided by the
average number of customers over the same 12 months*. Every function here works on one row per
customer — or per *activity spell* of a customer, see below — given by two arrays of date-times:

- ``starts``: when the customer became one (acquisition, or the first order of a spell);
- ``ends``: when the customer was lost, ``NaT`` while still a customer.

A customer is *active* at an instant ``t`` when ``start <= t < end`` and *lost* at ``end``.
Two definitions of ``end`` are in use:

- **contract** (contractual business): the customer is lost when the contract is cancelled,
  the customer record's ``churned_at``;
- **inactivity** (non-contractual business): the customer is lost once they have gone
  ``inactive_days`` without an order. :func:`activity_spells` turns orders into spells; the
  default of 365 days is a year, long enough that a seasonal buyer (who orders every Christmas)
  is never counted as lost between two seasons.

Everything is vectorised numpy and polars (sorts, searches and group-bys, no Python loop over
customers or orders), so it runs the same in a notebook, a service and a distributed job on
millions of customers. Date-times are naive UTC, held as ``datetime64[us]``; time-zone-aware
input is converted to UTC.

References
----------
.. [1] Fader, P. S. & Hardie, B. G. S. (2009). Probability Models for Customer-Base Analysis.
   Journal of Interactive Marketing 23(1), 61–69 (contractual and non-contractual settings).
.. [2] Gupta, S. et al. (2006). Modeling Customer Lifetime Value. Journal of Service Research
   9(2), 139–155 (retention and churn rates, cohorts).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import polars as pl

from advocacy.errors import InvalidInput

DatetimeArray = npt.NDArray[np.datetime64]
IntArray = npt.NDArray[np.int64]
DEFAULT_INACTIVE_DAYS = 365
_US = "datetime64[us]"
_NEVER = np.iinfo(np.int64).max  # an end that never comes: still a customer


@dataclass(frozen=True, slots=True)
class ChurnResult:
    """The churn rate over a window, with the counts it is made of.

    ``churn_rate = lost / average_customers``; ``average_customers`` is the mean of
    ``boundary_counts``, the customers active at each of the window's month boundaries
    ``boundaries`` (``months + 1`` of them, from ``window_start`` to ``window_end``).
    """

    churn_rate: float
    lost: int
    average_customers: float
    window_start: dt.datetime
    window_end: dt.datetime
    months: int
    boundaries: tuple[dt.datetime, ...]
    boundary_counts: tuple[int, ...]
    definition: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def as_datetimes(values: Any) -> DatetimeArray:
    """``values`` as a ``datetime64[us]`` array of naive UTC date-times; ``None`` becomes NaT.

    Accepts numpy, pandas and polars date-times, Python dates and date-times and ISO 8601
    strings; aware date-times are converted to UTC.
    """
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        return values.astype(_US, copy=False)
    if hasattr(values, "to_numpy") and not isinstance(values, np.ndarray):
        array = values.to_numpy()
        if isinstance(array, np.ndarray) and array.dtype.kind == "M":
            return array.astype(_US, copy=False)
        values = array
    objects = np.asarray(values, dtype=object).ravel()
    if objects.size == 0:
        return np.empty(0, dtype=_US)
    try:
        parsed = pd.to_datetime(objects, utc=True, format="mixed")
    except (ValueError, TypeError, OverflowError) as exc:
        raise InvalidInput(f"not a date or date-time: {exc}") from exc
    return np.asarray(pd.DatetimeIndex(parsed).tz_localize(None).to_numpy(), dtype=_US)


def as_instant(value: Any, name: str = "as_of") -> np.datetime64:
    """One date-time as ``datetime64[us]``; refuses a missing one."""
    instant: np.datetime64 = as_datetimes([value])[0]
    if np.isnat(instant):
        raise InvalidInput(f"{name} must be a date or date-time")
    return instant


def add_months(times: Any, months: int | npt.ArrayLike) -> DatetimeArray:
    """``times`` moved by whole calendar ``months``, keeping the day unless the month is shorter.

    A day past the end of the target month becomes its last day, as in calendars and
    ``pandas.DateOffset``: 2025-03-31 − 1 month = 2025-02-28. The time of day is kept.

    Examples
    --------
    >>> add_months(np.array(["2025-03-31T12:00"], dtype="datetime64[us]"), -1)
    array(['2025-02-28T12:00:00.000000'], dtype='datetime64[us]')
    """
    stamps = np.asarray(times, dtype=_US)
    days = stamps.astype("datetime64[D]")
    month = stamps.astype("datetime64[M]")
    target = month + np.asarray(months, dtype=np.int64).astype("timedelta64[M]")
    first = target.astype("datetime64[D]")
    length = (target + np.timedelta64(1, "M")).astype("datetime64[D]") - first
    day = np.minimum(days - month.astype("datetime64[D]"), length - np.timedelta64(1, "D"))
    return np.asarray((first + day).astype(_US) + (stamps - days.astype(_US)), dtype=_US)


def month_start(times: Any) -> DatetimeArray:
    """The first instant of the calendar month of each of ``times``."""
    return np.asarray(np.asarray(times, dtype=_US).astype("datetime64[M]").astype(_US))


def _spells(starts: Any, ends: Any) -> tuple[DatetimeArray, DatetimeArray]:
    """Starts and ends as date-time arrays of one unit (numpy input is not copied); validated."""
    start, end = _same_unit(starts), _same_unit(ends)
    if start.shape != end.shape:
        raise InvalidInput(f"{start.size} starts but {end.size} ends: give one of each a customer")
    if np.isnat(start).any():
        raise InvalidInput("every customer needs a start (acquisition or first order)")
    if start.dtype != end.dtype:
        start, end = start.astype(_US), end.astype(_US)
    if (end < start).any():  # NaT compares false: an open end is never before its start
        raise InvalidInput("a customer cannot be lost before they became one (end before start)")
    return start, end


def _same_unit(values: Any) -> DatetimeArray:
    """Date-times as numpy datetime64, in the unit they come in when they are numpy already."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        return values
    if hasattr(values, "to_numpy") and not isinstance(values, np.ndarray):
        array = values.to_numpy()
        if isinstance(array, np.ndarray) and array.dtype.kind == "M":
            return array
    return as_datetimes(values)


def _spells_us(starts: Any, ends: Any) -> tuple[IntArray, IntArray]:
    """Starts and ends as int64 microseconds, an open end as the largest int64; validated."""
    start, end = _spells(starts, ends)
    start_us = start.astype(_US).view(np.int64)
    end_us = np.where(np.isnat(end), _NEVER, end.astype(_US).view(np.int64))
    return start_us, end_us


def _active_among_sorted(
    sorted_starts: IntArray, sorted_ends: IntArray, times: IntArray
) -> IntArray:
    """How many spells have ``start <= t < end`` at each of ``times`` (both inputs sorted)."""
    started = np.searchsorted(sorted_starts, times, side="right")
    ended = np.searchsorted(sorted_ends, times, side="right")
    return np.asarray(started - ended, dtype=np.int64)


_CHUNK = 1 << 18


def _active_at(start: DatetimeArray, end: DatetimeArray, edges: DatetimeArray) -> IntArray:
    """How many spells have ``start <= t < end`` at each of the (sorted) ``edges``.

    Each start and end is placed among the few edges (a binary search over a dozen values), the
    places are counted, and the running sums give the customers started and ended by each edge:
    a few passes over the data, a chunk at a time, with no sort and no copy of the arrays.
    """
    # Integer views (no copies): numpy searches int64 much faster than datetime64.
    ticks = edges.astype(start.dtype).view(np.int64)
    start_ticks, end_ticks = start.view(np.int64), end.view(np.int64)
    started = np.zeros(len(edges) + 1, dtype=np.int64)
    ended = np.zeros(len(edges) + 1, dtype=np.int64)
    for first in range(0, start.size, _CHUNK):
        part = slice(first, first + _CHUNK)
        # searchsorted "left": the first edge at or after the time, i.e. the first edge counted.
        started += np.bincount(np.searchsorted(ticks, start_ticks[part]), minlength=len(ticks) + 1)
        places = np.searchsorted(ticks, end_ticks[part])
        places[np.isnat(end[part])] = len(ticks)  # an open end is never reached
        ended += np.bincount(places, minlength=len(ticks) + 1)
    return np.asarray(np.cumsum(started)[:-1] - np.cumsum(ended)[:-1], dtype=np.int64)


def _python(instant: np.datetime64) -> dt.datetime:
    value: dt.datetime = instant.astype(_US).item()
    return value


def churn_rate(
    starts: Any,
    ends: Any,
    *,
    as_of: Any,
    months: int = 12,
    definition: str = "contract",
) -> ChurnResult:
    """The articles' churn rate: customers lost in the window ÷ average customers in it.

    The window is the ``months`` calendar months up to ``as_of``: the interval
    ``(as_of − months, as_of]``. A customer is lost in it when ``window_start < end <=
    window_end``; a customer lost twice (an activity spell per return) counts twice, a
    customer whose end equals their start was never a customer and is not counted. The
    average number of customers is the mean of the active-customer counts at the ``months + 1``
    month boundaries ``as_of − months, as_of − months + 1 month, …, as_of`` (13 for a year),
    each boundary counted from ``as_of`` so month ends stay month ends.

    Parameters
    ----------
    starts, ends : array-like of date-times
        One per customer (or activity spell); ``ends`` is NaT while still a customer.
    as_of : date-time
        The end of the window (included).
    months : int
        The length of the window in calendar months, at least 1.
    definition : str
        How ``ends`` were defined (``"contract"`` or ``"inactivity"``); kept in the result.

    Returns
    -------
    ChurnResult
        ``churn_rate`` is NaN when the window has no customers at its boundaries.

    Examples
    --------
    >>> result = churn_rate(["2023-06-01"] * 4, ["2024-06-15", None, None, None],
    ...                     as_of="2024-12-31", months=12)
    >>> result.lost, result.boundary_counts[0], result.boundary_counts[-1]
    (1, 4, 3)
    """
    if isinstance(months, bool) or not isinstance(months, int | np.integer) or months < 1:
        raise InvalidInput("the window must be at least one month long")
    months = int(months)
    end_of_window = as_instant(as_of)
    start, end = _spells(starts, ends)
    offsets = np.arange(-months, 1, dtype=np.int64)
    boundaries = add_months(np.full(months + 1, end_of_window, dtype=_US), offsets)
    counts = _active_at(start, end, boundaries)
    window_start, window_end = boundaries[[0, -1]].astype(start.dtype)
    lost = int(np.count_nonzero((end > window_start) & (end <= window_end) & (end > start)))
    average = float(counts.mean())
    rate = lost / average if average > 0 else float("nan")
    return ChurnResult(
        churn_rate=rate,
        lost=lost,
        average_customers=average,
        window_start=_python(boundaries[0]),
        window_end=_python(boundaries[-1]),
        months=months,
        boundaries=tuple(_python(b) for b in boundaries),
        boundary_counts=tuple(int(c) for c in counts),
        definition=definition,
    )


def activity_spells(
    customer_ids: Any,
    order_times: Any,
    *,
    inactive_days: int = DEFAULT_INACTIVE_DAYS,
    as_of: Any,
) -> pd.DataFrame:
    """A customer's spells of activity from their orders, for the inactivity definition of churn.

    A customer's orders up to ``as_of`` are sorted; a spell starts at their first order and at
    every order that comes more than ``inactive_days`` after the one before it (a customer who
    returns after a lapse starts a new spell), and ends ``inactive_days`` after the spell's last
    order — NaT when that is after ``as_of``: still a customer. Orders after ``as_of`` are
    ignored, so the history is the one known at ``as_of``. One customer's spells never overlap,
    so counting active spells counts active customers.

    Parameters
    ----------
    customer_ids : array-like
        The customer of each order (any hashable ids: text or integers); missing ids are dropped.
    order_times : array-like of date-times
        When each order was placed.
    inactive_days : int
        Days without an order after which a customer is lost (365 by default: a year covers
        seasonal buyers).
    as_of : date-time
        The moment the history is read at.

    Returns
    -------
    pandas.DataFrame
        Columns ``customer_id``, ``start``, ``end`` (NaT while active), ``orders``, sorted by
        customer and start.
    """
    if isinstance(inactive_days, bool) or not isinstance(inactive_days, int | np.integer):
        raise InvalidInput("inactive_days must be a whole number of days")
    if inactive_days < 1:
        raise InvalidInput("inactive_days must be at least 1")
    cutoff = as_instant(as_of)
    times = as_datetimes(order_times)
    ids = customer_ids.to_numpy() if hasattr(customer_ids, "to_numpy") else customer_ids
    ids = np.asarray(ids)
    if ids.shape != times.shape:
        raise InvalidInput(f"{ids.size} customer ids but {times.size} order times")
    gap = np.timedelta64(int(inactive_days), "D").astype("timedelta64[us]")
    frame = pl.DataFrame(
        {"customer_id": pl.Series(ids, strict=False), "at": pl.Series(times)}
    ).filter(
        pl.col("customer_id").is_not_null()
        & pl.col("at").is_not_null()
        & (pl.col("at") <= pl.lit(cutoff.item()))
    )
    ordered = frame.sort("customer_id", "at").with_columns(
        (
            (pl.col("customer_id") != pl.col("customer_id").shift(1))
            | ((pl.col("at") - pl.col("at").shift(1)) > pl.lit(gap.item()))
        )
        .fill_null(value=True)
        .alias("new_spell")
    )
    at = ordered["at"].to_numpy().astype(_US)
    first = np.flatnonzero(ordered["new_spell"].to_numpy())
    last = np.append(first[1:] - 1, at.size - 1) if first.size else first
    ends = at[last] + gap
    ends[ends > cutoff] = np.datetime64("NaT")
    return pd.DataFrame(
        {
            "customer_id": ordered["customer_id"].gather(first).to_numpy(),
            "start": at[first],
            "end": ends,
            "orders": np.diff(np.append(first, at.size)).astype(np.int64),
        }
    )


def monthly_churn(starts: Any, ends: Any, *, start: Any, end: Any) -> pd.DataFrame:
    """Churn of each calendar month from the month of ``start`` to the month ``end`` falls in.

    An ``end`` at the very first instant of a month closes the month before it: the series to
    2025-01-01 00:00 ends with December 2024.

    For a month beginning at ``m``: ``active_at_start`` counts customers active at ``m``;
    ``acquired`` and ``lost`` count starts and ends in ``(m, next month]`` (the same half-open
    convention as :func:`churn_rate`, so the monthly losses of a year add up to its
    ``lost``); ``churn_rate = lost / active_at_start`` (NaN without customers), which can exceed
    1 when customers both join and leave within the month. The last month stops at ``end``
    (``complete`` is False when it is cut short).

    Returns
    -------
    pandas.DataFrame
        Columns ``month``, ``active_at_start``, ``acquired``, ``lost``, ``active_at_end``,
        ``churn_rate``, ``complete``.
    """
    first, last = as_instant(start, "start"), as_instant(end, "end")
    if last < first:
        raise InvalidInput("the series must end after it starts")
    start_us, end_us = _spells_us(starts, ends)
    begin = first.astype("datetime64[M]")
    final = (max(last - np.timedelta64(1, "us"), first)).astype("datetime64[M]")
    count = int((final - begin).astype(np.int64)) + 1
    months = (begin + np.arange(count + 1).astype("timedelta64[M]")).astype(_US)
    lower = months[:-1].view(np.int64)
    upper = np.minimum(months[1:].view(np.int64), last.view(np.int64))
    sorted_starts, sorted_ends = np.sort(start_us), np.sort(end_us)
    real_ends = np.sort(end_us[end_us > start_us])
    active = _active_among_sorted(sorted_starts, sorted_ends, lower)
    lost = np.searchsorted(real_ends, upper, side="right") - np.searchsorted(
        real_ends, lower, side="right"
    )
    acquired = np.searchsorted(sorted_starts, upper, side="right") - np.searchsorted(
        sorted_starts, lower, side="right"
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(active > 0, lost / np.maximum(active, 1), np.nan)
    return pd.DataFrame(
        {
            "month": months[:-1],
            "active_at_start": active,
            "acquired": acquired.astype(np.int64),
            "lost": lost.astype(np.int64),
            "active_at_end": _active_among_sorted(sorted_starts, sorted_ends, upper),
            "churn_rate": rate,
            "complete": months[1:].view(np.int64) <= last.view(np.int64),
        }
    )


def _whole_months(starts: DatetimeArray, later: DatetimeArray, *, inclusive: bool) -> IntArray:
    """The largest k with ``add_months(start, k) < later`` (``<=`` when ``inclusive``)."""
    months = (later.astype("datetime64[M]") - starts.astype("datetime64[M]")).astype(np.int64)
    reached = add_months(starts, months)
    beyond = reached > later if inclusive else reached >= later
    return np.asarray(months - beyond, dtype=np.int64)


def cohort_retention(acquired_at: Any, ends: Any, *, as_of: Any) -> pd.DataFrame:
    """The retention matrix: the share of each acquisition month's customers active at each age.

    A customer acquired at ``s`` is retained at age ``k`` months when still a customer at
    ``s + k months`` (``end`` later than that, or NaT). A cohort's value at age ``k`` is the share
    of its customers retained at that age; it is NaN until every customer of the cohort has
    reached age ``k`` by ``as_of`` (a partly observed age would mix different customers).
    Customers acquired after ``as_of`` are left out and ends after ``as_of`` are unknown yet.

    Returns
    -------
    pandas.DataFrame
        One row per cohort: ``cohort`` (the month's first day), ``size``, then one column per
        age ``0, 1, 2, …`` (integers).
    """
    cutoff = as_instant(as_of)
    start_us, end_us = _spells_us(acquired_at, ends)
    known = start_us <= cutoff.view(np.int64)
    starts = start_us[known].view(_US)
    end_at = end_us[known]
    columns: dict[Any, Any] = {"cohort": np.empty(0, dtype=_US), "size": np.empty(0, np.int64)}
    if starts.size == 0:
        return pd.DataFrame(columns)
    end_at = np.minimum(end_at, cutoff.view(np.int64) + 1)  # unknown past as_of: still there
    retained = _whole_months(starts, end_at.view(_US), inclusive=False)
    observed = _whole_months(starts, np.full(starts.size, cutoff), inclusive=True)
    cohorts, cohort = np.unique(starts.astype("datetime64[M]"), return_inverse=True)
    cohort = cohort.ravel()
    ages = int(observed.max()) + 1
    sizes = np.bincount(cohort, minlength=cohorts.size)
    # Customers retained up to age r are counted at every age 0…r: a reversed cumulative sum.
    keep = retained >= 0
    cells = cohort[keep] * (ages + 1) + np.minimum(retained[keep], ages)
    last_age = np.bincount(cells, minlength=cohorts.size * (ages + 1)).reshape(-1, ages + 1)
    still = np.cumsum(last_age[:, ::-1], axis=1)[:, ::-1][:, :ages]
    shares = still / sizes[:, None]
    youngest = np.full(cohorts.size, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(youngest, cohort, observed)
    shares[np.arange(ages)[None, :] > youngest[:, None]] = np.nan
    columns = {"cohort": cohorts.astype(_US), "size": sizes.astype(np.int64)}
    columns.update({age: shares[:, age] for age in range(ages)})
    return pd.DataFrame(columns)
