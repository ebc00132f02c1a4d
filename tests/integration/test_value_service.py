"""CLV, segments and tiers from a crafted catalogue, on SQLite and PostgreSQL, computed by hand.

The history, valued at 2024-12-31 12:00 (exactly two years, 730.5 days = 2 × 365.25, after
2023-01-01 00:00):

- A (EUR), acquired 2023-01-01, acquisition cost 500: orders of 1,000 (2023-03-01) and 1,200
  (2024-06-01) count; a cancelled 300 and a returned 800 do not, nor an order of 999 placed
  after the valuation date. Revenue 2,200 over a tenure of 2.0 years: 1,100 a year.
- B (EUR), acquired 2024-10-01, acquisition cost unknown: 300 + 200 = 500 in 3 months; the
  tenure counts as one year, so 500 a year.
- C (GBP), acquired 2023-01-01, contract cancelled 2024-01-01, cost 100: 400 + 600 = 1,000.
  Her lifetime is over and known: 365 days, counted as one year; CLV = 1,000 − 100 = 900.
- D (RUB), acquired 2023-01-01, no cost: 5,000 and 7,000 RUB and one order of 50 EUR. RUB is
  her currency (two orders against one); the 50 EUR is never added to roubles. 12,000 over
  2 years: 6,000 a year.
- E, acquired 2024-05-01, never ordered: no currency, no CLV, segment "No orders".
- F, acquired 2025-03-01, after the valuation date: not yet a customer.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from advocacy import Catalogue
from advocacy.services.value import clv_report, customer_values, segments_report
from tests import factories

AS_OF = dt.datetime(2024, 12, 31, 12)

CUSTOMERS = [
    {"customer_id": "A", "acquired_at": "2023-01-01", "churned_at": "", "acquisition_cost": "500"},
    {"customer_id": "B", "acquired_at": "2024-10-01", "churned_at": "", "acquisition_cost": ""},
    {"customer_id": "C", "acquired_at": "2023-01-01", "churned_at": "2024-01-01",
     "acquisition_cost": "100"},
    {"customer_id": "D", "acquired_at": "2023-01-01", "churned_at": "", "acquisition_cost": "0"},
    {"customer_id": "E", "acquired_at": "2024-05-01", "churned_at": "", "acquisition_cost": "20"},
    {"customer_id": "F", "acquired_at": "2025-03-01", "churned_at": "", "acquisition_cost": "20"},
]  # fmt: skip
ORDERS = [
    ("O1", "A", "2023-03-01", "1000", "EUR", "delivered"),
    ("O2", "A", "2024-06-01", "1200", "EUR", "delivered"),
    ("O3", "A", "2024-07-01", "300", "EUR", "cancelled"),
    ("O4", "A", "2024-12-01", "800", "EUR", "returned"),
    ("O5", "A", "2025-02-01", "999", "EUR", "delivered"),
    ("O6", "B", "2024-10-02", "300", "EUR", "delivered"),
    ("O7", "B", "2024-11-15", "200", "EUR", "shipped"),
    ("O8", "C", "2023-02-01", "400", "GBP", "delivered"),
    ("O9", "C", "2023-08-01", "600", "GBP", "delivered"),
    ("O10", "D", "2024-01-10", "5000", "RUB", "delivered"),
    ("O11", "D", "2024-02-10", "7000", "RUB", "delivered"),
    ("O12", "D", "2024-03-10", "50", "EUR", "delivered"),
]
ORDER_COLUMNS = ("order_id", "customer_id", "ordered_at", "amount", "currency", "status")


@pytest.fixture
def crafted(catalogue: Catalogue, tmp_path: Path) -> Catalogue:
    catalogue.import_file("customers", factories.write_csv(tmp_path / "c.csv", CUSTOMERS))
    rows = [dict(zip(ORDER_COLUMNS, order, strict=True)) for order in ORDERS]
    catalogue.import_file("orders", factories.write_csv(tmp_path / "o.csv", rows))
    return catalogue


def _by_id(report_rows: list[dict[str, object]]) -> dict[object, dict[str, object]]:
    return {row["customer_id"]: row for row in report_rows}


def test_each_customer_is_valued_by_hand_with_a_given_lifespan(crafted: Catalogue) -> None:
    values = customer_values(crafted.engine, as_of=AS_OF, lifespan_years=5)
    rows = {row["customer_id"]: row for row in values.table.iter_rows(named=True)}

    assert set(rows) == {"A", "B", "C", "D", "E"}  # F is acquired after the valuation date
    # A: 1,100 a year × 5 − 500 = 5,000
    assert rows["A"]["yearly_revenue"] == pytest.approx(1_100)
    assert rows["A"]["clv"] == pytest.approx(5_000)
    # B: 500 a year × 5 − 0 (unknown cost) = 2,500
    assert rows["B"]["clv"] == pytest.approx(2_500)
    assert rows["B"]["acquisition_cost_known"] is False
    # C: a cancelled contract, 1,000 brought − 100 = 900; her lifespan is her year
    assert rows["C"]["clv"] == pytest.approx(900)
    assert rows["C"]["churned"] is True
    assert rows["C"]["lifespan_years"] == pytest.approx(1.0)
    # D: 6,000 RUB a year × 5 = 30,000 RUB, the 50 EUR left aside
    assert (rows["D"]["currency"], rows["D"]["clv"]) == ("RUB", pytest.approx(30_000))
    assert rows["D"]["other_currency_orders"] == 1
    assert rows["E"]["clv"] is None
    assert (rows["E"]["segment"], rows["E"]["tier"]) == ("No orders", "none")


def test_the_lifespan_comes_from_the_articles_churn_rate_when_not_given(
    crafted: Catalogue,
) -> None:
    # Contract definition (C has a churned_at). Active customers at the 13 month ends from
    # 2023-12-31 to 2024-12-31: Dec 3 (A, C, D); Jan–Apr 2 each (C gone); May–Sep 3 (E joins
    # 2024-05-01); Oct–Dec 4 (B joins 2024-10-01). Mean = (3 + 4·2 + 5·3 + 3·4) / 13 = 38/13.
    # One customer lost (C): rate = 13/38, lifespan = 38/13 = 2.923 years.
    # A: 1,100 × 38/13 − 500 = 2,715.38.
    report = clv_report(crafted.engine, as_of=AS_OF)

    assert report["churn"]["definition"] == "contract"
    assert report["churn"]["lost"] == 1
    assert report["churn"]["average_customers"] == pytest.approx(38 / 13)
    assert report["annual_churn_rate"] == pytest.approx(13 / 38)
    assert report["lifespan_source"] == "churn rate"
    eur = next(s for s in report["currencies"] if s["currency"] == "EUR")
    assert eur["lifespan_years"] == pytest.approx(38 / 13, abs=1e-4)
    a = _by_id(eur["top_customers"])["A"]
    assert a["clv"] == pytest.approx(1_100 * 38 / 13 - 500, abs=0.01)


def test_currencies_are_summarised_apart_and_never_added(crafted: Catalogue) -> None:
    report = clv_report(crafted.engine, as_of=AS_OF, lifespan_years=5)

    summaries = {s["currency"]: s for s in report["currencies"]}
    assert set(summaries) == {"EUR", "GBP", "RUB"}
    assert summaries["EUR"]["customers"] == 2
    assert summaries["EUR"]["total_clv"] == pytest.approx(7_500)
    assert summaries["EUR"]["median_clv"] == pytest.approx(3_750)
    assert summaries["EUR"]["total_revenue"] == pytest.approx(2_700)  # not the 50 EUR of D
    assert summaries["RUB"]["total_clv"] == pytest.approx(30_000)
    assert summaries["EUR"]["tiers"] == {"top": 1, "high": 0, "standard": 1}
    assert (report["customers"], report["customers_without_orders"]) == (4, 1)
    for summary in report["currencies"]:
        assert all(row["currency"] == summary["currency"] for row in summary["top_customers"])


def test_the_currency_filter_keeps_one_currency(crafted: Catalogue) -> None:
    report = clv_report(crafted.engine, as_of=AS_OF, lifespan_years=5, currency="gbp")

    assert report["currency"] == "GBP"
    assert [s["currency"] for s in report["currencies"]] == ["GBP"]
    assert report["customers_without_orders"] == 0


def test_segments_count_every_customer_once_with_hand_checked_rfm(crafted: Catalogue) -> None:
    report = segments_report(crafted.engine, as_of=AS_OF, lifespan_years=5)

    segments = {s["segment"]: s for s in report["segments"]}
    assert sum(s["customers"] for s in report["segments"]) == 5
    assert segments["No orders"]["customers"] == 1
    # EUR is ranked on its own: B ordered 46 days ago, A 213 days ago (her returned order does
    # not count): B recency 1 + ⌊5·1/2⌋ = 3, A 1. Both ordered twice: frequency 1 each.
    # A spent 2,200 against 500: monetary 3 and 1. A = "113" (Lost), B = "311" (About to sleep).
    eur = {row["customer_id"]: row for s in report["segments"] for row in s["top_customers"]}
    assert (eur["A"]["rfm"], eur["A"]["segment"]) == ("113", "Lost")
    assert (eur["B"]["rfm"], eur["B"]["segment"]) == ("311", "About to sleep")
    assert eur["B"]["recency_days"] == 46
    tiers = {c["currency"]: c["tiers"] for c in report["currencies"]}
    assert [(t["tier"], t["customers"]) for t in tiers["EUR"]] == [
        ("top", 1),
        ("high", 0),
        ("standard", 1),
    ]


def test_an_empty_catalogue_gives_empty_reports(catalogue: Catalogue) -> None:
    report = clv_report(catalogue.engine, as_of=AS_OF)

    assert report["currencies"] == []
    assert report["customers"] == 0
    assert report["lifespan_source"] == "maximum"
    assert segments_report(catalogue.engine, as_of=AS_OF)["currencies"] == []


def test_without_any_cancellation_customers_are_lost_after_a_year_without_orders(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    # No churned_at anywhere: the inactivity definition of `advocacy churn`. A customer is active
    # from an order until 365 days after their last order. X ordered 2023-06-01: active until
    # 2024-05-31 00:00, then lost. Y ordered 2024-11-01 and stays. At the 13 month ends (noon)
    # from 2023-12-31: X at 5 of them (to 2024-04-30), Y at 2 (2024-11-30, 2024-12-31).
    # Mean = 7/13; 1 lost: rate 13/7 (above 1 for so small a base), lifespan 7/13 years.
    people = [
        {"customer_id": "X", "acquired_at": "2023-01-01"},
        {"customer_id": "Y", "acquired_at": "2023-01-01"},
    ]
    orders = [
        {"order_id": "1", "customer_id": "X", "ordered_at": "2023-06-01", "amount": "100"},
        {"order_id": "2", "customer_id": "Y", "ordered_at": "2024-11-01", "amount": "100"},
    ]
    catalogue.import_file("customers", factories.write_csv(tmp_path / "c.csv", people))
    catalogue.import_file("orders", factories.write_csv(tmp_path / "o.csv", orders))

    report = clv_report(catalogue.engine, as_of=AS_OF)

    assert report["churn"]["definition"] == "inactivity"
    assert report["churn"]["lost"] == 1
    assert report["annual_churn_rate"] == pytest.approx(13 / 7)
    assert report["lifespan_years"] == pytest.approx(7 / 13, abs=1e-4)
    # Orders without a currency are valued in XXX, ISO 4217's "no currency", never mixed.
    assert [s["currency"] for s in report["currencies"]] == ["XXX"]
