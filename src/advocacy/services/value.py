"""Customer value from the catalogue: the articles' CLV per customer, RFM segments, value tiers.

What each number means, as an analyst can check it by hand:

- **Orders that count** are those placed at or before ``as_of`` that were neither cancelled nor
  returned (an order without a status counts).
- **Currency.** Amounts of different currencies are never added. Each customer is valued in their
  *dominant currency*: the one of most of their counted orders (a tie goes to the currency of the
  latest order, then to the first code alphabetically). Orders in another currency count for
  activity (tenure, recency) but not for revenue; ``other_currency_orders`` says how many there
  were. Orders without a currency are in ``XXX``, ISO 4217's "no currency". The acquisition cost
  is taken to be in the customer's dominant currency. Tiers, totals and means are per currency.
- **Yearly revenue** is the customer's average yearly revenue: revenue of their counted orders in
  their currency ÷ their tenure in years, a tenure shorter than a year counting as one year (a
  customer of one month is not extrapolated ×12). Tenure runs from acquisition (or the first
  order, if earlier or if the acquisition date is unknown) to ``as_of``, or to the cancellation of
  the contract when ``churned_at`` is earlier; years are 365.25 days.
- **Expected lifespan** is ``lifespan_years`` when given, else 1 ÷ the annual churn rate, at most
  :data:`~advocacy.metrics.clv_simple.MAX_LIFESPAN_YEARS` (when hardly anyone churns). The churn
  rate is the company's (all currencies), as ``advocacy churn`` computes it.
- **Acquisition cost** comes from the customer record, 0 when unknown
  (``acquisition_cost_known`` is then false).
- **CLV** = yearly revenue × expected lifespan − acquisition cost; it can be negative. A customer
  whose contract was cancelled (``churned_at`` at or before ``as_of``) has a known lifespan, their
  tenure (at least a year, as above), so their CLV is the revenue they brought − the acquisition
  cost. Customers lost by inactivity are not known to be gone and keep the expected lifespan.
- Customers without counted orders have no currency and no CLV: they are counted as
  ``customers_without_orders``, with the segment "No orders" and the tier "none".
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import polars as pl
from sqlalchemy import Engine, select

from advocacy.errors import InvalidInput
from advocacy.metrics.churn import DEFAULT_INACTIVE_DAYS, churn_rate
from advocacy.metrics.clv_simple import (
    MAX_LIFESPAN_YEARS,
    MIN_TENURE_YEARS,
    average_yearly_revenue,
    customer_clv,
    expected_lifespan,
)
from advocacy.metrics.segments import NO_ORDERS, NO_TIER, SEGMENTS, TIERS, rfm_scores, value_tiers
from advocacy.services.churn import load_history
from advocacy.store.tables import Customer, Order

NOT_COUNTED = ("cancelled", "returned")
NO_CURRENCY = "XXX"  # ISO 4217: "no currency involved"
INACTIVE_DAYS = DEFAULT_INACTIVE_DAYS
DAYS_PER_YEAR = 365.25
DEFAULT_LIMIT = 10

DEFINITIONS = {
    "clv": "yearly revenue × expected lifespan − acquisition cost (the articles' formula)",
    "yearly_revenue": "revenue of orders neither cancelled nor returned, in the customer's "
    f"currency, ÷ tenure in years (at least {MIN_TENURE_YEARS:g})",
    "lifespan_years": "given, else 1 ÷ annual churn rate, at most the maximum lifespan; for a "
    "cancelled contract, the customer's tenure (at least 1 year)",
    "annual_churn_rate": "customers lost in the 12 months before as_of ÷ the mean of the active "
    "customers at the 13 month boundaries; lost = contract cancelled (churned_at) when any "
    f"customer has one, else {INACTIVE_DAYS} days without an order",
    "acquisition_cost": "from the customer record, 0 when unknown",
    "currency": "each customer's dominant order currency; amounts of different currencies are "
    "never added",
    "tiers": "by CLV within each currency: top 10 % top, next 20 % high, the rest standard",
    "rfm": "recency, frequency, monetary scores 1–5 by quintile within each currency, 5 best",
}


@dataclass(frozen=True, slots=True)
class ChurnEstimate:
    """The articles' annual churn rate at ``window_end``, with its parts."""

    rate: float | None
    lost: int
    average_customers: float
    definition: str  # "contract" or "inactivity"
    window_start: dt.datetime
    window_end: dt.datetime

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _annual_churn(engine: Engine, as_of: dt.datetime) -> ChurnEstimate:
    """The articles' churn rate over the 12 months before ``as_of``, as ``advocacy churn``
    computes it (same definitions, same numbers)."""
    history = load_history(engine, as_of=as_of)
    result = churn_rate(
        history.starts, history.ends, as_of=as_of, months=12, definition=history.definition
    )
    rate = result.churn_rate if math.isfinite(result.churn_rate) else None
    return ChurnEstimate(
        rate=rate,
        lost=result.lost,
        average_customers=result.average_customers,
        definition=history.definition,
        window_start=result.window_start,
        window_end=result.window_end,
    )


