"""The whole loop, as it runs in production: a detractor's answer is imported, the background
worker opens a case with the owner the assignment rules give and the SLA's due time, the owner
is e-mailed; nobody acts and the simulated clock passes the due time, so the case escalates;
the owner replies (the reply is e-mailed to the customer) and resolves it; the worker re-surveys
the customer by e-mail, the customer clicks a score in the web app, and the metrics show the
movement. On SQLite and PostgreSQL, with a real SMTP server on loopback."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from advocacy import open_catalogue
from advocacy.config import Settings, load_settings
from advocacy.jobs.worker import Worker
from advocacy.mail.smtp import SmtpMailer
from advocacy.services import case_metrics, case_replies, case_rules, resurveys, surveys
from advocacy.services import cases as casework
from advocacy.store.engine import build_engine
from advocacy.web.app import create_app
from tests import factories
from tests.mail_server import SmtpServer, score_links, text_of

START = dt.datetime(2026, 11, 23, 9, 0)


@dataclass
class Clock:
    now: dt.datetime = field(default=START)

    def __call__(self) -> dt.datetime:
        return self.now


@dataclass
class Loop:
    url: str
    folder: Path
    engine: Engine
    settings: Settings
    smtp: SmtpServer
    clock: Clock
    web: TestClient

    def worker(self) -> Worker:
        mailer = SmtpMailer("127.0.0.1", self.smtp.port, security="none", timeout=5)
        return Worker(self.engine, self.settings, mailer=mailer, clock=self.clock, analyse=False)

    def import_rows(self, kind: str, rows: list[dict[str, object]]) -> None:
        catalogue = open_catalogue(self.url)
        try:
            path = self.folder / f"{kind}-{len(list(self.folder.iterdir()))}.csv"
            catalogue.import_file(kind, factories.write_csv(path, rows))
        finally:
            catalogue.close()


@pytest.fixture
def loop(database_url: str, tmp_path: Path) -> Iterator[Loop]:
    engine = build_engine(database_url)
    clock = Clock()
    with SmtpServer() as smtp:
        settings = load_settings(
            database_url=database_url,
            base_url="http://testserver",
            dashboard_cache_seconds="0",
            mail_from="Kelvo <care@kelvo.example>",
        )
        app = create_app(settings, engine=engine, clock=clock, worker=False)
        with TestClient(app, raise_server_exceptions=False) as web:
            world = Loop(database_url, tmp_path, engine, settings, smtp, clock, web)
            world.import_rows("customers", factories.customers(4))
            yield world
    engine.dispose()


def test_a_detractor_is_followed_up_escalated_answered_resolved_and_re_surveyed(
    loop: Loop,
) -> None:
    engine, clock, inbox = loop.engine, loop.clock, loop.smtp.inbox
    surveys.create_survey(engine, now=START, key="after-case", name="After your case",
                          min_days_between=90)  # fmt: skip
    resurveys.set_resurvey(engine, survey_key="after-case", delay_days=2, enabled=True,
                           actor="lead@kelvo.example", now=START)  # fmt: skip
    case_rules.add_assignment_rule(engine, name="Spanish", now=START, team="Iberia",
                                   conditions={"language": ["es"]},
                                   owners=["lucia@kelvo.example"])  # fmt: skip

    # 1. Ana (C1, Spanish) answers 2 out of 10; the answer is imported, the worker runs.
    loop.import_rows("nps", [{
        "response_id": "R1", "customer_id": "C1", "score": 2,
        "comment": "El pedido llegó roto y nadie me contesta.",
        "responded_at": (START - dt.timedelta(hours=1)).isoformat(),
    }])  # fmt: skip
    loop.worker().run_once()

    [case] = casework.list_cases(engine, now=clock.now, status="active")
    assert (case["customer_id"], case["type"], case["priority"]) == ("C1", "detractor", "high")
    assert (case["owner"], case["team"], case["language"]) == (
        "lucia@kelvo.example",
        "Iberia",
        "es",
    )
    assert case["due_at"] == (START + dt.timedelta(hours=24)).isoformat()  # high: one day
    [told] = inbox.to("lucia@kelvo.example")
    assert "/cases/" in text_of(told)

    # 2. Nobody acts for 30 hours: past due, the worker escalates it and tells the owner.
    clock.now = START + dt.timedelta(hours=30)
    loop.worker().run_once()

    escalated = casework.get_case(engine, case["id"], now=clock.now)
    assert (escalated["escalation_level"], escalated["priority"]) == (1, "urgent")
    assert escalated["overdue"] is True
    assert len(inbox.to("lucia@kelvo.example")) == 2

    # 3. Lucía replies from the Spanish template; the worker e-mails it to Ana; resolved.
    clock.now = START + dt.timedelta(hours=31)
    reply = case_replies.write_reply(engine, case["id"], actor="lucia@kelvo.example",
                                     now=clock.now, template="apology", agent="Lucía")  # fmt: skip
    loop.worker().run_once()
    casework.change_status(engine, case["id"], "resolved", now=clock.now,
                           actor="lucia@kelvo.example")  # fmt: skip

    [answer_mail] = inbox.to("ana@example.es")
    assert reply["language"] == "es"
    assert "Lucía" in text_of(answer_mail)
    kinds = [e["kind"] for e in casework.get_case(engine, case["id"], now=clock.now)["timeline"]]
    assert kinds.index("escalated") < kinds.index("reply") < kinds.index("reply_sent")

    # 4. Two days after the resolution the worker re-surveys Ana, by e-mail, in Spanish.
    clock.now = START + dt.timedelta(days=3, hours=8)
    loop.worker().run_once()  # the invitation is made…
    loop.worker().run_once()  # …and sent
    survey_mail = inbox.to("ana@example.es")[-1]
    assert survey_mail is not answer_mail

    # 5. Ana clicks 9 in the e-mail: the web app records it.
    nine = urlsplit(score_links(survey_mail)[9])
    page = loop.web.get(f"{nine.path}?{nine.query}")
    assert page.status_code == 200

    # 6. The loop is closed: the metrics show the response, the breach and the movement.
    metrics = case_metrics.case_metrics(engine, now=clock.now)
    team = metrics["teams"]["Iberia"]
    assert (team["opened"], team["resolved"]) == (1, 1)
    assert team["first_response_hours"]["median"] == 31.0  # the reply, an hour after escalation
    assert team["sla"]["rate"] == 0.0  # resolved after its due time
    assert team["resurvey"]["before"] == 2.0
    assert team["resurvey"]["after"] == 9.0
    assert team["resurvey"]["detractors_to_promoter"] == 1
    # A promoter's answer opens no case; running everything again opens nothing, sends nothing.
    sent = len(inbox.messages)
    loop.worker().run_once()
    assert len(casework.list_cases(engine, now=clock.now, status=None)) == 1
    assert len(inbox.messages) == sent + 1  # the owner hears that the re-survey came back
