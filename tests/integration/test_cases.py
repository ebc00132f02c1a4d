"""Cases: opened by the rules on real imported feedback, one per item, joined by a customer's
next items, due by their SLA, escalated on a simulated clock, worked to the end — on SQLite
and PostgreSQL, and from the command line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from advocacy import open_catalogue
from advocacy.cli.analysis import run_analysis
from advocacy.errors import InvalidInput, NotFound
from advocacy.services import cases as casework
from advocacy.store.engine import build_engine
from tests import factories
from tests.e2e.test_cli import run

NOW = dt.datetime(2026, 11, 23, 12, 0)


def _answer(response: str, customer: str, score: int, days_ago: float) -> dict[str, object]:
    return {
        "response_id": response,
        "customer_id": customer,
        "score": score,
        "comment": "Llegó tarde" if score <= 6 else "Perfecto",
        "responded_at": (NOW - dt.timedelta(days=days_ago)).isoformat(),
    }


def _import(url: str, folder: Path, kind: str, rows: list[dict[str, object]]) -> None:
    catalogue = open_catalogue(url)
    try:
        catalogue.import_file(kind, factories.write_csv(folder / f"{kind}-{len(rows)}.csv", rows))
    finally:
        catalogue.close()


@pytest.fixture
def engine(database_url: str, tmp_path: Path) -> Engine:
    _import(database_url, tmp_path, "customers", factories.customers(4))
    _import(database_url, tmp_path, "nps", [
        _answer("A1", "C1", 2, 2), _answer("A2", "C2", 5, 1), _answer("A3", "C3", 9, 1),
        _answer("A4", "C4", 0, 45),  # older than the rules look back on a first run
    ])  # fmt: skip
    return build_engine(database_url)


def test_a_detractor_answer_opens_one_case_due_by_the_sla_of_its_priority(engine: Engine) -> None:
    report = casework.run_rules(engine, now=NOW)
    again = casework.run_rules(engine, now=NOW)

    assert report.as_dict() == {"opened": 2, "joined": 0, "escalated": 0}
    assert again.as_dict() == {"opened": 0, "joined": 0, "escalated": 0}
    found = {case["customer_id"]: case for case in casework.list_cases(engine, now=NOW)}
    assert set(found) == {"C1", "C2"}
    assert found["C1"]["type"] == "detractor"
    assert found["C1"]["priority"] == "high"
    assert found["C1"]["due_at"] == (NOW + dt.timedelta(hours=24)).isoformat()
    assert found["C2"]["priority"] == "normal"
    assert found["C2"]["due_at"] == (NOW + dt.timedelta(hours=72)).isoformat()
    for case in found.values():
        assert {"id", "customer_id", "type", "status", "priority", "owner", "due_at",
                "source_item_ids", "value_at_risk"} <= set(case)  # fmt: skip
        assert case["status"] == "open"
        assert len(case["source_item_ids"]) == 1
    engine.dispose()


def test_a_customers_next_item_joins_their_open_case_and_raises_its_priority(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    casework.run_rules(engine, now=NOW)
    _import(database_url, tmp_path, "nps", [_answer("A5", "C2", 1, 0.5)])

    report = casework.run_rules(engine, now=NOW)

    assert report.as_dict() == {"opened": 0, "joined": 1, "escalated": 0}
    [case] = casework.list_cases(engine, now=NOW, customer_ref="C2")
    assert len(case["source_item_ids"]) == 2
    assert case["priority"] == "high"
    kinds = [event["kind"] for event in casework.get_case(engine, case["id"], now=NOW)["timeline"]]
    assert kinds == ["opened", "item_added", "item_added", "priority"]
    engine.dispose()


def test_low_reviews_and_urgent_tickets_open_cases_too(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    when = (NOW - dt.timedelta(days=1)).isoformat()
    _import(database_url, tmp_path, "reviews", [
        {"review_id": f"R{stars}", "platform": "trustpilot", "rating": stars, "author": "Ann",
         "text": "Meh", "posted_at": when} for stars in (1, 2, 3)
    ])  # fmt: skip
    _import(database_url, tmp_path, "tickets", [
        {"ticket_id": "T1", "customer_id": "C3", "opened_at": when, "subject": "Refund",
         "text": "This is the third time I write: the blender broke again and nobody answers. "
                 "Cancel my account or I will see you in court."},
        {"ticket_id": "T2", "customer_id": "C4", "opened_at": when, "subject": "Invoice",
         "text": "Could you send me the invoice again, please?"},
    ])  # fmt: skip
    run_analysis(engine, mode="fast")

    casework.run_rules(engine, now=NOW)

    found = casework.list_cases(engine, now=NOW)
    by_type = sorted((case["type"], case["priority"]) for case in found)
    assert by_type == [
        ("detractor", "high"),
        ("detractor", "normal"),
        ("negative_review", "high"),
        ("negative_review", "normal"),
        ("urgent_ticket", "urgent"),
    ]
    urgent = next(case for case in found if case["type"] == "urgent_ticket")
    assert urgent["due_at"] == (NOW + dt.timedelta(hours=4)).isoformat()
    assert found[0]["type"] == "urgent_ticket"  # the most urgent first
    engine.dispose()


def test_a_case_past_due_is_escalated_once_per_sla_period_until_resolved(engine: Engine) -> None:
    casework.run_rules(engine, now=NOW)
    [high] = casework.list_cases(engine, now=NOW, customer_ref="C1")

    assert casework.run_rules(engine, now=NOW + dt.timedelta(hours=23)).escalated == 0
    assert casework.run_rules(engine, now=NOW + dt.timedelta(hours=25)).escalated == 1
    assert casework.run_rules(engine, now=NOW + dt.timedelta(hours=26)).escalated == 0
    later = NOW + dt.timedelta(hours=50)
    casework.run_rules(engine, now=later)

    case = casework.get_case(engine, high["id"], now=later)
    assert case["escalation_level"] == 2
    assert case["priority"] == "urgent"
    assert case["overdue"] is True
    assert [e["level"] for e in case["timeline"] if e["kind"] == "escalated"] == [1, 2]
    casework.change_status(engine, high["id"], "resolved", now=later, actor="ana@example.com")
    assert casework.escalate_overdue(engine, now=later + dt.timedelta(days=9)) == 1  # C2 only
    engine.dispose()


def test_a_case_is_worked_through_its_statuses_with_everything_on_the_timeline(
    engine: Engine,
) -> None:
    casework.run_rules(engine, now=NOW)
    [case] = casework.list_cases(engine, now=NOW, customer_ref="C2")
    step = NOW + dt.timedelta(hours=1)

    casework.assign(engine, case["id"], now=step, actor="lead@example.com",
                    owner="ana@example.com", team="Spain")  # fmt: skip
    casework.add_note(engine, case["id"], "Called: the parcel is on its way.", now=step,
                      actor="ana@example.com")  # fmt: skip
    casework.change_status(engine, case["id"], "waiting", now=step, actor="ana@example.com")
    with pytest.raises(InvalidInput, match="cannot become open"):
        casework.change_status(engine, case["id"], "open", now=step, actor="ana@example.com")
    casework.change_status(engine, case["id"], "resolved", now=step, actor="ana@example.com")
    with pytest.raises(InvalidInput, match="cannot become waiting"):
        casework.change_status(engine, case["id"], "waiting", now=step, actor="ana@example.com")
    casework.change_status(engine, case["id"], "closed", now=step, actor="ana@example.com")

    done = casework.get_case(engine, case["id"], now=step)
    assert done["owner"] == "ana@example.com"
    assert done["team"] == "Spain"
    assert done["status"] == "closed"
    assert done["first_response_at"] == step.isoformat()
    assert [e["kind"] for e in done["timeline"]] == [
        "opened", "item_added", "assigned", "note", "status", "status", "status",
    ]  # fmt: skip
    assert casework.list_cases(engine, now=step, status="active", customer_ref="C2") == []
    with pytest.raises(NotFound):
        casework.get_case(engine, 999, now=step)
    engine.dispose()


def test_reimporting_the_feedback_never_opens_a_second_case(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    casework.run_rules(engine, now=NOW)
    _import(database_url, tmp_path, "nps", [_answer("A1", "C1", 2, 2), _answer("A2", "C2", 5, 1)])

    assert casework.run_rules(engine, now=NOW).opened == 0
    assert len(casework.list_cases(engine, now=NOW)) == 2
    with pytest.raises(InvalidInput, match="in case"):
        casework.open_case(engine, now=NOW, title="Again", item_ids=[1])
    engine.dispose()


def test_cases_from_the_command_line(
    capsys: pytest.CaptureFixture[str], engine: Engine, database_url: str
) -> None:
    code, out, err = run(capsys, "--db", database_url, "rules", "run", "--since", "2026-10-01",
                         "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["opened"] == 3  # the old answer too, since the date goes back
    code, out, _ = run(capsys, "--db", database_url, "cases", "list", "--json")
    listed = json.loads(out)
    assert code == 0
    assert {case["customer_id"] for case in listed} == {"C1", "C2", "C4"}
    first = listed[0]["id"]
    code, out, _ = run(capsys, "--db", database_url, "cases", "assign", str(first), "--owner",
                       "ana@example.com", "--json")  # fmt: skip
    assert json.loads(out)["owner"] == "ana@example.com"

    code, _, err = run(capsys, "--db", database_url, "cases", "status", "999", "resolved")
    assert code == 66
    assert "no case 999" in err
    run(capsys, "--db", database_url, "cases", "status", str(first), "closed")
    code, _, err = run(capsys, "--db", database_url, "cases", "status", str(first), "waiting")
    assert code == 65
    assert "cannot become waiting" in err
    engine.dispose()


def test_the_background_worker_runs_the_rules_after_analysing(engine: Engine) -> None:
    from advocacy.config import load_settings
    from advocacy.jobs.worker import Worker

    url = engine.url.render_as_string(hide_password=False)
    done = Worker(engine, load_settings(database_url=url), clock=lambda: NOW).run_once()

    assert done["cases"] == {"opened": 2, "joined": 0, "escalated": 0}
    assert Worker(engine, load_settings(database_url=url), clock=lambda: NOW, analyse=False
                  ).run_once()["cases"]["opened"] == 0  # fmt: skip
    engine.dispose()