def load_customers_and_orders(engine: Engine) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Every customer (id, start, cancellation, acquisition cost) and every order, as polars."""
    c, o = Customer.__table__.c, Order.__table__.c
    with engine.connect() as connection:
        customers = connection.execute(
            select(c.id, c.external_id, c.acquired_at, c.churned_at, c.acquisition_cost)
        ).fetchall()
        orders = connection.execute(
            select(o.customer_id, o.ordered_at, o.amount, o.currency, o.status)
        ).fetchall()
    customer_schema: dict[str, pl.DataType] = {
        "id": pl.Int64(),
        "customer_id": pl.String(),
        "acquired_at": pl.Datetime("us"),
        "churned_at": pl.Datetime("us"),
        "acquisition_cost": pl.Float64(),
    }
    order_schema: dict[str, pl.DataType] = {
        "id": pl.Int64(),
        "ordered_at": pl.Datetime("us"),
        "amount": pl.Float64(),
        "currency": pl.String(),
        "status": pl.String(),
    }
    return (
        pl.DataFrame(customers, schema=customer_schema, orient="row"),
        pl.DataFrame(orders, schema=order_schema, orient="row"),
    )


@dataclass(frozen=True, slots=True)
class CustomerValues:
    """One row per customer with their value (``table``), and how the lifespan was chosen."""

    table: pl.DataFrame
    as_of: dt.datetime
    lifespan_years: float
    lifespan_source: str  # "given", "churn rate" or "maximum"
    churn: ChurnEstimate | None


def customer_values(
    engine: Engine,
    *,
    as_of: dt.datetime | None = None,
    lifespan_years: float | None = None,
    currency: str | None = None,
    max_lifespan_years: float = MAX_LIFESPAN_YEARS,
) -> CustomerValues:
    """Every customer's CLV, RFM scores, segment and value tier at ``as_of`` (default now).

    The columns of ``table``: ``customer_id``, ``currency``, ``orders``, ``revenue``,
    ``other_currency_orders``, ``first_order_at``, ``last_order_at``, ``tenure_years``,
    ``yearly_revenue``, ``lifespan_years``, ``acquisition_cost``, ``acquisition_cost_known``,
    ``churned``, ``clv``, ``tier``, ``recency_days``, ``r``, ``f``, ``m``, ``rfm``,
    ``segment``. With ``currency`` only that currency's customers are kept (customers without
    orders have none and are left out). The module docstring gives the definitions.
    """
    as_of = as_of or dt.datetime.now(dt.UTC)
    if as_of.tzinfo is not None:  # the catalogue stores naive UTC
        as_of = as_of.astimezone(dt.UTC).replace(tzinfo=None)
    if lifespan_years is not None and not (math.isfinite(lifespan_years) and lifespan_years >= 0):
        raise InvalidInput("the lifespan must be a number of years, 0 or more")
    customers, orders = load_customers_and_orders(engine)
    customers = customers.filter(pl.col("acquired_at").is_null() | (pl.col("acquired_at") <= as_of))
    counted = orders.filter(
        (pl.col("ordered_at") <= as_of)
        & (pl.col("status").is_null() | ~pl.col("status").str.to_lowercase().is_in(NOT_COUNTED))
    ).with_columns(pl.col("currency").fill_null(NO_CURRENCY).str.to_uppercase())
    activity = counted.group_by("id").agg(
        pl.len().alias("all_orders"),
        pl.col("ordered_at").min().alias("first_order_at"),
        pl.col("ordered_at").max().alias("last_order_at"),
    )
    dominant = (
        counted.group_by("id", "currency")
        .agg(
            pl.len().alias("orders"),
            pl.col("amount").sum().alias("revenue"),
            pl.col("ordered_at").max().alias("latest"),
        )
        .sort(["id", "orders", "latest", "currency"], descending=[False, True, True, False])
        .unique(subset="id", keep="first", maintain_order=True)
        .drop("latest")
    )
    table = (
        customers.join(activity, on="id", how="left")
        .join(dominant, on="id", how="left")
        .with_columns(
            pl.col("orders").fill_null(0),
            pl.col("revenue").fill_null(0.0),
            (pl.col("all_orders").fill_null(0) - pl.col("orders").fill_null(0)).alias(
                "other_currency_orders"
            ),
            pl.min_horizontal("acquired_at", "first_order_at").alias("start"),
            (pl.col("churned_at").is_not_null() & (pl.col("churned_at") <= as_of)).alias("churned"),
            pl.col("acquisition_cost").is_not_null().alias("acquisition_cost_known"),
            pl.col("acquisition_cost").fill_null(0.0),
        )
    )
    churn: ChurnEstimate | None = None
    if lifespan_years is not None:
        lifespan, source = float(lifespan_years), "given"
    else:
        churn = _annual_churn(engine, as_of)
        if churn.rate is None or churn.rate == 0:
            lifespan, source = float(max_lifespan_years), "maximum"
        else:
            lifespan = float(expected_lifespan(churn.rate, max_years=max_lifespan_years))
            source = "churn rate" if lifespan < max_lifespan_years else "maximum"
    if currency is not None:
        table = table.filter(pl.col("currency") == currency.strip().upper())
    end = (
        pl.when(pl.col("churned"))
        .then(pl.col("churned_at"))
        .otherwise(pl.lit(as_of, dtype=pl.Datetime("us")))
    )
    table = table.with_columns(
        (
            (pl.max_horizontal(end, pl.col("last_order_at")) - pl.col("start")).dt.total_seconds()
            / (DAYS_PER_YEAR * 86_400)
        ).alias("tenure_years"),
        (
            (pl.lit(as_of, dtype=pl.Datetime("us")) - pl.col("last_order_at")).dt.total_seconds()
            // 86_400
        ).alias("recency_days"),
    ).sort("customer_id")
    return CustomerValues(
        table=_score(table, lifespan),
        as_of=as_of,
        lifespan_years=lifespan,
        lifespan_source=source,
        churn=churn,
    )


def _score(table: pl.DataFrame, lifespan: float) -> pl.DataFrame:
    """Add CLV, tier and RFM columns, vectorised over the customers."""
    buyers = (table["orders"] > 0).to_numpy()
    groups = table["currency"].fill_null("").to_numpy()
    clv = np.full(table.height, np.nan)
    yearly = np.full(table.height, np.nan)
    lifespans = np.full(table.height, lifespan)
    if buyers.any():
        revenue = table["revenue"].to_numpy()[buyers]
        tenure = np.maximum(table["tenure_years"].to_numpy()[buyers], 0.0)
        cost = table["acquisition_cost"].to_numpy()[buyers]
        # A cancelled contract ends the lifetime: its length is known, the tenure (with the same
        # one-year floor), so the CLV is the revenue actually brought − the acquisition cost.
        churned = table["churned"].to_numpy()[buyers]
        lifespans[buyers] = np.where(churned, np.maximum(tenure, MIN_TENURE_YEARS), lifespan)
        clv[buyers] = customer_clv(revenue, tenure, lifespans[buyers], cost)
        yearly[buyers] = average_yearly_revenue(revenue, tenure)
    recency = table["recency_days"].fill_null(0).to_numpy()
    scores = rfm_scores(
        recency, table["orders"].to_numpy(), table["revenue"].to_numpy(), groups=groups
    )
    return table.with_columns(
        pl.Series("yearly_revenue", yearly, nan_to_null=True),
        pl.Series("lifespan_years", lifespans),
        pl.Series("clv", clv, nan_to_null=True),
        pl.Series("tier", value_tiers(clv, groups=groups)),
        pl.Series("r", scores.recency),
        pl.Series("f", scores.frequency),
        pl.Series("m", scores.monetary),
        pl.Series("rfm", scores.code),
        pl.Series("segment", scores.segment),
    ).select(
        "customer_id", "currency", "orders", "revenue", "other_currency_orders",
        "first_order_at", "last_order_at", "tenure_years", "yearly_revenue", "lifespan_years",
        "acquisition_cost", "acquisition_cost_known", "churned", "clv", "tier",
        "recency_days", "r", "f", "m", "rfm", "segment",
    )  # fmt: skip


def _money(value: Any) -> float | None:
    return None if value is None else round(float(value), 2)


def _customer_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "customer_id": row["customer_id"],
        "currency": row["currency"],
        "clv": _money(row["clv"]),
        "yearly_revenue": _money(row["yearly_revenue"]),
        "revenue": _money(row["revenue"]),
        "orders": row["orders"],
        "other_currency_orders": row["other_currency_orders"],
        "tenure_years": None if row["tenure_years"] is None else round(row["tenure_years"], 3),
        "lifespan_years": round(row["lifespan_years"], 3),
        "acquisition_cost": _money(row["acquisition_cost"]),
        "acquisition_cost_known": row["acquisition_cost_known"],
        "churned": row["churned"],
        "tier": row["tier"],
        "recency_days": None if row["recency_days"] is None else int(row["recency_days"]),
        "rfm": row["rfm"],
        "segment": row["segment"],
    }


def _rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return [_customer_row(row) for row in frame.iter_rows(named=True)]


def _by_clv(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(["clv", "customer_id"], descending=[True, False], nulls_last=True)


def _header(values: CustomerValues, currency: str | None) -> dict[str, Any]:
    churn = values.churn
    return {
        "as_of": values.as_of,
        "currency": currency.strip().upper() if currency else None,
        "lifespan_years": round(values.lifespan_years, 4),
        "lifespan_source": values.lifespan_source,
        "max_lifespan_years": MAX_LIFESPAN_YEARS,
        "annual_churn_rate": None if churn is None or churn.rate is None else churn.rate,
        "churn": None if churn is None else churn.as_dict(),
    }


def _currencies(table: pl.DataFrame) -> list[str]:
    counts = table.filter(pl.col("currency").is_not_null()).group_by("currency").len()
    ordered = counts.sort(["len", "currency"], descending=[True, False])
    return [str(code) for code in ordered["currency"]]


def clv_report(
    engine: Engine,
    *,
    as_of: dt.datetime | None = None,
    lifespan_years: float | None = None,
    currency: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """The articles' CLV per currency: summaries and the ``limit`` most valuable customers.

    Returns a JSON-ready dictionary: ``model``, ``as_of``, ``currency`` (the filter),
    ``lifespan_years`` and ``lifespan_source``, ``annual_churn_rate`` and ``churn`` (its parts;
    null when the lifespan is given), ``customers``, ``customers_without_orders``,
    ``definitions``, and ``currencies``: one summary per currency (``currency``, ``customers``,
    ``total_clv``, ``mean_clv``, ``median_clv``, ``total_revenue``, ``mean_yearly_revenue``,
    ``lifespan_years``, ``annual_churn_rate``, ``acquisition_cost_known``, ``negative_clv``,
    ``churned``, ``tiers``, ``top_customers``). Every money value is in the currency named
    beside it.
    """
    values = customer_values(engine, as_of=as_of, lifespan_years=lifespan_years, currency=currency)
    table = values.table
    header = _header(values, currency)
    summaries = []
    for code in _currencies(table):
        group = table.filter(pl.col("currency") == code)
        tiers = group.group_by("tier").len()
        summaries.append(
            {
                "currency": code,
                "customers": group.height,
                "total_clv": _money(group["clv"].sum()),
                "mean_clv": _money(group["clv"].mean()),
                "median_clv": _money(group["clv"].median()),
                "total_revenue": _money(group["revenue"].sum()),
                "mean_yearly_revenue": _money(group["yearly_revenue"].mean()),
                "lifespan_years": header["lifespan_years"],
                "annual_churn_rate": header["annual_churn_rate"],
                "acquisition_cost_known": int(group["acquisition_cost_known"].sum()),
                "negative_clv": int((group["clv"] < 0).sum()),
                "churned": int(group["churned"].sum()),
                "tiers": {
                    tier: int(tiers.filter(pl.col("tier") == tier)["len"].sum()) for tier in TIERS
                },
                "top_customers": _rows(_by_clv(group).head(limit)),
            }
        )
    return {
        "model": "simple",
        **header,
        "customers": int(table["currency"].is_not_null().sum()),
        "customers_without_orders": int(table["currency"].is_null().sum()),
        "definitions": DEFINITIONS,
        "currencies": summaries,
    }


def segments_report(
    engine: Engine,
    *,
    as_of: dt.datetime | None = None,
    currency: str | None = None,
    lifespan_years: float | None = None,
    clv_model: str = "simple",
    horizon_months: int | None = None,
    discount_rate: float | None = None,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """RFM segments and CLV value tiers: how many customers in each, and the first ``limit``.

    The tiers rank the articles' simple CLV (``clv_model="simple"``), or the CLV of a purchase
    model × Gamma-Gamma spend over ``horizon_months`` discounted at ``discount_rate``
    (``"bgnbd"``, ``"paretonbd"``; see :mod:`advocacy.services.clv_models`): the customers of a
    currency whose spend model could not be fitted then have no CLV and the tier "none".

    Returns a JSON-ready dictionary: ``as_of``, ``currency`` (the filter), the lifespan and churn
    used for the simple CLV, ``clv_model`` (``model``, and for the probabilistic models
    ``horizon_months``, ``annual_discount_rate``, ``purchase_model``, ``spend_models``,
    ``skipped_currencies``), ``customers``, ``customers_without_orders``, ``segments`` (each RFM
    segment with ``customers``, ``share`` and its best ``top_customers`` by RFM score, then
    recency), and ``currencies``: per currency the ``segments`` counts and the ``tiers``
    (``tier``, ``customers``, ``min_clv``, ``max_clv``, ``total_clv``, ``share_of_clv`` and the
    ``top_customers`` by CLV).
    """
    values = customer_values(engine, as_of=as_of, lifespan_years=lifespan_years, currency=currency)
    table = values.table
    model_info: dict[str, Any] = {"model": "simple"}
    if clv_model != "simple":
        table, model_info = _with_model_clv(
            engine, values, clv_model, horizon_months, discount_rate, currency
        )
    elif horizon_months is not None or discount_rate is not None:
        raise InvalidInput("a horizon and a discount rate are for the bgnbd and paretonbd models")
    table = table.with_columns(
        (pl.col("r").cast(pl.Int32) + pl.col("f") + pl.col("m")).alias("score")
    )
    total = table.height
    segments = []
    for name in SEGMENTS:
        members = table.filter(pl.col("segment") == name)
        if members.height == 0:
            continue
        best = members.sort(
            ["score", "recency_days", "customer_id"],
            descending=[True, False, False],
            nulls_last=True,
        )
        segments.append(
            {
                "segment": name,
                "customers": members.height,
                "share": members.height / total if total else None,
                "top_customers": _rows(best.head(limit)),
            }
        )
    currencies = []
    for code in _currencies(table):
        group = table.filter(pl.col("currency") == code)
        group_total = float(group["clv"].sum())
        tiers = []
        for tier in TIERS:
            members = group.filter(pl.col("tier") == tier)
            tier_total = float(members["clv"].sum())
            tiers.append(
                {
                    "tier": tier,
                    "customers": members.height,
                    "min_clv": _money(members["clv"].min()),
                    "max_clv": _money(members["clv"].max()),
                    "total_clv": _money(tier_total),
                    "share_of_clv": tier_total / group_total if group_total > 0 else None,
                    "top_customers": _rows(_by_clv(members).head(limit)),
                }
            )
        counts = group.group_by("segment").len()
        currencies.append(
            {
                "currency": code,
                "customers": group.height,
                "segments": {
                    str(row["segment"]): int(row["len"])
                    for row in counts.sort(["len", "segment"], descending=[True, False]).iter_rows(
                        named=True
                    )
                },
                "tiers": tiers,
            }
        )
    without = int(table["currency"].is_null().sum())
    return {
        **_header(values, currency),
        "clv_model": model_info,
        "customers": total - without,
        "customers_without_orders": without,
        "no_orders": {"segment": NO_ORDERS, "tier": NO_TIER, "customers": without},
        "definitions": DEFINITIONS,
        "segments": segments,
        "currencies": currencies,
    }


def _with_model_clv(
    engine: Engine,
    values: CustomerValues,
    model: str,
    horizon_months: int | None,
    discount_rate: float | None,
    currency: str | None,
) -> tuple[pl.DataFrame, dict[str, Any]]:
    """``values.table`` with the model CLV in ``clv`` and the tiers ranked on it."""
    from advocacy.services import clv_models  # the models load only when asked

    modelled = clv_models.model_customer_values(
        engine,
        model=model,
        as_of=values.as_of,
        horizon_months=clv_models.DEFAULT_HORIZON_MONTHS
        if horizon_months is None
        else horizon_months,
        discount_rate=clv_models.DEFAULT_DISCOUNT_RATE if discount_rate is None else discount_rate,
        currency=currency,
    )
    model_clv = pl.DataFrame(
        {
            "customer_id": [str(key) for key in modelled.table.index],
            "model_clv": modelled.table["clv"].to_numpy(dtype=np.float64),
        }
    )
    table = (
        values.table.drop("clv", "tier")
        .join(model_clv, on="customer_id", how="left")
        .rename({"model_clv": "clv"})
        .with_columns(pl.col("clv").fill_nan(None))
    )
    clv = table["clv"].to_numpy().astype(np.float64)
    tiers = value_tiers(clv, groups=table["currency"].fill_null("").to_numpy())
    table = table.with_columns(pl.Series("tier", tiers)).select(values.table.columns)
    info = {
        "model": model,
        "horizon_months": modelled.horizon_months,
        "annual_discount_rate": modelled.discount_rate,
        "purchase_model": modelled.purchase_model,
        "spend_models": modelled.spend_models,
        "skipped_currencies": modelled.skipped_currencies,
    }
    return table, info
