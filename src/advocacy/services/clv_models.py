"""Probabilistic CLV from the catalogue: BG/NBD or Pareto/NBD purchases × Gamma-Gamma spend.

What each number means:

- **Orders that count** are those placed at or before ``as_of`` that were neither cancelled nor
  returned (as for the simple CLV, :mod:`advocacy.services.value`).
- **Purchase model.** Each customer's repeat purchases (``frequency``), time from the first to the
  last purchase (``recency``) and from the first purchase to ``as_of`` (``T``) are counted in
  days, purchases on the same day counting as one (``rfm_summary(freq="D")``), over all their
  orders whatever the currency: how often someone buys does not depend on the money. The BG/NBD
  (or Pareto/NBD) model is fitted on all customers with counted orders.
- **Spend model, per currency.** Amounts of different currencies are never added. Each customer
  is valued in their dominant currency (the one of most of their counted orders, a tie going to
  the currency of the latest order, then alphabetically, as in the simple CLV), and a
  Gamma-Gamma model is fitted per currency on the customers of that currency with repeat
  purchases in it (their mean repeat spend in that currency). A currency with fewer than
  :data:`MIN_REPEAT_BUYERS` such customers is skipped, and listed in ``skipped_currencies``.
- **CLV** over the horizon = Σ over months k of the expected purchases in month k × the expected
  spend ÷ (1 + monthly discount)^k, the annual rate converted to a monthly one
  (:func:`advocacy.clv.prediction.customer_lifetime_value`, a discrete approximation of Fader,
  Hardie & Lee's discounted expected transactions). A point estimate: no per-customer interval
  is given; the models' parameters come with standard errors.
"""

from __future__ import annotations

import datetime as dt
import importlib
import math
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd
import polars as pl
from sqlalchemy import Engine

from advocacy.clv.bgnbd import BetaGeo
from advocacy.clv.fitting import FloatArray, MaximumLikelihoodModel
from advocacy.clv.gamma_gamma import GammaGamma
from advocacy.clv.prediction import customer_lifetime_value, monthly_discount_rate
from advocacy.clv.rfm import rfm_summary
from advocacy.errors import InvalidInput
from advocacy.services.value import NO_CURRENCY, NOT_COUNTED, load_customers_and_orders

MODELS = ("bgnbd", "paretonbd")
MODEL_NAMES = {"bgnbd": "BG/NBD", "paretonbd": "Pareto/NBD"}
DEFAULT_HORIZON_MONTHS = 12
DEFAULT_DISCOUNT_RATE = 0.1
DEFAULT_LIMIT = 10
#: The fewest customers with repeat purchases in a currency to fit its Gamma-Gamma model.
MIN_REPEAT_BUYERS = 20

DEFINITIONS = {
    "time_unit": "days; purchases on the same day count as one",
    "frequency": "repeat purchases: distinct purchase days − 1, over all currencies",
    "recency_days": "days from the first to the last purchase",
    "T_days": "days from the first purchase to as_of",
    "probability_alive": "the purchase model's probability that the customer still buys",
    "expected_purchases": "the purchase model's expected purchases over the horizon",
    "expected_spend": "Gamma-Gamma expected value per purchase, in the customer's currency",
    "clv": "Σ over months k of expected purchases in month k × expected spend ÷ (1 + monthly "
    "discount)^k; monthly discount = (1 + annual rate)^(1/12) − 1; a point estimate, no interval",
    "currency": "each customer's dominant order currency; amounts of different currencies are "
    "never added",
}


class PurchaseFitter(Protocol):
    """What the report needs of a purchase model: BG/NBD's interface."""

    params_: dict[str, float]
    standard_errors_: dict[str, float]
    log_likelihood_: float
    n_: int

    # Positional-only: the models name the age ``T``, as the papers do.
    def fit(
        self, frequency: npt.ArrayLike, recency: npt.ArrayLike, age: npt.ArrayLike, /
    ) -> object: ...

    def probability_alive(
        self, frequency: npt.ArrayLike, recency: npt.ArrayLike, age: npt.ArrayLike, /
    ) -> FloatArray: ...

    def conditional_expected_purchases(
        self,
        t: npt.ArrayLike,
        frequency: npt.ArrayLike,
        recency: npt.ArrayLike,
        age: npt.ArrayLike,
        /,
    ) -> FloatArray: ...


def purchase_model(name: str) -> PurchaseFitter:
    """An unfitted purchase model by its CLI name; a clear error when it is not available."""
    if name == "bgnbd":
        return BetaGeo()
    if name == "paretonbd":
        try:
            module = importlib.import_module("advocacy.clv.paretonbd")
            model: PurchaseFitter = module.ParetoNBD()
        except (ImportError, AttributeError) as error:
            raise InvalidInput(
                "the Pareto/NBD model is not available yet; use --model bgnbd"
            ) from error
        return model
    raise InvalidInput(f"unknown model {name!r}; choose one of {', '.join(MODELS)}")


