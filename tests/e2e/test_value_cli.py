"""`advocacy clv` and `advocacy segments` on the demo company, as scripts and people use them."""

from __future__ import annotations

import json

import pytest

from tests.e2e.test_cli import run

TODAY = "2026-06-30"
DEMO_CURRENCIES = {"EUR", "MXN", "RUB", "RON", "MDL", "GBP", "USD"}


@pytest.fixture
def demo(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> str:
    code, _, err = run(
        capsys, "--db", sqlite_url, "demo", "--customers", "200", "--seed", "3", "--today", TODAY
    )
    assert code == 0, err
    return sqlite_url


def test_clv_prints_one_summary_per_currency_of_the_demo_company(
    capsys: pytest.CaptureFixture[str], demo: str
) -> None:
    code, out, _ = run(capsys, "--db", demo, "clv", "--model", "simple", "--as-of", TODAY, "--json")

    assert code == 0
    report = json.loads(out)
    currencies = {s["currency"] for s in report["currencies"]}
    assert len(currencies) >= 4
    assert currencies <= DEMO_CURRENCIES
    assert 0 < report["annual_churn_rate"] < 1
    assert 1 <= report["lifespan_years"] <= 20
    assert report["customers"] + report["customers_without_orders"] <= 200
    for summary in report["currencies"]:
        assert summary["customers"] == sum(summary["tiers"].values())
        assert summary["total_clv"] > 0
        assert summary["median_clv"] <= summary["mean_clv"] * 10
        top = summary["top_customers"]
        assert top
        assert [row["clv"] for row in top] == sorted((row["clv"] for row in top), reverse=True)
        assert top[0]["tier"] == "top"
        assert all(row["currency"] == summary["currency"] for row in top)


def test_a_given_lifespan_and_a_currency_filter_are_honoured(
    capsys: pytest.CaptureFixture[str], demo: str
) -> None:
    code, out, _ = run(
        capsys, "clv", "--db", demo, "--as-of", TODAY, "--lifespan-years", "10",
        "--currency", "eur", "--json",
    )  # fmt: skip

    assert code == 0
    report = json.loads(out)
    assert [s["currency"] for s in report["currencies"]] == ["EUR"]
    assert report["lifespan_source"] == "given"
    assert report["churn"] is None
    rows = report["currencies"][0]["top_customers"]
    active = next(row for row in rows if not row["churned"])
    # The articles' formula, with the lifespan we gave (to the cent: the JSON rounds to cents).
    expected = active["yearly_revenue"] * 10 - active["acquisition_cost"]
    assert active["clv"] == pytest.approx(expected, abs=0.1)
    assert active["lifespan_years"] == 10


def test_segments_place_every_customer_in_one_rfm_segment_and_one_tier(
    capsys: pytest.CaptureFixture[str], demo: str
) -> None:
    code, out, _ = run(capsys, "--db", demo, "segments", "--as-of", TODAY, "--json")

    assert code == 0
    report = json.loads(out)
    total = report["customers"] + report["customers_without_orders"]
    assert sum(s["customers"] for s in report["segments"]) == total
    names = {s["segment"] for s in report["segments"]}
    assert {"Champions", "Lost", "No orders"} <= names
    for currency in report["currencies"]:
        tiers = {t["tier"]: t for t in currency["tiers"]}
        assert sum(t["customers"] for t in tiers.values()) == currency["customers"]
        assert sum(currency["segments"].values()) == currency["customers"]
        if tiers["high"]["customers"]:
            assert tiers["top"]["min_clv"] >= tiers["high"]["max_clv"]


def test_without_json_the_reports_are_readable_tables(
    capsys: pytest.CaptureFixture[str], demo: str
) -> None:
    _, clv_text, _ = run(capsys, "--db", demo, "clv", "--as-of", TODAY)
    _, segments_text, _ = run(capsys, "--db", demo, "segments", "--as-of", TODAY)

    assert "Customer lifetime value (model simple) at 2026-06-30" in clv_text
    assert "Most valuable customers in EUR" in clv_text
    assert "annual churn rate" in clv_text
    assert "RFM segments" in segments_text
    assert "Value tiers in EUR" in segments_text


def test_an_unknown_model_is_refused(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> None:
    code, _, err = run(capsys, "--db", sqlite_url, "clv", "--model", "magic")

    assert code == 2
    assert "magic" in err


def test_a_currency_that_is_not_a_code_is_refused(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    code, _, err = run(capsys, "--db", sqlite_url, "segments", "--currency", "euros")

    assert code == 2
    assert "ISO 4217" in err


def test_an_empty_catalogue_says_so_instead_of_failing(
    capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    code, out, _ = run(capsys, "--db", database_url, "clv")

    assert code == 0
    assert "No customer has orders." in out


def test_segments_can_rank_the_tiers_by_a_model_clv(
    capsys: pytest.CaptureFixture[str], demo: str
) -> None:
    args = ("--db", demo, "segments", "--as-of", TODAY, "--clv-model", "bgnbd")
    code, out, _ = run(capsys, *args, "--horizon-months", "6", "--json")
    _, text, _ = run(capsys, *args)

    assert code == 0
    report = json.loads(out)
    assert report["clv_model"]["model"] == "bgnbd"
    assert report["clv_model"]["horizon_months"] == 6
    assert report["clv_model"]["purchase_model"]["name"] == "BG/NBD"
    for currency in report["currencies"]:
        tiers = {t["tier"]: t for t in currency["tiers"]}
        if tiers["high"]["customers"]:
            assert tiers["top"]["min_clv"] >= tiers["high"]["max_clv"]
    assert "BG/NBD purchases × Gamma-Gamma spend over 12 months" in text


def test_segments_refuse_options_of_the_other_kind_of_clv(
    capsys: pytest.CaptureFixture[str], demo: str
) -> None:
    code, _, err = run(capsys, "--db", demo, "segments", "--horizon-months", "6")
    assert code == 2
    assert "--clv-model bgnbd or paretonbd" in err
    code, _, err = run(
        capsys, "--db", demo, "segments", "--clv-model", "bgnbd", "--lifespan-years", "3"
    )
    assert code == 2
    assert "--clv-model simple" in err
