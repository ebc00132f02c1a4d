"""The demo company goes through the same importers as user data and reads as a real company."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from advocacy import open_catalogue
from tests.e2e.test_cli import run


def test_the_demo_company_imports_without_a_single_rejected_row(
    capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    code, out, err = run(
        capsys, "--db", database_url, "demo", "--customers", "150", "--seed", "5", "--json"
    )

    assert code == 0, err
    counts = json.loads(out)["counts"]
    assert counts["customers"] == 150
    assert counts["orders"] > 300
    for kind in ("nps", "review", "ticket", "social"):
        assert counts[kind] > 0
    catalogue = open_catalogue(database_url)
    from advocacy.store.queries import import_history

    assert import_history(catalogue.engine)["rejected"].sum() == 0
    catalogue.close()


def test_the_demo_speaks_the_four_languages_and_ties_feedback_to_customers(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    run(capsys, "--db", sqlite_url, "demo", "--customers", "300", "--seed", "2", "--replace")
    catalogue = open_catalogue(sqlite_url)

    answers = catalogue.feedback(kind="nps")
    orders = catalogue.orders()
    catalogue.close()

    assert set(answers["language"].dropna()) >= {"en", "es", "ru", "ro"}
    assert answers["customer_id"].notna().all()
    late = orders["delivered_at"] > orders["promised_delivery_at"]
    assert 0.03 < late.mean() < 0.25


def test_the_demo_refuses_to_mix_into_a_database_with_data(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    run(capsys, "--db", sqlite_url, "demo", "--customers", "20")

    code, _, err = run(capsys, "--db", sqlite_url, "demo", "--customers", "20")

    assert code == 65
    assert "already holds data" in err


def test_the_same_seed_and_day_build_the_same_company(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    summaries: list[str] = []
    for name in ("a", "b"):
        url = f"sqlite:///{tmp_path / name}.sqlite"
        run(
            capsys, "--db", url, "demo", "--customers", "40", "--seed", "9", "--today", "2026-06-30"
        )
        catalogue = open_catalogue(url)
        frame = catalogue.feedback().drop(columns=["attributes", "analyzed_at"])
        summaries.append(frame.to_csv())
        catalogue.close()

    assert summaries[0] == summaries[1]


def test_the_demo_has_a_post_delivery_survey_whose_answers_are_its_nps_items(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    code, out, err = run(
        capsys,
        "--db",
        sqlite_url,
        "demo",
        "--customers",
        "300",
        "--seed",
        "2",
        "--today",
        "2026-11-23",
        "--no-analyze",
        "--json",
    )
    assert code == 0, err
    assert json.loads(out)["survey_invitations"]["answered"] > 0

    from sqlalchemy import select

    from advocacy.services.survey_stats import survey_stats
    from advocacy.store.tables import FeedbackItem, SurveyInvitation

    catalogue = open_catalogue(sqlite_url)
    stats = {row["survey"]: row for row in survey_stats(catalogue.engine)}
    i, f = SurveyInvitation.__table__.c, FeedbackItem.__table__.c
    with catalogue.engine.connect() as connection:
        answered = connection.execute(
            select(i.order_id, i.score, i.sent_at, i.answered_at, f.order_id, f.rating).join(
                FeedbackItem.__table__, f.id == i.feedback_item_id
            )
        ).all()
    catalogue.close()

    post = stats["post-delivery"]
    assert 0.2 < post["response_rate"] < 0.8
    assert post["median_hours_to_answer"] > 0
    assert post["skipped"]  # the 21-day rule kept some customers from a second survey
    assert all(row[0] == row[4] and row[1] == row[5] and row[2] < row[3] for row in answered)
    assert stats["website"]["delivered"] == 0


def test_the_demo_has_open_overdue_resolved_and_proactive_cases_from_late_deliveries(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    code, out, err = run(
        capsys,
        "--db",
        sqlite_url,
        "demo",
        "--customers",
        "300",
        "--seed",
        "2",
        "--today",
        "2026-11-23",
        "--no-analyze",
        "--json",
    )
    assert code == 0, err
    assert json.loads(out)["cases"]["proactive"] > 0

    from advocacy.services import case_rules
    from advocacy.services import cases as casework

    catalogue = open_catalogue(sqlite_url)
    now = dt.datetime(2026, 11, 23, 18, 0)
    found = casework.list_cases(catalogue.engine, now=now, status=None, limit=10_000)
    summary = case_rules.value_summary(catalogue.engine, now=now, status="all")
    catalogue.close()

    statuses = {case["status"] for case in found}
    assert {"open", "resolved", "closed"} <= statuses
    assert any(case["overdue"] and case["escalation_level"] > 0 for case in found)
    late = [case for case in found if case["rule"] == "late_delivery"]
    assert late
    assert all(case["type"] == "proactive" and case["value_at_risk"] > 0 for case in late)
    assert all(case["team"] == "Key accounts" for case in late)  # the demo's assignment rules
    assert any(case["owner"] for case in found if case["type"] == "detractor")
    values = [case["value_at_risk"] for case in summary["cases"] if case["currency"] == "EUR"]
    assert values == sorted(values, reverse=True)


def test_the_demo_has_advocates_with_evidence_tasks_referrals_and_a_maturity_assessment(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    code, out, err = run(
        capsys,
        "--db",
        sqlite_url,
        "demo",
        "--customers",
        "300",
        "--seed",
        "2",
        "--today",
        "2026-11-23",
        "--no-analyze",
        "--json",
    )
    assert code == 0, err
    summary = json.loads(out)["advocates"]

    from advocacy.services import advocate_programme, customer_messages, maturity, referrals

    catalogue = open_catalogue(sqlite_url)
    engine, now = catalogue.engine, dt.datetime(2026, 11, 23, 18, 0)
    listed = advocate_programme.advocates_overview(engine, now=now, status="active")
    done = advocate_programme.list_tasks(engine, now=now, status="done", limit=10_000)
    still_open = advocate_programme.list_tasks(engine, now=now, status="open", limit=10_000)
    report = referrals.referral_report(engine, now=now)
    thanks = customer_messages.list_messages(engine, kind="thank_you", status="sent")
    audit = customer_messages.review_audit(engine)
    assessed = maturity.assess(engine, now=now)
    catalogue.close()

    assert summary["active"] == len(listed) > 0
    assert all(
        a["evidence"]["promoter_answers"] or a["evidence"]["positive_reviews"] for a in listed
    )
    assert all(a["owner"] and a["referral_code"] for a in listed)
    assert done
    assert still_open
    assert {t["kind"] for t in done} >= {"welcome", "reward"}
    assert summary["referrals"] == sum(row["referred_customers"] for row in report) > 0
    assert thanks
    assert audit["asked"] > 0
    assert audit["gated"] is False
    asked = {c["category"]: c["asked"] for c in audit["categories"]}
    assert asked["detractor"] > 0  # the unhappy are invited to review as well
    assert summary["maturity_level"] == assessed["level"]
    followed = next(e for e in assessed["evidence"] if e["key"] == "followed_up_share")
    assert followed["met"] is True
    # built without the text analysis: nothing is catalogued by sentiment, and it says so
    assert assessed["level"] == 1
    assert "analysed_share" in [step["key"] for step in assessed["next_steps"]]
