"""The NPS report over the catalogue's answers, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from advocacy import Catalogue, InvalidInput
from advocacy.services.nps import nps_report
from tests import factories


@pytest.fixture
def answers(catalogue: Catalogue, tmp_path: Path) -> Catalogue:
    catalogue.import_file(
        "customers", factories.write_csv(tmp_path / "c.csv", factories.customers(4))
    )
    rows = [
        {"response_id": f"N{i}", "customer_id": customer, "score": score, "responded_at": day,
         "channel": channel}
        for i, (customer, score, day, channel) in enumerate(
            [("C1", 10, "2025-01-05", "email"), ("C2", 9, "2025-01-20", "email"),
             ("C3", 3, "2025-02-02", "web"), ("C4", 8, "2025-02-28T23:00:00", "web"),
             ("C1", 0, "2025-03-01", "sms")]
        )
    ]  # fmt: skip
    catalogue.import_file("nps", factories.write_csv(tmp_path / "n.csv", rows))
    return catalogue


def test_the_report_counts_every_answer(answers: Catalogue) -> None:
    report = nps_report(answers.engine)

    # 2 promoters, 1 passive, 2 detractors of 5: NPS 0.
    assert (report["n"], report["promoters"], report["passives"], report["detractors"]) == (
        5,
        2,
        1,
        2,
    )
    assert report["nps"] == 0
    assert report["small_sample"] is True
    assert report["ci_low"] < 0 < report["ci_high"]


def test_the_report_keeps_to_the_dates_asked_for(answers: Catalogue) -> None:
    report = nps_report(
        answers.engine, since=dt.datetime(2025, 2, 1), until=dt.datetime(2025, 3, 1)
    )

    assert report["n"] == 2


def test_a_monthly_trend_has_one_group_per_month(answers: Catalogue) -> None:
    report = nps_report(answers.engine, by="month")

    assert [(g["key"], g["n"], g["nps"]) for g in report["groups"]] == [
        ("2025-01", 2, 100.0),
        ("2025-02", 2, -50.0),
        ("2025-03", 1, -100.0),
    ]
    assert report["groups"][1]["change"] == -150.0


def test_a_breakdown_by_a_customer_field_joins_the_customers(answers: Catalogue) -> None:
    report = nps_report(answers.engine, by="country")

    assert {g["key"]: g["n"] for g in report["groups"]} == {"ES": 2, "RU": 1, "RO": 1, "GB": 1}


def test_an_unknown_breakdown_is_refused(answers: Catalogue) -> None:
    with pytest.raises(InvalidInput, match="cannot break the NPS down by 'colour'"):
        nps_report(answers.engine, by="colour")


def test_no_answers_give_an_empty_report_not_an_error(catalogue: Catalogue) -> None:
    report = nps_report(catalogue.engine, by="month")

    assert (report["n"], report["nps"], report["groups"]) == (0, None, [])
