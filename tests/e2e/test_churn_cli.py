"""``advocacy churn`` as scripts and people use it: one JSON document, or a readable summary."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests import factories
from tests.e2e.test_cli import run

# 3 customers all year, B lost on 2024-07-01, C acquired 2024-04-01 and lost 2024-10-15.
# Boundaries 2024-01-01 … 2025-01-01: A 13, B Jan–Jun 6, C Apr–Oct 7 → 26; 2 lost → 2 × 13 / 26.
CUSTOMERS = [
    {"customer_id": "A", "acquired_at": "2023-01-01", "churned_at": None},
    {"customer_id": "B", "acquired_at": "2023-01-01", "churned_at": "2024-07-01"},
    {"customer_id": "C", "acquired_at": "2024-04-01", "churned_at": "2024-10-15"},
]


@pytest.fixture
def db(database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = factories.write_csv(tmp_path / "customers.csv", CUSTOMERS)
    code, _, err = run(capsys, "--db", database_url, "import", "customers", str(path))
    assert code == 0, err
    return database_url


def test_churn_json_prints_the_rate_its_counts_and_its_window(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, out, _ = run(capsys, "--db", db, "churn", "--as-of", "2025-01-01", "--json")

    assert code == 0
    report = json.loads(out)
    assert report["churn_rate"] == pytest.approx(1.0)
    assert (report["lost"], report["average_customers"]) == (2, 2.0)
    assert (report["window_start"], report["window_end"]) == (
        "2024-01-01T00:00:00",
        "2025-01-01T00:00:00",
    )
    assert report["definition"] == "contract"
    assert len(report["monthly"]) == 12


def test_the_window_length_and_the_definition_are_options(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, out, _ = run(
        capsys,
        "churn",
        "--db",
        db,
        "--as-of",
        "2024-07-01",
        "--months",
        "3",
        "--definition",
        "inactivity",
        "--inactive-days",
        "30",
        "--json",
    )

    assert code == 0
    report = json.loads(out)
    assert report["window_start"] == "2024-04-01T00:00:00"
    assert (report["definition"], report["inactive_days"], report["months"]) == (
        "inactivity",
        30,
        3,
    )
    assert report["lost"] == 0  # nobody ordered anything, so nobody was an active buyer


def test_without_json_churn_prints_a_summary_a_person_can_read(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, out, _ = run(capsys, "--db", db, "churn", "--as-of", "2025-01-01")

    assert code == 0
    assert out.startswith("Churn rate 100.0 % over the 12 months from 2024-01-01 to 2025-01-01")
    assert "2 customers lost ÷ 2.0 customers on average (mean of 13 month boundaries)" in out
    assert "definition: contract" in out
    assert "Monthly churn" in out
    assert "2024-10" in out
    assert "Survival at 12 months" in out


@pytest.mark.parametrize(
    "arguments",
    [["--months", "0"], ["--definition", "vibes"], ["--as-of", "31/12/2024"]],
)
def test_bad_options_are_refused_with_a_message_not_a_traceback(
    capsys: pytest.CaptureFixture[str], db: str, arguments: list[str]
) -> None:
    code, out, err = run(capsys, "--db", db, "churn", *arguments)

    assert code == 2
    assert out == ""
    assert f"Invalid value for '{arguments[0]}'" in err
    assert "Traceback" not in err


def test_churn_on_the_demo_company_gives_a_sensible_rate(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    code, _, err = run(capsys, "--db", sqlite_url, "demo", "--customers", "200", "--seed", "3")
    assert code == 0, err

    code, out, _ = run(capsys, "--db", sqlite_url, "churn", "--json")

    assert code == 0
    report = json.loads(out)
    assert 0 < report["churn_rate"] < 1
    assert report["lost"] > 0
    assert dt.datetime.fromisoformat(report["window_end"]) <= dt.datetime.now(dt.UTC).replace(
        tzinfo=None
    )
    assert all(0 <= p["survival"] <= 1 for p in report["survival"]["points"][:3])
    cohorts = report["cohorts"]
    assert len(cohorts) >= 12
    assert all(cohort["retention"][0] == 1.0 for cohort in cohorts)
    assert sum(cohort["size"] for cohort in cohorts) <= 200

    code, out, _ = run(capsys, "--db", sqlite_url, "churn", "--cohorts")

    assert code == 0
    assert "Retention by acquisition month" in out
    assert "12 m" in out