def _counted_orders(engine: Engine, as_of: dt.datetime) -> pd.DataFrame:
    """The counted orders: ``customer`` (external id), ``ordered_at``, ``amount``, ``currency``."""
    customers, orders = load_customers_and_orders(engine)
    counted = (
        orders.filter(
            (pl.col("ordered_at") <= as_of)
            & (pl.col("status").is_null() | ~pl.col("status").str.to_lowercase().is_in(NOT_COUNTED))
        )
        .with_columns(
            pl.col("currency").fill_null(NO_CURRENCY).str.to_uppercase(),
            pl.col("amount").fill_null(0.0),
        )
        .join(customers.select("id", "customer_id"), on="id", how="inner")
    )
    return pd.DataFrame(
        {
            "customer": counted["customer_id"].to_list(),
            "ordered_at": pd.to_datetime(counted["ordered_at"].to_list()),
            "amount": counted["amount"].to_list(),
            "currency": counted["currency"].to_list(),
        }
    )


def _dominant_currency(orders: pd.DataFrame) -> pd.Series:
    """Each customer's currency: most orders, then the latest order, then alphabetical."""
    per = (
        orders.groupby(["customer", "currency"])
        .agg(orders=("amount", "size"), latest=("ordered_at", "max"))
        .reset_index()
        .sort_values(
            ["customer", "orders", "latest", "currency"], ascending=[True, False, False, True]
        )
        .drop_duplicates("customer")
    )
    return per.set_index("customer")["currency"]


def _model_info(model: PurchaseFitter | MaximumLikelihoodModel, name: str) -> dict[str, Any]:
    return {
        "name": name,
        "params": dict(model.params_),
        "standard_errors": {
            key: (value if math.isfinite(value) else None)
            for key, value in model.standard_errors_.items()
        },
        "log_likelihood": model.log_likelihood_,
        "customers": model.n_,
    }


def _money(value: float) -> float:
    return round(float(value), 2)


@dataclass(frozen=True)
class ModelValues:
    """Every customer's model CLV with the fitted models behind it.

    ``table`` is indexed by customer id with ``frequency``, ``recency``, ``T`` (days),
    ``probability_alive``, ``expected_purchases``, ``currency``, ``expected_spend`` and ``clv``
    (NaN for the customers of a skipped currency).
    """

    table: pd.DataFrame
    as_of: dt.datetime
    horizon_months: int
    discount_rate: float
    purchase_model: dict[str, Any]
    spend_models: list[dict[str, Any]]
    skipped_currencies: list[dict[str, Any]]


def model_customer_values(
    engine: Engine,
    *,
    model: str = "bgnbd",
    as_of: dt.datetime | None = None,
    horizon_months: int = DEFAULT_HORIZON_MONTHS,
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
    currency: str | None = None,
) -> ModelValues:
    """Fit the purchase model and each currency's spend model; every customer's model CLV.

    With ``currency`` only that currency's spend model is fitted and only its customers are
    kept (the purchase model is always fitted on every customer). The module docstring gives
    the definitions.
    """
    fitter = purchase_model(model)
    if isinstance(horizon_months, bool) or horizon_months < 1:
        raise InvalidInput("the horizon must be a whole number of months, 1 or more")
    monthly_discount_rate(discount_rate)
    if discount_rate < 0:
        raise InvalidInput("the discount rate cannot be negative")
    as_of = as_of or dt.datetime.now(dt.UTC)
    if as_of.tzinfo is not None:  # the catalogue stores naive UTC
        as_of = as_of.astimezone(dt.UTC).replace(tzinfo=None)
    wanted = currency.strip().upper() if currency else None
    orders = _counted_orders(engine, as_of)
    if orders.empty:
        raise InvalidInput(f"no counted orders at or before {as_of.date()}: nothing to model")

    rfm = rfm_summary(orders, "customer", "ordered_at", observation_end=as_of, freq="D")
    fitter.fit(rfm["frequency"], rfm["recency"], rfm["T"])
    horizon = horizon_months * 365.25 / 12
    frequency, recency, age = (rfm[name].to_numpy() for name in ("frequency", "recency", "T"))
    rfm["probability_alive"] = fitter.probability_alive(frequency, recency, age)
    rfm["expected_purchases"] = fitter.conditional_expected_purchases(
        horizon, frequency, recency, age
    )
    rfm["currency"] = _dominant_currency(orders).reindex(rfm.index)
    rfm["expected_spend"] = np.nan
    rfm["clv"] = np.nan
    if wanted is not None:
        rfm = rfm[rfm["currency"] == wanted].copy()

    spend_models: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    counts = rfm["currency"].value_counts()
    for code in sorted(counts.index, key=lambda code: (-int(counts[code]), str(code))):
        members = rfm.index[rfm["currency"] == code]
        own = orders[(orders["currency"] == code) & orders["customer"].isin(members)]
        spend = rfm_summary(
            own, "customer", "ordered_at", "amount", observation_end=as_of, freq="D"
        ).reindex(members)
        repeat = spend[(spend["frequency"] > 0) & (spend["monetary_value"] > 0)]
        problem = None
        if len(repeat) < MIN_REPEAT_BUYERS:
            problem = (
                f"fewer than {MIN_REPEAT_BUYERS} customers with repeat purchases "
                "in this currency to fit its spend model"
            )
        else:
            own_frequency = spend["frequency"].to_numpy()
            own_spend = np.where(own_frequency > 0, spend["monetary_value"].to_numpy(), 0.0)
            spender = GammaGamma()
            try:
                spender.fit(repeat["frequency"], repeat["monetary_value"])
                expected_spend = spender.conditional_expected_average_profit(
                    own_frequency, np.maximum(own_spend, 0.0)
                )
            except InvalidInput as error:  # e.g. q ≤ 1: the fitted mean spend is infinite
                problem = str(error)
        if problem is not None:
            skipped.append(
                {
                    "currency": code,
                    "customers": len(members),
                    "repeat_buyers": len(repeat),
                    "reason": problem,
                }
            )
            continue
        spend_models.append({"currency": code, **_model_info(spender, "Gamma-Gamma")})
        group = rfm.loc[members]
        rfm.loc[members, "expected_spend"] = expected_spend
        rfm.loc[members, "clv"] = customer_lifetime_value(
            fitter,
            group["frequency"].to_numpy(),
            group["recency"].to_numpy(),
            group["T"].to_numpy(),
            expected_spend,
            horizon_months=horizon_months,
            annual_discount_rate=discount_rate,
            freq_days=1.0,
        )
    return ModelValues(
        table=rfm,
        as_of=as_of,
        horizon_months=horizon_months,
        discount_rate=discount_rate,
        purchase_model=_model_info(fitter, MODEL_NAMES[model]),
        spend_models=spend_models,
        skipped_currencies=skipped,
    )


