"""The churn report read from a real catalogue, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from advocacy import Catalogue
from advocacy.errors import InvalidInput
from advocacy.services.churn import churn_report
from tests import factories

AS_OF = dt.datetime(2025, 1, 1)

# The crafted year of tests/golden/test_churn_golden.py: 10 named customers and 20 loyal ones.
# 5 lost in (2024-01-01, 2025-01-01]; 305 customer-boundaries → 5 / (305 / 13) = 13 / 61.
CONTRACTS = [
    ("A", "2023-03-01", None),
    ("C", "2023-09-01", "2024-03-15"),
    ("D", "2023-11-20", "2024-07-01"),
    ("E", "2024-02-10", None),
    ("F", "2024-04-01", "2024-10-15"),
    ("G", "2024-05-05", "2024-05-25"),
    ("H", "2023-01-10", "2023-12-31"),
    ("I", "2024-08-01", "2025-01-01"),
    ("J", "2025-02-01", None),
    ("K", "2023-12-01", "2024-01-01"),
] + [(f"L{i:02}", "2020-01-01", None) for i in range(20)]


def _customers(
    catalogue: Catalogue, tmp_path: Path, rows: list[tuple[str, str | None, str | None]]
) -> None:
    records = [
        {"customer_id": cid, "acquired_at": acquired, "churned_at": churned}
        for cid, acquired, churned in rows
    ]
    path = factories.write_csv(tmp_path / "customers.csv", records)
    assert catalogue.import_file("customers", path).status == "imported"


def _orders(catalogue: Catalogue, tmp_path: Path, rows: list[tuple[str, str]]) -> None:
    records = [
        {"order_id": f"O{n}", "customer_id": cid, "ordered_at": at, "amount": "10"}
        for n, (cid, at) in enumerate(rows)
    ]
    path = factories.write_csv(tmp_path / "orders.csv", records)
    assert catalogue.import_file("orders", path).status == "imported"


def _report(catalogue: Catalogue, **options: Any) -> dict[str, Any]:
    return churn_report(catalogue.engine, as_of=AS_OF, **options)


def test_the_report_of_a_contract_history_is_the_rate_computed_by_hand(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    _customers(catalogue, tmp_path, CONTRACTS)

    report = _report(catalogue)

    assert report["definition"] == "contract"
    assert "inactive_days" not in report
    assert report["lost"] == 5
    assert report["average_customers"] == pytest.approx(305 / 13)
    assert report["churn_rate"] == pytest.approx(13 / 61)
    assert (report["window_start"], report["window_end"]) == (
        "2024-01-01T00:00:00",
        "2025-01-01T00:00:00",
    )
    assert [b["active"] for b in report["boundaries"]][:3] == [23, 23, 24]


def test_the_monthly_series_covers_the_calendar_months_of_the_window(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    _customers(catalogue, tmp_path, CONTRACTS)

    monthly = _report(catalogue)["monthly"]

    assert [m["month"] for m in monthly] == [f"2024-{month:02}-01" for month in range(1, 13)]
    assert sum(m["lost"] for m in monthly) == 5
    assert all(m["complete"] for m in monthly)
    may = monthly[4]  # G joined and left in May; A D E F were there on May 1
    assert (may["active_at_start"], may["acquired"], may["lost"]) == (24, 1, 1)


def test_a_customer_without_acquisition_date_starts_at_their_first_order(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    # X: no acquired_at, first order 2024-02-10, churned 2024-06-01 → active Mar 1, Apr 1,
    # May 1 (3 boundaries), lost in the window. Y: a customer all year (13). Z: neither an
    # acquisition date nor an order, left out. 1 lost / (16 / 13) = 13 / 16.
    _customers(
        catalogue,
        tmp_path,
        [("X", None, "2024-06-01"), ("Y", "2023-01-01", None), ("Z", None, None)],
    )
    _orders(catalogue, tmp_path, [("X", "2024-04-01"), ("X", "2024-02-10")])

    report = _report(catalogue)

    assert report["customers"] == 2
    assert report["without_start"] == 1
    assert sum(b["active"] for b in report["boundaries"]) == 16
    assert report["churn_rate"] == pytest.approx(13 / 16)


# The inactivity example of the golden tests, 90 days without an order: spells P, Q×3, R, S;
# 21 spell-boundaries, 4 lost → 4 × 13 / 21.
ORDERS = [
    ("P", "2024-01-10"),
    ("P", "2024-03-01"),
    ("P", "2024-02-15"),
    ("Q", "2024-11-15"),
    ("Q", "2023-12-01"),
    ("Q", "2024-06-01"),
    ("R", "2024-10-01"),
    ("R", "2024-12-20"),
    ("S", "2024-01-01"),
    ("S", "2024-03-31"),
    ("T", "2025-02-01"),
]


def test_without_any_cancellation_customers_are_lost_by_inactivity(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    _customers(catalogue, tmp_path, [(cid, "2023-01-01", None) for cid in "PQRST"])
    _orders(catalogue, tmp_path, ORDERS)

    report = _report(catalogue, inactive_days=90)

    assert report["definition"] == "inactivity"
    assert report["inactive_days"] == 90
    assert report["customers"] == 6  # activity spells
    assert report["lost"] == 4
    assert report["churn_rate"] == pytest.approx(4 * 13 / 21)


def test_the_definition_can_be_chosen_and_an_unknown_one_is_refused(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    _customers(catalogue, tmp_path, [(cid, "2023-01-01", "2024-09-01") for cid in "PQRST"])
    _orders(catalogue, tmp_path, ORDERS)

    assert _report(catalogue)["definition"] == "contract"
    assert _report(catalogue)["lost"] == 5
    assert _report(catalogue, definition="inactivity", inactive_days=90)["lost"] == 4
    with pytest.raises(InvalidInput, match="unknown churn definition"):
        _report(catalogue, definition="vibes")


def test_the_survival_of_customers_counts_those_still_active_as_censored(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    # Tenure in days at as_of 2025-01-01 (+ still a customer, censored):
    # a 31, b 181, c 731+, d 92+, e 365. Kaplan–Meier: 31 → 4/5 = 0.8; 92 censored;
    # 181 (3 at risk) → 0.8 × 2/3 = 0.5333; 365 (2 at risk) → 0.2667; 731 censored.
    # At 3 months (91.3 days) 0.8 with Greenwood SE 0.8·√(1/(5·4)) = 0.1789; at 6 months
    # (182.6) 0.5333; at 12 (365.2) and 24 months (730.5 ≤ 731, still followed) 0.2667.
    _customers(
        catalogue,
        tmp_path,
        [
            ("a", "2023-01-01", "2023-02-01"),
            ("b", "2023-01-01", "2023-07-01"),
            ("c", "2023-01-01", None),
            ("d", "2024-10-01", None),
            ("e", "2022-01-01", "2023-01-01"),
        ],
    )

    survival = _report(catalogue)["survival"]

    assert (survival["customers"], survival["lost"]) == (5, 3)
    assert [p["months"] for p in survival["points"]] == [3, 6, 12, 24]
    assert [p["survival"] for p in survival["points"]] == pytest.approx(
        [0.8, 0.8 * 2 / 3, 0.8 * 2 / 3 / 2, 0.8 * 2 / 3 / 2]
    )
    three_months = survival["points"][0]
    assert three_months["ci_low"] < 0.8 < three_months["ci_high"]
    assert survival["median_days"] == 365


def test_an_empty_catalogue_reports_no_rate_rather_than_failing(catalogue: Catalogue) -> None:
    report = _report(catalogue)

    assert report["definition"] == "inactivity"
    assert report["churn_rate"] is None
    assert (report["lost"], report["average_customers"]) == (0, 0.0)
    assert report["survival"]["points"][0]["survival"] is None
