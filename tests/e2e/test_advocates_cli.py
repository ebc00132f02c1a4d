"""The advocate programme from the command line: run it, list the advocates with their owners,
work their tasks, reward them within the budget, change the settings, read the messages and
the review invitations' audit; bad input is refused with a clear message and a non-zero
exit code."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from advocacy import open_catalogue
from tests import factories
from tests.e2e.test_cli import run

NOW = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _ago(days: float) -> str:
    return (NOW - dt.timedelta(days=days)).isoformat()


@pytest.fixture
def db(database_url: str, tmp_path: Path) -> str:
    catalogue = open_catalogue(database_url)
    try:
        catalogue.import_file(
            "customers",
            factories.write_csv(
                tmp_path / "c.csv",
                [
                    *factories.customers(4),
                    {
                        **factories.customers(1)[0],
                        "customer_id": "C5",
                        "email": "c5@x.es",
                        "name": "<script>alert('x')</script>",
                    },
                ],
            ),
        )
        answers = [
            ("N1", "C1", 10, 2),
            ("N2", "C1", 10, 5),
            ("N3", "C5", 10, 1),
            ("N4", "C5", 9, 3),
            ("N5", "C2", 2, 1),
        ]
        catalogue.import_file(
            "nps",
            factories.write_csv(
                tmp_path / "n.csv",
                [
                    {
                        "response_id": r,
                        "customer_id": c,
                        "score": s,
                        "comment": "",
                        "responded_at": _ago(d),
                    }
                    for r, c, s, d in answers
                ],
            ),
        )
    finally:
        catalogue.close()
    return database_url


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    code, out, err = run(capsys, *args)
    assert code == 0, err
    return json.loads(out)


def test_the_programme_is_run_and_its_advocates_listed_with_their_owners(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _json(capsys, "--db", db, "advocates", "set", "owners", "olga@kelvo.example", "--json")

    report = _json(capsys, "--db", db, "advocates", "run", "--json")
    listed = _json(capsys, "--db", db, "advocates", "list", "--json")

    assert report["changes"] == {"new_active": 2}
    assert [a["customer_id"] for a in listed] == ["C1", "C5"] or {
        a["customer_id"] for a in listed
    } == {"C1", "C5"}
    assert {a["owner"] for a in listed} == {"olga@kelvo.example"}
    assert all({"customer_id", "score", "status", "evidence", "since"} <= set(a) for a in listed)
    shown = _json(capsys, "--db", db, "advocates", "show", "C5", "--json")
    assert shown["name"] == "<script>alert('x')</script>"
    assert shown["status"] == "active"
    code, out, _ = run(capsys, "--db", db, "advocates", "show", "C5")
    assert code == 0
    assert "welcome" in out


def test_tasks_are_listed_done_and_rewarded_within_the_budget(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _json(capsys, "--db", db, "advocates", "set", "budget_amount", "50", "--json")
    _json(capsys, "--db", db, "advocates", "run", "--json")
    tasks = _json(capsys, "--db", db, "advocates", "tasks", "--customer", "C1", "--json")
    welcome = next(t for t in tasks if t["kind"] == "welcome")
    reward = next(t for t in tasks if t["kind"] == "reward")

    done = _json(
        capsys,
        "--db",
        db,
        "advocates",
        "done",
        str(welcome["id"]),
        "--note",
        "Called her",
        "--by",
        "olga@kelvo.example",
        "--json",
    )
    given = _json(
        capsys,
        "--db",
        db,
        "advocates",
        "reward",
        "C1",
        "--kind",
        "Gift card",
        "--amount",
        "30",
        "--task",
        str(reward["id"]),
        "--json",
    )
    code, _, err = run(
        capsys, "--db", db, "advocates", "reward", "C1", "--kind", "Dinner", "--amount", "30"
    )

    assert (done["status"], done["note"], done["done_by"]) == (
        "done",
        "Called her",
        "olga@kelvo.example",
    )
    assert given["budget"]["left"] == 20.0
    assert code != 0
    assert "over budget: 30.00 EUR asked, 20.00 EUR left" in err
    rewards = _json(capsys, "--db", db, "advocates", "rewards", "--json")
    assert [r["kind"] for r in rewards["rewards"]] == ["Gift card"]
    assert _json(capsys, "--db", db, "advocates", "tasks", "--customer", "C1", "--json") == []
    code, _, err = run(capsys, "--db", db, "advocates", "done", str(welcome["id"]))
    assert code != 0
    assert "done already" in err


def test_a_note_is_written_in_an_advocates_log_and_a_task_set_by_hand(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _json(capsys, "--db", db, "advocates", "run", "--json")
    due = (NOW + dt.timedelta(days=3)).strftime("%Y-%m-%d")

    _json(
        capsys,
        "--db",
        db,
        "advocates",
        "log",
        "C1",
        "Met at the fair",
        "--kind",
        "meeting",
        "--json",
    )
    made = _json(
        capsys,
        "--db",
        db,
        "advocates",
        "task",
        "C1",
        "Send the mug",
        "--due",
        due,
        "--owner",
        "pedro@kelvo.example",
        "--json",
    )

    shown = _json(capsys, "--db", db, "advocates", "show", "C1", "--json")
    assert shown["log"][0]["kind"] == "task_created"
    assert any(
        e["kind"] == "meeting" and e["detail"]["text"] == "Met at the fair" for e in shown["log"]
    )
    assert made["owner"] == "pedro@kelvo.example"
    code, _, err = run(capsys, "--db", db, "advocates", "log", "C2", "Hello")
    assert code != 0
    assert "not in the advocate programme" in err


def test_settings_are_shown_changed_and_refused_when_bad(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    platforms = '[{"name": "Google", "url": "https://g.example/review"}]'

    changed = _json(capsys, "--db", db, "advocates", "set", "review_platforms", platforms, "--json")
    _json(capsys, "--db", db, "advocates", "set", "review_invitations", "true", "--json")
    shown = _json(capsys, "--db", db, "advocates", "settings", "--json")

    assert changed["review_platforms"] == [{"name": "Google", "url": "https://g.example/review"}]
    assert shown["review_invitations"] is True
    for args, message in (
        (("review_platforms", "[{broken"), "not JSON"),
        (("owners", "not-an-address"), "not an e-mail address"),
        (("budget_currency", "euros"), "three-letter currency code"),
    ):
        code, _, err = run(capsys, "--db", db, "advocates", "set", *args)
        assert code != 0
        assert message in err, err


def test_messages_and_the_review_audit_are_read_from_the_command_line(
    db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    catalogue = open_catalogue(db)
    try:
        catalogue.import_file(
            "orders",
            factories.write_csv(
                tmp_path / "o.csv",
                [
                    {
                        "order_id": f"O{n}",
                        "customer_id": f"C{n}",
                        "ordered_at": _ago(10),
                        "amount": "10",
                        "currency": "EUR",
                        "status": "delivered",
                        "delivered_at": _ago(9),
                    }
                    for n in (1, 2)
                ],
            ),
        )
    finally:
        catalogue.close()
    _json(
        capsys,
        "--db",
        db,
        "advocates",
        "set",
        "review_platforms",
        '[{"name": "Google", "url": "https://g.example/r"}]',
        "--json",
    )
    _json(capsys, "--db", db, "advocates", "set", "review_invitations", "on", "--json")
    _json(capsys, "--db", db, "advocates", "set", "thank_you", "on", "--json")
    _json(capsys, "--db", db, "advocates", "run", "--json")

    thanks = _json(capsys, "--db", db, "advocates", "messages", "--kind", "thank_you", "--json")
    audit = _json(capsys, "--db", db, "advocates", "review-audit", "--json")
    queued = next(m for m in thanks if m["status"] == "queued")
    code, out, _ = run(capsys, "--db", db, "advocates", "cancel", str(queued["id"]))

    assert {m["customer_id"] for m in thanks} == {"C1", "C5"}
    categories = {c["category"]: (c["considered"], c["asked"]) for c in audit["categories"]}
    assert (categories["promoter"], categories["detractor"]) == ((1, 1), (1, 1))
    assert audit["gated"] is False
    assert code == 0
    assert "cancelled" in out
    code, out, _ = run(capsys, "--db", db, "advocates", "review-audit")
    assert code == 0
    assert "review gating: none" in out
