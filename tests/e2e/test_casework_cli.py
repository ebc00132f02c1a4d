"""Closing the loop from the command line: replies, the CSV of replies to post, templates, the
re-survey and its setting, and the metrics — JSON on standard output, errors as messages with
their exit codes."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from advocacy import open_catalogue
from advocacy.services import cases as casework
from advocacy.services import surveys
from advocacy.store.engine import build_engine
from tests import factories
from tests.e2e.test_cli import run

NOW = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


@pytest.fixture
def db(database_url: str, tmp_path: Path) -> str:
    catalogue = open_catalogue(database_url)
    when = (NOW - dt.timedelta(days=1)).isoformat()
    try:
        catalogue.import_file(
            "customers", factories.write_csv(tmp_path / "c.csv", factories.customers(4))
        )
        catalogue.import_file("nps", factories.write_csv(tmp_path / "n.csv", [
            {"response_id": "A2", "customer_id": "C2", "score": 2, "responded_at": when},
        ]))  # fmt: skip
        catalogue.import_file("reviews", factories.write_csv(tmp_path / "r.csv", [
            {"review_id": "R7", "platform": "google", "rating": 1, "author": "+44 Fan",
             "text": "-Terrible, never again", "posted_at": when},
        ]))  # fmt: skip
    finally:
        catalogue.close()
    engine = build_engine(database_url)
    casework.run_rules(engine, now=NOW)
    surveys.create_survey(engine, now=NOW, key="after-case", name="After your case")
    engine.dispose()
    return database_url


def _case(db: str, case_type: str) -> int:
    engine = build_engine(db)
    [case] = casework.list_cases(engine, now=NOW, type=case_type)
    engine.dispose()
    return int(case["id"])


def test_a_reply_from_a_template_is_queued_in_the_customers_language(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    case_id = _case(db, "detractor")

    code, out, err = run(capsys, "--db", db, "cases", "reply", str(case_id), "--template",
                         "resolved", "--agent", "Olga", "--json")  # fmt: skip

    assert code == 0, err
    reply = json.loads(out)
    assert (reply["language"], reply["status"], reply["to_address"]) == (
        "ru", "queued", "ivan@example.ru",
    )  # fmt: skip
    # No company in the settings (the default sender): the customer-care team signs, in Russian.
    assert reply["body"].endswith("С уважением,\nOlga\nСлужба заботы о клиентах")
    code, out, _ = run(capsys, "--db", db, "cases", "replies", "--case", str(case_id), "--json")
    assert [r["id"] for r in json.loads(out)] == [reply["id"]]
    code, out, _ = run(capsys, "--db", db, "cases", "reply", str(case_id), "--body", "<b>Hi</b>")
    assert code == 0
    assert "<b>Hi</b>" in out


def test_public_replies_are_exported_to_a_csv_a_spreadsheet_cannot_run_and_marked_posted(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    case_id = _case(db, "negative_review")
    code, out, err = run(capsys, "--db", db, "cases", "reply", str(case_id), "--body",
                         "=cmd|' /C calc'!A0 Sorry!", "--json")  # fmt: skip
    assert code == 0, err
    reply = json.loads(out)
    exported = tmp_path / "to-post.csv"

    code, out, err = run(capsys, "--db", db, "cases", "replies", "--to-post", "--csv",
                         str(exported), "--json")  # fmt: skip

    assert code == 0, err
    assert json.loads(out)["replies"] == 1
    with exported.open(encoding="utf-8", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["platform"] == "google"
    assert row["review_id"] == "R7"
    assert row["author"] == "'+44 Fan"
    assert row["review_excerpt"] == "'-Terrible, never again"
    assert row["reply"] == "'=cmd|' /C calc'!A0 Sorry!"
    assert row["case_id"] == str(case_id)
    code, out, _ = run(capsys, "--db", db, "cases", "posted", str(reply["id"]), "--json")
    assert (code, json.loads(out)["status"]) == (0, "posted")
    code, _, err = run(capsys, "--db", db, "cases", "posted", str(reply["id"]))
    assert code == 65
    assert "not waiting to be posted" in err
    code, out, _ = run(capsys, "--db", db, "cases", "replies", "--to-post", "--json")
    assert json.loads(out) == []


def test_templates_are_listed_and_reworded_from_a_file(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    body = tmp_path / "thanks.txt"
    body.write_text("Mulțumim, {customer_name}!\n{agent}", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text("Hello {customer.__init__}", encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00\x01")

    code, out, err = run(capsys, "--db", db, "cases", "template-set", "thanks", "ro",
                         "--subject", "Mulțumim", "--body-file", str(body), "--json")  # fmt: skip

    assert code == 0, err
    assert json.loads(out)["custom"] is True
    code, out, _ = run(capsys, "--db", db, "cases", "templates", "--json")
    found = {(t["key"], t["language"]): t for t in json.loads(out)}
    assert found[("thanks", "ro")]["body"] == "Mulțumim, {customer_name}!\n{agent}"
    assert len(found) == 28  # seven templates in four languages
    code, _, err = run(capsys, "--db", db, "cases", "template-set", "thanks", "ro", "--subject",
                       "x", "--body-file", str(bad))  # fmt: skip
    assert code == 65
    assert "unknown placeholders" in err
    code, _, err = run(capsys, "--db", db, "cases", "template-set", "thanks", "ro", "--subject",
                       "x", "--body-file", str(binary))  # fmt: skip
    assert code == 65
    assert "not UTF-8" in err
    code, out, _ = run(capsys, "--db", db, "cases", "templates")
    assert "review_reply" in out


def test_a_resolved_case_is_re_surveyed_from_the_command_line_and_the_setting_is_kept(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    case_id = _case(db, "detractor")
    code, _, err = run(capsys, "--db", db, "cases", "resurvey", str(case_id), "--survey",
                       "after-case")  # fmt: skip
    assert code == 65
    assert "resolve it" in err
    run(capsys, "--db", db, "cases", "status", str(case_id), "resolved")

    code, out, err = run(capsys, "--db", db, "cases", "resurvey", str(case_id), "--survey",
                         "after-case", "--json")  # fmt: skip

    assert code == 0, err
    assert json.loads(out)["invitation_id"] > 0
    code, _, err = run(capsys, "--db", db, "cases", "resurvey", str(case_id), "--survey",
                       "after-case")  # fmt: skip
    assert (code, "re-surveyed already" in err) == (65, True)

    code, out, _ = run(capsys, "--db", db, "cases", "resurvey-setting", "--json")
    assert json.loads(out)["enabled"] is False
    code, out, err = run(capsys, "--db", db, "cases", "resurvey-setting", "--survey",
                         "after-case", "--delay-days", "7", "--json")  # fmt: skip
    assert code == 0, err
    assert (json.loads(out)["survey"], json.loads(out)["delay_days"]) == ("after-case", 7)
    code, out, _ = run(capsys, "--db", db, "cases", "resurvey-setting", "--off")
    assert (code, out.strip()) == (0, "Re-survey off.")
    code, _, err = run(capsys, "--db", db, "cases", "resurvey-setting", "--survey", "nope",
                       "--delay-days", "7")  # fmt: skip
    assert code == 66
    code, _, _ = run(capsys, "--db", db, "cases", "resurvey-setting", "--delay-days", "400")
    assert code == 2  # click refuses it before anything runs


def test_the_metrics_print_one_document_or_a_table(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, out, err = run(capsys, "--db", db, "cases", "metrics", "--json")

    assert code == 0, err
    found = json.loads(out)
    assert found["overall"]["opened"] == 2
    assert len(found["rules"]) == 2  # the detractor rule and the negative review rule
    assert sum(rule["opened"] for rule in found["rules"].values()) == 2
    code, out, _ = run(capsys, "--db", db, "cases", "metrics", "--since", "2999-01-01")
    assert code == 0
    assert out.splitlines()[0].split()[:3] == ["group", "opened", "resolved"]
    code, _, _ = run(capsys, "--db", db, "cases", "metrics", "--since", "yesterday")
    assert code == 2


def test_a_reply_needs_a_template_or_a_body_and_a_known_case(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    case_id = _case(db, "detractor")

    assert run(capsys, "--db", db, "cases", "reply", str(case_id))[0] == 65
    code, _, err = run(capsys, "--db", db, "cases", "reply", "999999", "--body", "Hi")
    assert (code, "no case 999999" in err) == (66, True)
    code, _, err = run(capsys, "--db", db, "cases", "reply", str(case_id), "--template", "nope")
    assert code == 66
    assert "Traceback" not in err
