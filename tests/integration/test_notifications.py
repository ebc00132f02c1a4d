"""Case events told to webhooks (a real HTTP receiver on loopback, signatures checked) and to
people by e-mail (a real SMTP server), and the replies e-mailed to customers — on SQLite and
PostgreSQL, with a clock the tests move."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, insert, select, update

from advocacy.config import Settings, load_settings
from advocacy.errors import InvalidInput, NotFound
from advocacy.jobs.worker import Worker
from advocacy.mail.smtp import SmtpMailer
from advocacy.services import accounts, webhooks
from advocacy.services import cases as casework
from advocacy.services import notifications as notify
from advocacy.store.engine import build_engine
from advocacy.store.tables import CaseReply, CatalogueState, Customer, SurveyInvitation
from tests import factories
from tests.integration.test_surveys import import_rows
from tests.mail_server import SmtpServer, free_port, html_of, text_of
from tests.web.conftest import Clock
from tests.webhook_receiver import Receiver

START = dt.datetime(2026, 11, 23, 9, 0, 0)
LEAD = "lead@kelvo.example"
ANA = "ana@kelvo.example"
ESCALATIONS = "escalations@kelvo.example"


@dataclass
class World:
    engine: Engine
    settings: Settings
    smtp: SmtpServer
    clock: Clock

    @property
    def mailer(self) -> SmtpMailer:
        return SmtpMailer("127.0.0.1", self.smtp.port, security="none", timeout=5)

    def deliver(self, *, mail: bool = True, **kwargs: Any) -> notify.DeliveryReport:
        """One round: fan the new events out, then send what is due."""
        now = self.clock.now
        notify.queue_notifications(self.engine, self.settings, now=now)
        mailer = self.mailer if mail else None
        return notify.deliver_notifications(self.engine, self.settings, mailer, now=now, **kwargs)

    def open_case(self, title: str = "Late parcel", **values: Any) -> int:
        return casework.open_case(self.engine, now=self.clock.now, title=title, **values)

    def assign(self, case_id: int, owner: str, *, actor: str = LEAD) -> None:
        casework.assign(self.engine, case_id, now=self.clock.now, actor=actor, owner=owner)

    def webhook(self, url: str, **values: Any) -> tuple[int, str]:
        return webhooks.add_webhook(self.engine, url, actor=LEAD, now=self.clock.now, **values)

    def deliveries(self, **filters: Any) -> list[dict[str, Any]]:
        return notify.list_notifications(self.engine, **filters)

    def timeline(self, case_id: int) -> list[dict[str, Any]]:
        return list(casework.get_case(self.engine, case_id, now=self.clock.now)["timeline"])


@pytest.fixture
def world(database_url: str, tmp_path: Path) -> Iterator[World]:
    import_rows(database_url, tmp_path, "customers", factories.customers(4))
    engine = build_engine(database_url)
    settings = load_settings(
        database_url=database_url,
        base_url="https://advocacy.kelvo.example/",
        mail_from="Kelvo care <care@kelvo.example>",
        case_escalation_email=ESCALATIONS,
    )
    with SmtpServer() as smtp:
        yield World(engine, settings, smtp, Clock(START))
    engine.dispose()


def _customer(world: World, ref: str) -> int:
    c = Customer.__table__.c
    with world.engine.connect() as connection:
        return int(connection.scalar(select(c.id).where(c.external_id == ref)))


# --- Webhooks -----------------------------------------------------------------------------------


def test_a_case_opened_and_assigned_reaches_the_webhook_signed_with_its_delivery_id(
    world: World,
) -> None:
    with Receiver() as receiver:
        _hook, secret = world.webhook(receiver.url)
        case_id = world.open_case(customer_id=_customer(world, "C1"), priority="high")
        world.assign(case_id, ANA)

        report = world.deliver(mail=False)

    assert report.sent == 2
    assert receiver.events() == ["opened", "assigned"]
    opened, assigned = receiver.requests
    for request in receiver.requests:
        assert request.path == "/hooks/advocacy"
        assert request.signed_by(secret)
        assert not request.signed_by(secret + "x")
        assert request.headers["content-type"] == "application/json"
        assert request.headers["advocacy-delivery"] == str(request.document["id"])
        assert request.headers["advocacy-event"] == request.document["event"]
        timestamp = int(request.headers["advocacy-signature"].split(",")[0].removeprefix("t="))
        assert timestamp == int(START.replace(tzinfo=dt.UTC).timestamp())
    body = assigned.document
    assert set(body) == {"id", "event", "at", "actor", "detail", "case"}
    assert (body["event"], body["actor"], body["at"]) == ("assigned", LEAD, START.isoformat())
    assert body["detail"] == {"owner": ANA, "team": None}
    assert body["case"]["id"] == case_id
    assert body["case"]["customer_id"] == "C1"
    assert body["case"]["owner"] == ANA
    assert "timeline" not in body["case"]
    assert opened.document["detail"]["priority"] == "high"
    # The owner's e-mail waits for a mail server; the webhook's deliveries are recorded.
    mail = world.deliveries(status="queued")
    assert [(d["event"], d["target"]) for d in mail] == [("assigned", f"mail:{ANA}")]
    sent = world.deliveries(status="sent")
    assert {(d["event"], d["response_status"], d["attempts"]) for d in sent} == {
        ("opened", 200, 1),
        ("assigned", 200, 1),
    }


def test_a_webhook_is_sent_only_the_event_kinds_it_asked_for(world: World) -> None:
    with Receiver() as everything, Receiver() as escalations:
        world.webhook(everything.url)
        world.webhook(escalations.url, events=["escalated"])
        case_id = world.open_case()
        world.assign(case_id, ANA)
        casework.add_note(world.engine, case_id, "Called", now=world.clock.now, actor=ANA)
        world.deliver(mail=False)
        world.clock.advance(days=4)  # a normal case is due in 3 days
        assert casework.escalate_overdue(world.engine, now=world.clock.now) == 1
        world.deliver(mail=False)

    assert everything.events() == ["opened", "assigned", "note", "escalated"]
    assert escalations.events() == ["escalated"]
    assert escalations.requests[0].document["detail"]["level"] == 1


def test_unknown_event_kinds_and_bad_addresses_are_refused_with_the_reason(world: World) -> None:
    with pytest.raises(InvalidInput, match=r"unknown event kind 'assignd'.*assigned"):
        world.webhook("https://hooks.example/x", events=["assignd"])
    for url, reason in [
        ("ftp://hooks.example/x", "http"),
        ("https:///no-host", "host"),
        ("https://user:pw@hooks.example/x", "credentials"),
        ("https://hooks.example/a b", "spaces"),
        ("https://hooks.example:99999/x", "not a URL"),
        ("https://hooks.example/" + "x" * 2000, "2,000"),
    ]:
        with pytest.raises(InvalidInput, match=reason):
            world.webhook(url)
    with pytest.raises(InvalidInput, match="description"):
        world.webhook("https://hooks.example/x", description="d" * 201)
    assert webhooks.list_webhooks(world.engine) == []


def test_a_receiver_answering_500_is_asked_again_later_and_gets_the_event_once(
    world: World,
) -> None:
    with Receiver(500) as receiver:
        world.webhook(receiver.url, events=["opened"])
        world.open_case()

        first = world.deliver(mail=False)
        again = world.deliver(mail=False)  # the pause has not passed
        world.clock.advance(minutes=6)
        second = world.deliver(mail=False)
        world.clock.advance(days=1)
        world.deliver(mail=False)

    assert (first.retried, again.sent + again.retried, second.sent) == (1, 0, 1)
    assert len(receiver.requests) == 2
    ids = {request.headers["advocacy-delivery"] for request in receiver.requests}
    assert len(ids) == 1  # the same delivery id: a receiver can tell a repeat
    [delivery] = world.deliveries()
    assert (delivery["status"], delivery["attempts"], delivery["response_status"]) == (
        "sent",
        2,
        200,
    )


def test_a_receiver_answering_410_fails_at_once(world: World) -> None:
    with Receiver(410) as receiver:
        world.webhook(receiver.url, events=["opened"])
        world.open_case()
        report = world.deliver(mail=False)
        world.clock.advance(days=2)
        world.deliver(mail=False)

    assert report.failed == 1
    assert len(receiver.requests) == 1
    [delivery] = world.deliveries()
    assert (delivery["status"], delivery["attempts"], delivery["response_status"]) == (
        "failed",
        1,
        410,
    )
    assert "410" in delivery["error"]


def test_a_receiver_busy_with_429_is_retried_and_a_redirect_is_not_followed(
    world: World,
) -> None:
    with Receiver(429, 302) as receiver:
        world.webhook(receiver.url, events=["opened"])
        world.open_case()
        world.deliver(mail=False)
        world.clock.advance(minutes=6)
        world.deliver(mail=False)

    [delivery] = world.deliveries()
    assert (delivery["status"], delivery["attempts"], delivery["response_status"]) == (
        "failed",
        2,
        302,
    )
    assert "redirects are not followed" in delivery["error"]


def test_an_unreachable_receiver_is_tried_again_then_failed_after_the_last_try(
    world: World,
) -> None:
    world.webhook(f"http://127.0.0.1:{free_port()}/nobody", events=["opened"])
    world.open_case()
    states = []
    for _ in range(notify.MAX_ATTEMPTS + 2):
        world.deliver(mail=False)
        [delivery] = world.deliveries()
        states.append((delivery["status"], delivery["attempts"]))
        world.clock.advance(hours=7)  # longer than the longest pause

    assert states[0] == ("queued", 1)
    assert states[notify.MAX_ATTEMPTS - 2] == ("queued", notify.MAX_ATTEMPTS - 1)
    assert states[notify.MAX_ATTEMPTS - 1] == ("failed", notify.MAX_ATTEMPTS)
    assert states[-1] == ("failed", notify.MAX_ATTEMPTS)
    assert "cannot reach 127.0.0.1" in world.deliveries()[0]["error"]


def test_a_receiver_that_does_not_answer_is_tried_once_a_round_and_holds_up_no_other(
    world: World,
) -> None:
    with Receiver() as receiver:
        world.webhook(f"http://127.0.0.1:{free_port()}/nobody", events=["opened"])
        world.webhook(receiver.url, events=["opened"])
        world.open_case()
        world.open_case("Another")

        report = world.deliver(mail=False)

    assert (report.retried, report.sent) == (1, 2)
    assert len(receiver.requests) == 2
    dead = [d["attempts"] for d in world.deliveries() if d["status"] == "queued"]
    assert sorted(dead) == [0, 1]


def test_a_receiver_that_times_out_is_tried_again_through_an_injected_transport(
    world: World,
) -> None:
    seen: list[httpx.Request] = []

    def slow(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        raise httpx.ReadTimeout("no answer in 10 s", request=request)

    _hook, secret = world.webhook("https://crm.example/hook", events=["opened"])
    world.open_case()
    notify.queue_notifications(world.engine, world.settings, now=world.clock.now)
    report = notify.deliver_notifications(world.engine, world.settings, None, now=world.clock.now,
                                          transport=httpx.MockTransport(slow))  # fmt: skip

    assert report.retried == 1
    [request] = seen
    assert request.url == "https://crm.example/hook"
    stamp, signed = request.headers["advocacy-signature"].removeprefix("t=").split(",v1=")
    expected = hmac.new(secret.encode(), f"{stamp}.".encode() + request.content, hashlib.sha256)
    assert signed == expected.hexdigest()
    [delivery] = world.deliveries()
    assert delivery["status"] == "queued"
    assert "no answer in 10 s" in delivery["error"]


def test_the_pause_between_tries_grows(world: World) -> None:
    world.webhook(f"http://127.0.0.1:{free_port()}/nobody", events=["opened"])
    world.open_case()
    pauses = []
    for _ in range(3):
        world.deliver(mail=False)
        [delivery] = world.deliveries()
        due = dt.datetime.fromisoformat(delivery["next_attempt_at"])
        pauses.append(due - world.clock.now)
        world.clock.now = due

    assert pauses == [dt.timedelta(minutes=5), dt.timedelta(minutes=10), dt.timedelta(minutes=20)]


def test_running_fan_out_and_delivery_again_never_delivers_an_event_twice(world: World) -> None:
    with Receiver() as receiver:
        world.webhook(receiver.url)
        case_id = world.open_case()
        world.assign(case_id, ANA)
        for _ in range(3):
            world.deliver(mail=False)
        # A crash after the notifications were written and before the cursor moved on.
        with world.engine.begin() as connection:
            connection.execute(
                update(CatalogueState.__table__)
                .where(CatalogueState.__table__.c.key == notify.CURSOR)
                .values(value=0)
            )
        assert notify.queue_notifications(world.engine, world.settings, now=world.clock.now) == 0
        world.deliver(mail=False)

    assert receiver.events() == ["opened", "assigned"]


def test_a_webhook_interrupted_mid_request_is_asked_again_with_the_same_delivery_id(
    world: World,
) -> None:
    with Receiver() as receiver:
        world.webhook(receiver.url, events=["opened"])
        world.open_case()
        notify.queue_notifications(world.engine, world.settings, now=world.clock.now)
        # A worker took it and died before it could record the answer.
        with world.engine.begin() as connection:
            connection.execute(
                update(notify.NOTIFICATIONS).values(
                    status="sending", attempts=1, lease_until=world.clock.now + notify.LEASE
                )
            )
        world.deliver(mail=False)
        assert receiver.requests == []
        world.clock.advance(minutes=11)
        report = world.deliver(mail=False)

    assert (report.interrupted, report.sent) == (1, 1)
    [delivery] = world.deliveries()
    assert receiver.requests[0].headers["advocacy-delivery"] == str(delivery["id"])
    assert (delivery["status"], delivery["attempts"]) == ("sent", 2)


def test_removing_a_webhook_cancels_what_was_queued_for_it(world: World) -> None:
    with Receiver() as receiver:
        hook, _secret = world.webhook(receiver.url)
        world.open_case()
        notify.queue_notifications(world.engine, world.settings, now=world.clock.now)

        removed = webhooks.remove_webhook(world.engine, hook)
        world.open_case("Another")
        world.deliver(mail=False)

    assert removed == {"id": hook, "active": False, "cancelled": 1}
    assert receiver.requests == []
    assert [d["status"] for d in world.deliveries()] == ["cancelled"]
    assert webhooks.list_webhooks(world.engine) == []
    assert [h["active"] for h in webhooks.list_webhooks(world.engine, include_removed=True)] == [
        False
    ]
    with pytest.raises(NotFound):
        webhooks.remove_webhook(world.engine, hook + 1)


def test_a_ping_tests_a_webhook_at_once_signed_like_every_delivery(world: World) -> None:
    with Receiver() as receiver:
        hook, secret = world.webhook(receiver.url)
        outcome = webhooks.ping_webhook(world.engine, hook, now=world.clock.now)
    down, _ = world.webhook(f"http://127.0.0.1:{free_port()}/nobody")
    failed = webhooks.ping_webhook(world.engine, down, now=world.clock.now)

    assert (outcome["status"], outcome["response_status"]) == ("sent", 200)
    [ping] = receiver.requests
    assert ping.signed_by(secret)
    assert ping.document["event"] == "ping"
    assert ping.headers["advocacy-delivery"] == outcome["delivery"]
    assert failed["status"] == "failed"
    assert "cannot reach" in failed["error"]


def test_events_before_notifications_first_ran_are_not_told(world: World) -> None:
    with Receiver() as receiver:
        world.webhook(receiver.url)
        world.open_case("Long ago")
        world.clock.advance(days=3)
        world.open_case("Now")
        world.deliver(mail=False)

    assert [r.document["case"]["title"] for r in receiver.requests] == ["Now"]


def test_the_cursor_waits_for_a_gap_in_the_event_ids_until_it_is_old(world: World) -> None:
    with Receiver() as receiver:
        world.webhook(receiver.url, events=["note"])
        case_id = world.open_case()
        casework.add_note(world.engine, case_id, "first", now=world.clock.now, actor=ANA)
        world.deliver(mail=False)
        # A note whose transaction took an id and has not committed yet (PostgreSQL hands
        # ids out before commit): the next one is seen first.
        events = casework.EVENTS
        with world.engine.connect() as connection:
            last = int(connection.scalar(select(events.c.id).order_by(events.c.id.desc())))
        with world.engine.begin() as connection:
            connection.execute(
                insert(events).values(id=last + 2, case_id=case_id, at=world.clock.now,
                                      actor=ANA, kind="note", detail={"text": "third"})
            )  # fmt: skip
        world.deliver(mail=False)
        with world.engine.begin() as connection:
            connection.execute(
                insert(events).values(id=last + 1, case_id=case_id, at=world.clock.now,
                                      actor=ANA, kind="note", detail={"text": "second"})
            )  # fmt: skip
        world.clock.advance(minutes=1)
        world.deliver(mail=False)

    assert [r.document["detail"]["text"] for r in receiver.requests] == ["first", "third", "second"]


# --- E-mail notifications ----------------------------------------------------------------------


def test_a_user_who_chose_spanish_is_told_of_a_case_in_spanish(world: World) -> None:
    accounts.create_user(world.engine, ANA, "a long enough password", "advocate",
                         now=world.clock.now, name="Ana Pop", locale="es-ES")  # fmt: skip
    case_id = world.open_case("<b>Pedido</b> roto", customer_id=_customer(world, "C3"))
    world.assign(case_id, ANA)
    world.deliver()
    world.clock.advance(days=4)
    casework.escalate_overdue(world.engine, now=world.clock.now)
    world.deliver()

    assigned, escalated = world.smtp.inbox.to(ANA)
    assert str(assigned["Subject"]) == f"Caso {case_id} asignado a usted: <b>Pedido</b> roto"
    assert assigned["Content-Language"] == "es"
    text = text_of(assigned)
    assert f"{LEAD} le ha asignado este caso." in text
    assert "Prioridad:" in text
    assert "Vence: 2026-11-26 09:00 UTC" in text
    assert "Abrir el caso" in html_of(assigned)
    assert "<b>Pedido</b>" not in html_of(assigned)  # the title is escaped in the HTML part
    assert str(escalated["Subject"]).startswith(f"Caso {case_id} escalado:")
    assert "(vencido)" in text_of(escalated)
    assert "escalado al nivel 1" in text_of(escalated)


def test_the_owner_is_mailed_on_assignment_and_escalation_and_never_for_their_own_action(
    world: World,
) -> None:
    accounts.create_user(world.engine, ANA, "a long enough password", "advocate",
                         now=world.clock.now, name="Ana Pop")  # fmt: skip
    case_id = world.open_case("Detractor answer: Ioana", customer_id=_customer(world, "C3"))
    world.assign(case_id, ANA)
    world.deliver()
    [assigned] = world.smtp.inbox.to(ANA)

    world.assign(case_id, ANA, actor=ANA)  # her own doing: no e-mail
    world.assign(case_id, ANA, actor="Ana Pop")  # the web app names her by her name
    world.deliver()
    assert len(world.smtp.inbox.to(ANA)) == 1

    world.clock.advance(days=4)
    casework.escalate_overdue(world.engine, now=world.clock.now)
    world.deliver()

    assert str(assigned["From"]) == "Kelvo care <care@kelvo.example>"
    assert str(assigned["Subject"]) == f"Case {case_id} assigned to you: Detractor answer: Ioana"
    assert assigned["Auto-Submitted"] == "auto-generated"
    text = text_of(assigned)
    assert f"{LEAD} assigned this case to you." in text
    assert f"https://advocacy.kelvo.example/cases/{case_id}" in text
    assert "Due: 2026-11-26 09:00 UTC" in text
    assert f'href="https://advocacy.kelvo.example/cases/{case_id}"' in html_of(assigned)
    [_, escalated] = world.smtp.inbox.to(ANA)
    [boss] = world.smtp.inbox.to(ESCALATIONS)
    for message in (escalated, boss):
        assert str(message["Subject"]).startswith(f"Case {case_id} escalated:")
        assert "escalated to level 1" in text_of(message)
        assert "(overdue)" in text_of(message)
    assert len(world.smtp.inbox.messages) == 3
    assert {d["status"] for d in world.deliveries()} == {"sent"}


def test_the_owner_is_mailed_when_new_feedback_joins_their_case(
    world: World, database_url: str, tmp_path: Path
) -> None:
    def answer(response: str, score: int, at: dt.datetime) -> dict[str, object]:
        return {"response_id": response, "customer_id": "C2", "score": score,
                "comment": "Опоздало", "responded_at": at.isoformat()}  # fmt: skip

    import_rows(database_url, tmp_path, "nps", [answer("A1", 3, START - dt.timedelta(hours=2))])
    casework.run_rules(world.engine, now=world.clock.now)
    [case] = casework.list_cases(world.engine, now=world.clock.now)
    world.assign(case["id"], ANA)
    world.deliver()
    world.clock.advance(hours=1)
    import_rows(database_url, tmp_path, "nps", [answer("A2", 1, START + dt.timedelta(minutes=30))])
    casework.run_rules(world.engine, now=world.clock.now)
    world.deliver()

    subjects = [str(m["Subject"]) for m in world.smtp.inbox.to(ANA)]
    assert subjects[0].startswith(f"Case {case['id']} assigned to you")
    assert subjects[1].startswith(f"Case {case['id']} new feedback")
    assert len(subjects) == 2


def test_the_owner_is_mailed_when_the_customer_answers_the_re_survey(world: World) -> None:
    from advocacy.services import resurveys, surveys

    surveys.create_survey(world.engine, now=world.clock.now, key="after-case", name="After")
    case_id = world.open_case(customer_id=_customer(world, "C4"))
    world.assign(case_id, ANA)
    casework.change_status(world.engine, case_id, "resolved", now=world.clock.now, actor=ANA)
    invitation = resurveys.resurvey(world.engine, world.settings, case_id, survey_key="after-case",
                                    now=world.clock.now, actor=ANA)  # fmt: skip
    world.deliver()
    world.clock.advance(hours=5)
    with world.engine.begin() as connection:  # the customer answers (the survey tests do it)
        connection.execute(
            update(SurveyInvitation.__table__)
            .where(SurveyInvitation.__table__.c.id == invitation)
            .values(answered_at=world.clock.now, score=9)
        )
    world.deliver()
    world.deliver()

    kinds = [event["kind"] for event in world.timeline(case_id)]
    assert kinds.count("resurvey_answered") == 1
    last = world.smtp.inbox.to(ANA)[-1]
    assert str(last["Subject"]).startswith(f"Case {case_id} re-survey answered")
    assert "answered the re-survey with 9 of 10" in text_of(last)


def test_a_hostile_case_title_is_escaped_and_cannot_add_headers(world: World) -> None:
    title = "<script>alert(1)</script>\r\nBcc: victim@evil.example\r\n\r\nHi"
    case_id = world.open_case(title)
    world.assign(case_id, ANA)
    world.deliver()

    [message] = world.smtp.inbox.messages
    assert message["Bcc"] is None
    assert "\n" not in str(message["Subject"])
    assert "\r" not in str(message["Subject"])
    assert str(message["To"]) == ANA
    page = html_of(message)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "victim@evil.example" not in str(message["To"])


def test_mail_notifications_wait_without_a_mail_server_then_go_once(world: World) -> None:
    case_id = world.open_case()
    world.assign(case_id, ANA)
    world.deliver(mail=False)
    down = SmtpMailer("127.0.0.1", free_port(), security="none", timeout=2)
    notify.deliver_notifications(world.engine, world.settings, down, now=world.clock.now)
    [waiting] = world.deliveries()
    assert (waiting["status"], waiting["attempts"]) == ("queued", 1)
    assert "cannot reach the mail server" in waiting["error"]

    world.clock.advance(minutes=6)
    world.deliver()
    world.deliver()

    assert len(world.smtp.inbox.to(ANA)) == 1
    assert world.deliveries()[0]["status"] == "sent"


def test_a_mail_notification_interrupted_mid_send_is_failed_not_sent_again(world: World) -> None:
    case_id = world.open_case()
    world.assign(case_id, ANA)
    notify.queue_notifications(world.engine, world.settings, now=world.clock.now)
    with world.engine.begin() as connection:
        connection.execute(
            update(notify.NOTIFICATIONS).values(
                status="sending", attempts=1, lease_until=world.clock.now + notify.LEASE
            )
        )
    world.clock.advance(minutes=11)
    world.deliver()

    assert world.smtp.inbox.messages == []
    [delivery] = world.deliveries()
    assert (delivery["status"], delivery["error"]) == ("failed", notify.MAIL_INTERRUPTED)


# --- Replies to customers ----------------------------------------------------------------------


def _reply(world: World, case_id: int, **values: Any) -> int:
    row = {
        "case_id": case_id,
        "channel": "email",
        "language": "es",
        "subject": "Sentimos el retraso",
        "body": "Hola Ana,\n\nSu pedido <b>llega</b> mañana.\r\nBcc: x@evil.example\n\nKelvo",
        "to_address": "ana@example.es",
        "status": "queued",
        "attempts": 0,
        "next_attempt_at": world.clock.now,
        "created_at": world.clock.now,
        "created_by": ANA,
        **values,
    }
    with world.engine.begin() as connection:
        return int(
            connection.execute(insert(CaseReply.__table__).values(**row)).inserted_primary_key[0]  # type: ignore[index]
        )


def _reply_row(world: World, reply_id: int) -> dict[str, Any]:
    table = CaseReply.__table__
    with world.engine.connect() as connection:
        return dict(connection.execute(select(table).where(table.c.id == reply_id)).one()._mapping)


def _send_replies(world: World, mailer: SmtpMailer | None = None) -> notify.DeliveryReport:
    return notify.send_due_replies(
        world.engine, world.settings, mailer or world.mailer, now=world.clock.now
    )


def test_a_queued_reply_is_e_mailed_once_and_the_timeline_says_so(world: World) -> None:
    case_id = world.open_case(customer_id=_customer(world, "C1"))
    reply_id = _reply(world, case_id)

    report = _send_replies(world)
    _send_replies(world)
    world.clock.advance(days=1)
    _send_replies(world)

    assert report.sent == 1
    [message] = world.smtp.inbox.messages
    assert str(message["To"]) == "ana@example.es"
    assert str(message["From"]) == "Kelvo care <care@kelvo.example>"
    assert str(message["Subject"]) == "Sentimos el retraso"
    assert message["Content-Language"] == "es"
    assert message["Bcc"] is None
    assert "Su pedido <b>llega</b> mañana." in text_of(message)
    page = html_of(message)
    assert "Su pedido &lt;b&gt;llega&lt;/b&gt; mañana.<br>" in page
    assert "<b>" not in page
    row = _reply_row(world, reply_id)
    assert (row["status"], row["sent_at"], row["attempts"]) == ("sent", START, 1)
    sent = [e for e in world.timeline(case_id) if e["kind"] == "reply_sent"]
    assert [(e["reply_id"], e["actor"]) for e in sent] == [(reply_id, "mail")]


def test_a_reply_refused_with_550_fails_with_the_reason(world: World) -> None:
    case_id = world.open_case()
    reply_id = _reply(world, case_id)
    world.smtp.inbox.refuse = 550

    report = _send_replies(world)
    world.smtp.inbox.refuse = None
    world.clock.advance(days=1)
    _send_replies(world)

    assert report.failed == 1
    assert world.smtp.inbox.messages == []
    row = _reply_row(world, reply_id)
    assert row["status"] == "failed"
    assert "550" in row["error"]
    [failed] = [e for e in world.timeline(case_id) if e["kind"] == "reply_failed"]
    assert failed["reply_id"] == reply_id


def test_a_reply_to_an_unreachable_mail_server_is_tried_again_later(world: World) -> None:
    case_id = world.open_case()
    reply_id = _reply(world, case_id)
    down = SmtpMailer("127.0.0.1", free_port(), security="none", timeout=2)

    report = _send_replies(world, down)
    waiting = _reply_row(world, reply_id)
    _send_replies(world)  # too early
    world.clock.advance(minutes=6)
    _send_replies(world)
    _send_replies(world)

    assert report.retried == 1
    assert (waiting["status"], waiting["attempts"]) == ("queued", 1)
    assert waiting["next_attempt_at"] == START + dt.timedelta(minutes=5)
    assert "cannot reach the mail server" in waiting["error"]
    assert len(world.smtp.inbox.messages) == 1
    assert _reply_row(world, reply_id)["status"] == "sent"


def test_a_reply_interrupted_mid_send_is_failed_and_never_sent_again(world: World) -> None:
    case_id = world.open_case()
    reply_id = _reply(world, case_id, status="sending", attempts=1,
                      lease_until=START + dt.timedelta(minutes=10))  # fmt: skip

    _send_replies(world)
    world.clock.advance(minutes=11)
    report = _send_replies(world)
    _send_replies(world)

    assert report.interrupted == 1
    assert world.smtp.inbox.messages == []
    row = _reply_row(world, reply_id)
    assert (row["status"], row["error"]) == ("failed", notify.REPLY_INTERRUPTED)
    assert [e["kind"] for e in world.timeline(case_id)].count("reply_failed") == 1


def test_replies_and_platform_replies_are_left_alone_without_a_mail_server(world: World) -> None:
    case_id = world.open_case()
    queued = _reply(world, case_id)
    to_post = _reply(world, case_id, channel="platform", status="to_post", to_address=None)

    notify.send_due_replies(world.engine, world.settings, None, now=world.clock.now)
    _send_replies(world)

    assert _reply_row(world, queued)["status"] == "sent"
    assert _reply_row(world, to_post)["status"] == "to_post"
    assert len(world.smtp.inbox.messages) == 1


# --- The worker --------------------------------------------------------------------------------


def test_the_worker_tells_webhooks_and_owners_and_sends_replies_in_its_rounds(
    world: World,
) -> None:
    with Receiver() as receiver:
        world.webhook(receiver.url, events=["assigned", "reply_sent"])
        case_id = world.open_case()
        world.assign(case_id, ANA)
        _reply(world, case_id)
        worker = Worker(world.engine, world.settings, mailer=world.mailer, clock=world.clock,
                        analyse=False)  # fmt: skip
        first = worker.run_once()
        worker.run_once()

    assert first["notifications"]["queued"] == 2
    assert first["replies"]["sent"] == 1
    assert receiver.events() == ["assigned", "reply_sent"]
    assert len(world.smtp.inbox.to(ANA)) == 1
    assert len(world.smtp.inbox.to("ana@example.es")) == 1
