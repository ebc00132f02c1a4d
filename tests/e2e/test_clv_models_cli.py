"""`advocacy clv --model bgnbd|paretonbd` on the demo company, as scripts and people use them."""

from __future__ import annotations

import importlib.util
import json

import pytest

from tests.e2e.test_cli import run

TODAY = "2026-06-30"
DEMO_CURRENCIES = {"EUR", "MXN", "RUB", "RON", "MDL", "GBP", "USD"}


@pytest.fixture
def demo(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> str:
    code, _, err = run(
        capsys, "--db", sqlite_url, "demo", "--customers", "300", "--seed", "3", "--today", TODAY
    )
    assert code == 0, err
    return sqlite_url


def test_bgnbd_clv_as_json_is_per_currency_with_fitted_models(
    capsys: pytest.CaptureFixture[str], demo: str
) -> None:
    code, out, err = run(
        capsys, "--db", demo, "clv", "--model", "bgnbd", "--as-of", TODAY, "--json"
    )

    assert code == 0, err
    report = json.loads(out)
    assert report["model"] == "bgnbd"
    assert report["horizon_months"] == 12
    assert report["annual_discount_rate"] == 0.1
    assert set(report["purchase_model"]["params"]) == {"r", "alpha", "a", "b"}
    assert report["spend_models"]
    valued = {s["currency"] for s in report["currencies"]}
    skipped = {s["currency"] for s in report["skipped_currencies"]}
    assert valued
    assert not valued & skipped
    assert valued | skipped <= DEMO_CURRENCIES
    for summary in report["currencies"]:
        assert summary["total_clv"] > 0
        assert 0 <= summary["mean_probability_alive"] <= 1
        for row in summary["top_customers"]:
            assert row["currency"] == summary["currency"]
            assert 0 <= row["probability_alive"] <= 1
            assert row["clv"] >= 0


def test_bgnbd_clv_as_text_names_the_model_and_the_currencies(
    capsys: pytest.CaptureFixture[str], demo: str
) -> None:
    code, out, err = run(
        capsys, "--db", demo, "clv", "--model", "bgnbd", "--as-of", TODAY,
        "--horizon-months", "6", "--discount-rate", "0.05", "--limit", "3",
    )  # fmt: skip

    assert code == 0, err
    assert "model bgnbd" in out
    assert "next 6 months" in out
    assert "5.0 % a year" in out
    assert "BG/NBD: r = " in out
    assert "Gamma-Gamma" in out
    assert "Most valuable customers in" in out
    assert "Traceback" not in out + err


def test_options_of_the_other_kind_of_model_are_refused(
    capsys: pytest.CaptureFixture[str], demo: str
) -> None:
    code, _, err = run(capsys, "--db", demo, "clv", "--model", "bgnbd", "--lifespan-years", "3")
    assert code == 2
    assert "--lifespan-years" in err
    code, _, err = run(capsys, "--db", demo, "clv", "--horizon-months", "6")
    assert code == 2
    assert "--horizon-months" in err


def test_paretonbd_runs_or_says_it_is_not_available_yet(
    capsys: pytest.CaptureFixture[str], demo: str
) -> None:
    code, out, err = run(
        capsys, "--db", demo, "clv", "--model", "paretonbd", "--as-of", TODAY, "--json"
    )

    assert "Traceback" not in out + err
    if importlib.util.find_spec("advocacy.clv.paretonbd") is None:
        assert code == 65
        assert "not available yet" in err
    else:
        assert code == 0, err
        assert json.loads(out)["purchase_model"]["name"] == "Pareto/NBD"