def clv_model_report(
    engine: Engine,
    *,
    model: str = "bgnbd",
    as_of: dt.datetime | None = None,
    horizon_months: int = DEFAULT_HORIZON_MONTHS,
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
    currency: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """CLV over ``horizon_months`` from a purchase model and Gamma-Gamma spend, per currency.

    Returns a JSON-ready dictionary: ``model``, ``as_of``, ``currency`` (the filter),
    ``horizon_months``, ``annual_discount_rate``, ``monthly_discount_rate``, ``time_unit``,
    ``purchase_model`` and ``spend_models`` (per currency: ``name``, ``params``,
    ``standard_errors``, ``log_likelihood``, ``customers`` fitted), ``skipped_currencies``
    (``currency``, ``customers``, ``repeat_buyers``, ``reason``), ``customers``, ``intervals``
    (always null: the point CLV has none), ``definitions`` and ``currencies``: per valued
    currency ``customers``, ``total_clv``, ``mean_clv``, ``mean_probability_alive``,
    ``expected_purchases`` (the total) and the ``limit`` ``top_customers`` by CLV with
    ``frequency``, ``recency_days``, ``T_days``, ``expected_purchases``,
    ``probability_alive``, ``expected_spend`` and ``clv``. The module docstring gives the
    definitions.
    """
    values = model_customer_values(
        engine,
        model=model,
        as_of=as_of,
        horizon_months=horizon_months,
        discount_rate=discount_rate,
        currency=currency,
    )
    table = values.table
    summaries: list[dict[str, Any]] = []
    for info in values.spend_models:
        code = info["currency"]
        group = table[table["currency"] == code]
        top = group.reset_index(names="customer_id").sort_values(
            ["clv", "customer_id"], ascending=[False, True]
        )
        summaries.append(
            {
                "currency": code,
                "customers": len(group),
                "total_clv": _money(group["clv"].sum()),
                "mean_clv": _money(group["clv"].mean()),
                "mean_probability_alive": round(float(group["probability_alive"].mean()), 4),
                "expected_purchases": round(float(group["expected_purchases"].sum()), 2),
                "top_customers": [
                    _top_row(row, code) for row in top.head(limit).to_dict("records")
                ],
            }
        )
    return {
        "model": model,
        "as_of": values.as_of,
        "currency": currency.strip().upper() if currency else None,
        "horizon_months": horizon_months,
        "annual_discount_rate": discount_rate,
        "monthly_discount_rate": monthly_discount_rate(discount_rate),
        "time_unit": "days",
        "purchase_model": values.purchase_model,
        "spend_models": values.spend_models,
        "skipped_currencies": values.skipped_currencies,
        "customers": values.purchase_model["customers"],
        "intervals": None,
        "definitions": DEFINITIONS,
        "currencies": summaries,
    }


def _top_row(row: dict[str, Any], code: str) -> dict[str, Any]:
    return {
        "customer_id": str(row["customer_id"]),
        "currency": code,
        "frequency": int(row["frequency"]),
        "recency_days": float(row["recency"]),
        "T_days": float(row["T"]),
        "expected_purchases": round(float(row["expected_purchases"]), 4),
        "probability_alive": round(float(row["probability_alive"]), 4),
        "expected_spend": _money(row["expected_spend"]),
        "clv": _money(row["clv"]),
    }
