"""The BG/NBD × Gamma-Gamma CLV report on a crafted catalogue, on SQLite and PostgreSQL.

Sixty-eight customers buying over 2024, valued at 2025-01-01: 40 in EUR and 25 in GBP, almost
all with repeat purchases (enough to fit a spend model in each currency), and 3 in MDL, too few to
fit one, so MDL is skipped and said so. One EUR customer also paid once in GBP: that order counts
for how often she buys, never for the money. Cancelled orders and orders after the valuation date
do not count.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest

from advocacy import Catalogue
from advocacy.errors import InvalidInput
from advocacy.services.clv_models import MIN_REPEAT_BUYERS, clv_model_report
from advocacy.services.value import segments_report
from tests import factories

AS_OF = dt.datetime(2025, 1, 1)
START = dt.date(2024, 1, 1)
ORDER_COLUMNS = ("order_id", "customer_id", "ordered_at", "amount", "currency", "status")


def _history() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    rng = random.Random(4)
    plan = [("EUR", 40, 60.0), ("GBP", 25, 900.0), ("MDL", 3, 5_000.0)]
    customers, orders = [], []
    for code, count, price in plan:
        for i in range(count):
            who = f"{code}{i:02d}"
            customers.append({"customer_id": who, "acquired_at": START.isoformat()})
            first = rng.randrange(0, 200)
            days = sorted({first, *(rng.randrange(first, 360) for _ in range(rng.randrange(0, 6)))})
            if i < count - 2:  # all but two buy again
                days = sorted({*days, first + 1 + rng.randrange(0, 150)})
            for day in days:
                orders.append(
                    {
                        "customer_id": who,
                        "ordered_at": (START + dt.timedelta(days=day)).isoformat(),
                        "amount": f"{price * rng.uniform(0.5, 1.5):.2f}",
                        "currency": code,
                        "status": "delivered",
                    }
                )
    orders += [
        {"customer_id": "EUR00", "ordered_at": "2024-12-20", "amount": "99999",
         "currency": "GBP", "status": "delivered"},
        {"customer_id": "EUR01", "ordered_at": "2024-12-21", "amount": "99999",
         "currency": "EUR", "status": "cancelled"},
        {"customer_id": "EUR02", "ordered_at": "2025-02-01", "amount": "99999",
         "currency": "EUR", "status": "delivered"},
    ]  # fmt: skip
    for number, order in enumerate(orders):
        order["order_id"] = f"O{number}"
    return customers, orders


@pytest.fixture
def crafted(catalogue: Catalogue, tmp_path: Path) -> Catalogue:
    customers, orders = _history()
    catalogue.import_file("customers", factories.write_csv(tmp_path / "c.csv", customers))
    catalogue.import_file(
        "orders", factories.write_csv(tmp_path / "o.csv", orders, columns=ORDER_COLUMNS)
    )
    return catalogue


def test_the_report_has_the_models_the_currencies_and_the_top_customers(
    crafted: Catalogue,
) -> None:
    report = clv_model_report(crafted.engine, as_of=AS_OF, limit=5)

    assert report["model"] == "bgnbd"
    assert report["horizon_months"] == 12
    assert report["monthly_discount_rate"] == pytest.approx(1.1 ** (1 / 12) - 1)
    assert report["intervals"] is None
    assert report["customers"] == 68
    purchase = report["purchase_model"]
    assert purchase["name"] == "BG/NBD"
    assert set(purchase["params"]) == {"r", "alpha", "a", "b"}
    assert set(purchase["standard_errors"]) == {"r", "alpha", "a", "b"}
    assert purchase["log_likelihood"] < 0
    assert purchase["customers"] == 68
    assert [m["currency"] for m in report["spend_models"]] == ["EUR", "GBP"]
    for model in report["spend_models"]:
        assert set(model["params"]) == {"p", "q", "v"}
        assert model["customers"] >= MIN_REPEAT_BUYERS
    assert [s["currency"] for s in report["skipped_currencies"]] == ["MDL"]
    assert report["skipped_currencies"][0]["customers"] == 3

    summaries = {s["currency"]: s for s in report["currencies"]}
    assert set(summaries) == {"EUR", "GBP"}
    assert summaries["EUR"]["customers"] == 40
    assert summaries["GBP"]["customers"] == 25
    for code, summary in summaries.items():
        assert summary["total_clv"] > 0
        assert summary["mean_clv"] == pytest.approx(
            summary["total_clv"] / summary["customers"], abs=0.01
        )
        assert 0 <= summary["mean_probability_alive"] <= 1
        top = summary["top_customers"]
        assert len(top) == 5
        assert [row["clv"] for row in top] == sorted((row["clv"] for row in top), reverse=True)
        for row in top:
            assert row["currency"] == code
            assert str(row["customer_id"]).startswith(code)  # currencies never mixed
            assert 0 <= row["probability_alive"] <= 1
            assert row["clv"] >= 0
            assert row["expected_purchases"] >= 0
            assert row["expected_spend"] > 0


def test_amounts_of_other_currencies_are_never_added(crafted: Catalogue) -> None:
    report = clv_model_report(crafted.engine, as_of=AS_OF, limit=40)
    rows: dict[str, dict[str, Any]] = {
        row["customer_id"]: row for s in report["currencies"] for row in s["top_customers"]
    }

    # EUR00's 99,999 GBP order is not EUR; EUR01's cancelled and EUR02's later orders don't count.
    for who in ("EUR00", "EUR01", "EUR02"):
        assert rows[who]["currency"] == "EUR"
        assert rows[who]["expected_spend"] < 1_000
    gbp = {s["currency"]: s for s in report["currencies"]}["GBP"]
    assert all(row["expected_spend"] < 10_000 for row in gbp["top_customers"])


def test_the_currency_filter_the_horizon_and_the_discount_are_honoured(
    crafted: Catalogue,
) -> None:
    base = clv_model_report(crafted.engine, as_of=AS_OF, currency="gbp")
    longer = clv_model_report(crafted.engine, as_of=AS_OF, currency="GBP", horizon_months=24)
    undiscounted = clv_model_report(crafted.engine, as_of=AS_OF, currency="GBP", discount_rate=0)

    assert [s["currency"] for s in base["currencies"]] == ["GBP"]
    assert base["skipped_currencies"] == []
    total = base["currencies"][0]["total_clv"]
    assert longer["currencies"][0]["total_clv"] > total
    assert undiscounted["currencies"][0]["total_clv"] > total
    # the purchase model is fitted on every customer whatever the filter
    assert base["purchase_model"]["customers"] == 68


def test_unknown_or_unavailable_models_and_an_empty_catalogue_are_clear_errors(
    catalogue: Catalogue,
) -> None:
    with pytest.raises(InvalidInput, match="no counted orders"):
        clv_model_report(catalogue.engine, as_of=AS_OF)
    with pytest.raises(InvalidInput, match="unknown model"):
        clv_model_report(catalogue.engine, model="magic", as_of=AS_OF)


def test_value_tiers_can_rank_the_model_clv(crafted: Catalogue) -> None:
    modelled = clv_model_report(crafted.engine, as_of=AS_OF, limit=70)
    model_clv = {
        row["customer_id"]: row["clv"] for s in modelled["currencies"] for row in s["top_customers"]
    }

    report = segments_report(crafted.engine, as_of=AS_OF, clv_model="bgnbd", limit=70)

    assert report["clv_model"]["model"] == "bgnbd"
    assert report["clv_model"]["horizon_months"] == 12
    assert [s["currency"] for s in report["clv_model"]["skipped_currencies"]] == ["MDL"]
    tiers = {c["currency"]: {t["tier"]: t for t in c["tiers"]} for c in report["currencies"]}
    for code in ("EUR", "GBP"):
        ranked = tiers[code]
        listed = [row for tier in ranked.values() for row in tier["top_customers"]]
        assert {row["customer_id"]: row["clv"] for row in listed} == {
            who: clv for who, clv in model_clv.items() if who.startswith(code)
        }
        # the top tier holds the highest model CLVs: none of them is below a high one
        assert ranked["top"]["min_clv"] >= ranked["high"]["max_clv"]
        assert sum(t["customers"] for t in ranked.values()) == {"EUR": 40, "GBP": 25}[code]
    # a currency whose spend model could not be fitted has no model CLV to rank
    assert all(t["customers"] == 0 for t in tiers["MDL"].values() if t["tier"] != "none")


def test_a_horizon_without_a_model_is_refused(crafted: Catalogue) -> None:
    with pytest.raises(InvalidInput, match="horizon"):
        segments_report(crafted.engine, as_of=AS_OF, horizon_months=6)
    with pytest.raises(InvalidInput, match="unknown model"):
        segments_report(crafted.engine, as_of=AS_OF, clv_model="magic")
