"""Frequency, recency, age and repeat spend of each customer, from a transaction log.

The inputs of the "buy till you die" models, with the conventions of lifetimes'
``summary_data_from_transaction_data``: purchase times are floored to periods of ``freq``
(purchases in the same period count as one, their values summed); ``frequency`` is the number of
distinct purchase periods minus one (the repeat purchases); ``recency`` is the time from the first
to the last purchase and ``T`` the time from the first purchase to ``observation_end``, in units
of ``freq``; ``monetary_value`` is the mean value of the repeat purchases, 0 when there are none.
Transactions after ``observation_end`` are left out.

References
----------
.. [1] Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). RFM and CLV: Using iso-value curves
   for customer base analysis. Journal of Marketing Research 42(4), 415–430.
.. [2] Davidson-Pilon, C. et al. lifetimes 0.11.3, ``lifetimes.utils.summary_data_from_
   transaction_data``. https://github.com/CamDavidsonPilon/lifetimes
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from advocacy.errors import InvalidInput

#: Period aliases with a fixed length, so that times divide into whole units.
FIXED_PERIODS = {"W": "7D", "D": "1D", "h": "1h", "min": "1min", "s": "1s"}


def rfm_summary(
    transactions: pd.DataFrame,
    customer_id: str,
    datetime: str,
    monetary: str | None = None,
    observation_end: Any = None,
    freq: str = "D",
) -> pd.DataFrame:
    """Summarise a transaction log per customer: frequency, recency, T and monetary value.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per transaction.
    customer_id, datetime : str
        The columns holding the customer and the time of each transaction.
    monetary : str, optional
        The column holding each transaction's value; adds ``monetary_value`` to the result.
    observation_end : datetime-like, optional
        The end of observation; by default the last transaction. Later transactions are ignored.
    freq : {"D", "W", "h", "min", "s"}
        The period purchases are grouped by and the unit of ``recency`` and ``T``.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer (sorted), with float columns ``frequency``, ``recency``, ``T`` and,
        with ``monetary``, ``monetary_value``.

    Examples
    --------
    >>> log = pd.DataFrame({"who": ["a", "a", "b"],
    ...                     "when": ["2024-01-01", "2024-01-11", "2024-01-05"]})
    >>> rfm_summary(log, "who", "when", observation_end="2024-01-31").to_dict("index")
    {'a': {'frequency': 1.0, 'recency': 10.0, 'T': 30.0}, 'b': {'frequency': 0.0, 'recency': 0.0, 'T': 26.0}}
    """  # noqa: E501
    if freq not in FIXED_PERIODS:
        raise InvalidInput(f"freq must be one of {sorted(FIXED_PERIODS)}, got {freq!r}")
    columns = [customer_id, datetime] + ([monetary] if monetary else [])
    missing = [column for column in columns if column not in transactions.columns]
    if missing:
        raise InvalidInput(f"the transactions have no column {', '.join(map(repr, missing))}")
    if transactions.empty:
        raise InvalidInput("no transactions to summarise")
    if transactions[customer_id].isna().any():
        raise InvalidInput(f"{customer_id!r} must not be missing")
    try:
        times = _parsed_times(transactions[datetime])
        end = times.max() if observation_end is None else pd.Timestamp(observation_end)
    except (ValueError, TypeError) as error:
        raise InvalidInput(f"{datetime!r} must hold dates or times: {error}") from error
    if times.isna().any() or pd.isna(end):
        raise InvalidInput(f"{datetime!r} must not be missing")
    period_start = _period_start(times, freq)
    end_period = _period_start(pd.Series([end]), freq).iloc[0]
    frame = pd.DataFrame({"customer": transactions[customer_id].to_numpy(), "period": period_start})
    if monetary:
        values = pd.to_numeric(transactions[monetary], errors="coerce")
        if not np.all(np.isfinite(values.to_numpy(dtype=np.float64))):
            raise InvalidInput(f"{monetary!r} must hold numbers, none missing")
        frame["value"] = values.to_numpy(dtype=np.float64)
    frame = frame[frame["period"] <= end_period]
    if frame.empty:
        raise InvalidInput("no transactions on or before the end of observation")

    # One row per customer and purchase period, values of the same period summed.
    periods = frame.groupby(["customer", "period"], sort=True).sum()
    period_index = periods.index.get_level_values("period")
    customers = periods.index.get_level_values("customer")
    by_customer = pd.Series(period_index, index=customers).groupby(level=0, sort=True)
    first, last, count = by_customer.min(), by_customer.max(), by_customer.size()
    unit = pd.Timedelta(FIXED_PERIODS[freq])
    summary = pd.DataFrame(
        {
            "frequency": (count - 1).astype(np.float64),
            "recency": (last - first).to_numpy() / unit,
            "T": (end_period - first).to_numpy() / unit,
        }
    )
    if monetary:
        # The first period's purchases are not repeat purchases: the mean leaves them out.
        is_first = period_index == first.reindex(customers).to_numpy()
        repeat_values = periods["value"].where(~is_first)
        mean_repeat = repeat_values.groupby(level="customer", sort=True).mean()
        summary["monetary_value"] = mean_repeat.fillna(0.0).astype(np.float64)
    summary.index.name = customer_id
    return summary


def _parsed_times(column: pd.Series) -> pd.Series:
    """Datetimes of ``column``; text must be ISO 8601 (dates and date-times may mix), so that
    "01/02/2024" is never read as either January or February by guesswork."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return column
    if pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column):
        return pd.Series(pd.to_datetime(column, format="ISO8601"))
    return pd.Series(pd.to_datetime(column))


def _period_start(times: pd.Series, freq: str) -> pd.Series:
    """The start of the ``freq`` period of each time (weeks start on Monday, as pandas' "W")."""
    if freq == "W":
        days = times.dt.normalize()
        return pd.Series(days - pd.to_timedelta(days.dt.day_of_week, unit="D"))
    return pd.Series(times.dt.floor(freq))
