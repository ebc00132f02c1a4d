"""The churn report of the catalogue: rate, monthly series and survival, by either definition.

Reads only the columns churn needs — the customers' acquisition and cancellation dates, and for
the inactivity definition the orders' customer and date — and hands numpy arrays to the pure
functions of :mod:`advocacy.metrics.churn` and :mod:`advocacy.metrics.survival`.

Who counts as a customer, and from when:

- **contract**: every customer, from ``acquired_at``; a customer without ``acquired_at`` from their
  first order (the first time we know they were a customer), and a customer with neither is left
  out (``without_start`` counts them); a first order after ``churned_at`` starts them at
  ``churned_at``. They are lost at ``churned_at``.
- **inactivity**: every customer with an order up to ``as_of``, in activity spells of their orders
  (see :func:`advocacy.metrics.churn.activity_spells`); a customer who never ordered was never an
  active buyer and is not counted.

The default definition is ``contract`` when any customer has a ``churned_at``, else ``inactivity``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl
from sqlalchemy import Engine, exists, func, select

from advocacy.errors import InvalidInput
from advocacy.metrics.churn import (
    DEFAULT_INACTIVE_DAYS,
    activity_spells,
    add_months,
    as_instant,
    churn_rate,
    cohort_retention,
    month_start,
    monthly_churn,
)
from advocacy.metrics.survival import kaplan_meier, median_survival, survival_at
from advocacy.store.tables import Customer, Order

DEFINITIONS = ("contract", "inactivity")
SURVIVAL_MONTHS = (3, 6, 12, 24)
DAYS_PER_MONTH = 365.2425 / 12
_US = "datetime64[us]"
_DAY = np.timedelta64(1, "D").astype("timedelta64[us]")


@dataclass(frozen=True, slots=True)
class ChurnHistory:
    """Who was a customer when, as arrays: one row per customer (or activity spell).

    ``first`` marks each customer's first row: the survival curve follows each customer once,
    from their first start to their first loss.
    """

    definition: str
    starts: npt.NDArray[np.datetime64]
    ends: npt.NDArray[np.datetime64]
    first: npt.NDArray[np.bool_]
    without_start: int
    inactive_days: int | None


def default_definition(engine: Engine) -> str:
    """``contract`` when any customer has a ``churned_at``, otherwise ``inactivity``."""
    c = Customer.__table__.c
    with engine.connect() as connection:
        contractual = connection.scalar(select(exists().where(c.churned_at.is_not(None))))
    return "contract" if contractual else "inactivity"


def _rows(engine: Engine, query: Any, schema: dict[str, Any]) -> pl.DataFrame:
    with engine.connect() as connection:
        rows = connection.execute(query).fetchall()
    return pl.DataFrame(rows, schema=schema, orient="row")


def _datetimes(column: pl.Series) -> npt.NDArray[np.datetime64]:
    return np.asarray(column.to_numpy(), dtype=_US)


def load_history(
    engine: Engine,
    *,
    as_of: dt.datetime,
    definition: str | None = None,
    inactive_days: int = DEFAULT_INACTIVE_DAYS,
    segment: str | None = None,
    country: str | None = None,
) -> ChurnHistory:
    """The customers' starts and ends under ``definition`` (the default one when None), of the
    customers of one ``segment`` and ``country`` when given."""
    definition = definition or default_definition(engine)
    if definition not in DEFINITIONS:
        raise InvalidInput(f"unknown churn definition {definition!r}: use contract or inactivity")
    c, o = Customer.__table__.c, Order.__table__.c
    chosen = [
        column == value
        for column, value in ((c.segment, segment), (c.country, country))
        if value is not None
    ]
    if definition == "inactivity":
        query = select(o.customer_id, o.ordered_at).where(o.ordered_at <= as_of)
        if chosen:
            query = query.join(Customer.__table__, c.id == o.customer_id).where(*chosen)
        orders = _rows(
            engine,
            query,
            {"customer_id": pl.Int64, "ordered_at": pl.Datetime("us")},
        )
        spells = activity_spells(
            orders["customer_id"].to_numpy(),
            _datetimes(orders["ordered_at"]),
            inactive_days=inactive_days,
            as_of=as_of,
        )
        ids = spells["customer_id"].to_numpy()
        first = np.ones(ids.size, dtype=bool)
        first[1:] = ids[1:] != ids[:-1]  # spells come sorted by customer, then start
        return ChurnHistory(
            definition,
            np.asarray(spells["start"].to_numpy(), dtype=_US),
            np.asarray(spells["end"].to_numpy(), dtype=_US),
            first,
            0,
            inactive_days,
        )
    # The first order is looked up (by index) only for customers without acquired_at.
    first_order = select(func.min(o.ordered_at)).where(o.customer_id == c.id).scalar_subquery()
    customers = _rows(
        engine,
        select(func.coalesce(c.acquired_at, first_order).label("start"), c.churned_at).where(
            *chosen
        ),
        {"start": pl.Datetime("us"), "churned_at": pl.Datetime("us")},
    )
    # A first order after the cancellation still means a customer until the cancellation.
    known = customers.with_columns(pl.min_horizontal("start", "churned_at").alias("start"))
    known = known.filter(pl.col("start").is_not_null())
    return ChurnHistory(
        definition,
        _datetimes(known["start"]),
        _datetimes(known["churned_at"]),
        np.ones(known.height, dtype=bool),
        customers.height - known.height,
        None,
    )


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _survival(history: ChurnHistory, as_of: np.datetime64) -> dict[str, Any]:
    """Kaplan–Meier of tenure in days: lost is the event, still a customer at ``as_of`` censored."""
    starts, ends = history.starts[history.first], history.ends[history.first]
    began = starts <= as_of
    starts, ends = starts[began], ends[began]
    lost = ~np.isnat(ends) & (ends <= as_of)
    stop = np.where(lost, ends, as_of)
    days = (stop - starts) / _DAY
    table = kaplan_meier(days, lost)
    asked = [months * DAYS_PER_MONTH for months in SURVIVAL_MONTHS]
    points: dict[Any, list[Any]] = survival_at(table, asked).to_dict("list")
    return {
        "customers": int(starts.size),
        "lost": int(lost.sum()),
        "median_days": _number(median_survival(table)),
        "points": [
            {
                "months": months,
                "days": round(float(points["time"][i]), 1),
                **{name: _number(points[name][i]) for name in ("survival", "ci_low", "ci_high")},
            }
            for i, months in enumerate(SURVIVAL_MONTHS)
        ],
    }


def _iso(value: dt.datetime | np.datetime64) -> str:
    stamp = value if isinstance(value, dt.datetime) else value.astype(_US).item()
    return str(stamp.isoformat())


def churn_report(
    engine: Engine,
    *,
    as_of: dt.datetime | None = None,
    months: int = 12,
    definition: str | None = None,
    inactive_days: int = DEFAULT_INACTIVE_DAYS,
    segment: str | None = None,
    country: str | None = None,
) -> dict[str, Any]:
    """The catalogue's churn over the ``months`` up to ``as_of`` (default now, UTC), of the
    customers of one ``segment`` and ``country`` when given.

    Returns a JSON-ready dictionary (dates as ISO 8601 text, missing numbers as None):
    ``churn_rate``, ``lost``, ``average_customers``, ``window_start``, ``window_end``,
    ``months``, ``definition``, ``inactive_days`` (inactivity only), ``customers`` (customers or
    spells counted), ``without_start``, ``boundaries`` (active customers at each month boundary),
    ``monthly`` (the calendar months of the window, the last one up to ``as_of``) and
    ``survival`` (Kaplan–Meier of tenure at 3, 6, 12 and 24 months, with its 95 % band) and
    ``cohorts`` (per acquisition month, the share still customers 0, 1, 2, … months later).
    """
    if as_of is None:
        as_of = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    elif as_of.tzinfo is not None:
        as_of = as_of.astimezone(dt.UTC).replace(tzinfo=None)
    end = as_instant(as_of)
    history = load_history(
        engine,
        as_of=as_of,
        definition=definition,
        inactive_days=inactive_days,
        segment=segment,
        country=country,
    )
    result = churn_rate(
        history.starts, history.ends, as_of=end, months=months, definition=history.definition
    )
    last_month = month_start(np.array([end - np.timedelta64(1, "us")]))  # as_of at 0:00 on the 1st
    first_month = add_months(last_month, -(months - 1))[0]  # closes the month before
    monthly = monthly_churn(history.starts, history.ends, start=first_month, end=end)
    report: dict[str, Any] = {
        "churn_rate": _number(result.churn_rate),
        "lost": result.lost,
        "average_customers": result.average_customers,
        "window_start": _iso(result.window_start),
        "window_end": _iso(result.window_end),
        "months": result.months,
        "definition": history.definition,
    }
    if history.inactive_days is not None:
        report["inactive_days"] = history.inactive_days
    report["customers"] = int(history.starts.size)
    report["without_start"] = history.without_start
    report["boundaries"] = [
        {"at": _iso(at), "active": count}
        for at, count in zip(result.boundaries, result.boundary_counts, strict=True)
    ]
    series: dict[Any, list[Any]] = monthly.to_dict("list")
    report["monthly"] = [
        {
            "month": series["month"][i].date().isoformat(),
            **{name: int(series[name][i]) for name in ("active_at_start", "acquired", "lost")},
            "churn_rate": _number(series["churn_rate"][i]),
            "complete": bool(series["complete"][i]),
        }
        for i in range(len(monthly))
    ]
    report["survival"] = _survival(history, end)
    report["cohorts"] = _cohorts(history, end)
    return report


def _cohorts(history: ChurnHistory, as_of: np.datetime64) -> list[dict[str, Any]]:
    """Retention by acquisition month: each customer's first start and first end."""
    matrix = cohort_retention(
        history.starts[history.first], history.ends[history.first], as_of=as_of
    )
    ages = [column for column in matrix.columns if isinstance(column, int | np.integer)]
    return [
        {
            "cohort": row["cohort"].date().isoformat(),
            "size": int(row["size"]),
            "retention": [_number(float(row[age])) for age in ages],
        }
        for _, row in matrix.iterrows()
    ]
