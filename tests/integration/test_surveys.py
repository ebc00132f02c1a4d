"""Surveys end to end: triggers over a simulated calendar, e-mail through a real SMTP server on
loopback, one-click answers through the web app, and the answers in the catalogue — on SQLite
and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, update

from advocacy import open_catalogue
from advocacy.config import Settings, load_settings
from advocacy.jobs.worker import Worker
from advocacy.mail.smtp import SmtpMailer
from advocacy.services import dashboard as board
from advocacy.services import invitations, surveys
from advocacy.services.facts import facts_are_current, refresh_facts
from advocacy.services.outbox import INTERRUPTED, deliver_due
from advocacy.store.engine import build_engine
from advocacy.store.tables import FeedbackItem, SurveyInvitation
from advocacy.web.app import create_app
from tests import factories
from tests.mail_server import SmtpServer, html_of, score_links, text_of
from tests.web.conftest import Clock

START = dt.datetime(2026, 11, 2, 9, 0, 0)


@dataclass
class World:
    engine: Engine
    settings: Settings
    smtp: SmtpServer
    clock: Clock
    web: TestClient

    def worker(self, **kwargs: object) -> Worker:
        mailer = SmtpMailer("127.0.0.1", self.smtp.port, security="none", timeout=5)
        options: dict[str, object] = {"mailer": mailer, "clock": self.clock, "analyse": False}
        options.update(kwargs)
        return Worker(self.engine, self.settings, **options)  # type: ignore[arg-type]

    def round(self) -> dict[str, object]:
        return self.worker().run_once()

    def items(self) -> list[dict[str, object]]:
        f = FeedbackItem.__table__.c
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(FeedbackItem.__table__).where(f.external_id.like("advocacy-%"))
            ).all()
        return [dict(row._mapping) for row in rows]

    def invitation(self, invitation_id: int) -> dict[str, object]:
        table = SurveyInvitation.__table__
        with self.engine.connect() as connection:
            row = connection.execute(select(table).where(table.c.id == invitation_id)).one()
        return dict(row._mapping)

    def path(self, url: str) -> str:
        return urlparse(url).path


def _orders(day: dt.datetime) -> list[dict[str, object]]:
    """One order a customer, delivered on ``day`` (C2's two days late)."""
    rows = []
    for number, customer in enumerate(("C1", "C2", "C3", "C4"), start=1):
        rows.append(
            {
                "order_id": f"D{number}",
                "customer_id": customer,
                "ordered_at": (day - dt.timedelta(days=5)).isoformat(),
                "amount": "80",
                "currency": "EUR",
                "status": "delivered",
                "promised_delivery_at": (day - dt.timedelta(days=2 if customer == "C2" else 0))
                .date()
                .isoformat(),
                "delivered_at": day.isoformat(),
                "product": "Kettle",
            }
        )
    return rows


def import_rows(url: str, folder: Path, kind: str, rows: list[dict[str, object]]) -> None:
    catalogue = open_catalogue(url)
    try:
        catalogue.import_file(kind, factories.write_csv(folder / f"{kind}-{len(rows)}.csv", rows))
    finally:
        catalogue.close()


@pytest.fixture
def world(database_url: str, tmp_path: Path) -> Iterator[World]:
    import_rows(database_url, tmp_path, "customers", factories.customers(4))
    engine = build_engine(database_url)
    clock = Clock(START)
    with SmtpServer() as smtp:
        settings = load_settings(
            database_url=database_url,
            base_url="http://testserver",
            dashboard_cache_seconds="0",
            mail_from="Kelvo <surveys@kelvo.example>",
        )
        app = create_app(settings, engine=engine, clock=clock, worker=False)
        with TestClient(app, raise_server_exceptions=False) as web:
            yield World(engine, settings, smtp, clock, web)
    engine.dispose()


def post_delivery_survey(world: World, **values: object) -> surveys.SurveyInfo:
    options: dict[str, object] = {
        "key": "post-delivery",
        "name": "After delivery",
        "trigger": "delivery",
        "delay_days": 3,
        "touchpoint": "delivery",
        "starts_at": START - dt.timedelta(days=30),
    }
    options.update(values)
    return surveys.create_survey(world.engine, now=world.clock.now, **options)


def test_a_delivery_triggers_one_e_mail_in_the_customers_language_after_the_delay(
    world: World, database_url: str, tmp_path: Path
) -> None:
    post_delivery_survey(world)
    import_rows(database_url, tmp_path, "orders", _orders(START - dt.timedelta(days=1)))

    world.round()
    assert world.smtp.inbox.messages == []

    world.clock.advance(days=2)
    world.round()
    world.round()

    inbox = world.smtp.inbox
    assert len(inbox.messages) == 4
    spanish, russian = inbox.to("ana@example.es"), inbox.to("ivan@example.ru")
    assert len(spanish) == 1
    assert len(russian) == 1
    assert spanish[0]["Subject"] == "Una pregunta sobre su pedido reciente"
    assert spanish[0]["Content-Language"] == "es"
    assert "¿Qué probabilidad hay de que nos recomiende" in html_of(spanish[0])
    assert "Здравствуйте, Иван Петров!" in text_of(russian[0])
    assert "D2" in text_of(russian[0])  # the late order is asked about too
    assert inbox.to("ioana@example.ro")[0]["Subject"].startswith("O întrebare")
    assert inbox.to("jane@example.co.uk")[0]["Subject"] == "One question about your recent order"
    assert spanish[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_one_click_in_the_e_mail_records_the_score_and_the_reason_updates_the_same_item(
    world: World, database_url: str, tmp_path: Path
) -> None:
    post_delivery_survey(world)
    import_rows(database_url, tmp_path, "orders", _orders(START - dt.timedelta(days=3)))
    world.round()
    links = score_links(world.smtp.inbox.to("ana@example.es")[0])

    clicked = world.web.get(world.path(links[9]), follow_redirects=False)
    assert clicked.status_code == 303
    page = world.web.get(clicked.headers["location"])
    assert page.status_code == 200
    assert "¿Cuál es el motivo principal de su puntuación?" in page.text
    assert 'value="9" checked' in page.text

    [item] = world.items()
    assert item["kind"] == "nps"
    assert item["rating"] == 9
    assert item["rating_scale"] == 10
    assert item["customer_ref"] == "C1"
    assert item["order_ref"] == "D1"
    assert item["customer_id"] is not None
    assert item["order_id"] is not None
    assert item["channel"] == "email"
    assert item["touchpoint"] == "delivery"
    assert item["language"] == "es"
    assert item["text"] is None

    thanks = world.web.post(
        world.path(links[0]).rsplit("/", 1)[0],
        data={"score": "9", "comment": "Llegó rápido, <b>todo</b> perfecto"},
    )
    assert thanks.status_code == 200
    assert "¡Gracias por su respuesta!" in thanks.text
    world.web.get(world.path(links[6]))  # changes their mind

    [item] = world.items()
    assert item["rating"] == 6
    assert item["text"] == "Llegó rápido, <b>todo</b> perfecto"
    invitation = world.invitation(int(item["attributes"]["invitation_id"]))  # type: ignore[index]
    assert invitation["score"] == 6
    assert invitation["feedback_item_id"] == item["id"]


def test_answers_reach_the_dashboard_at_once_without_rebuilding_its_facts(world: World) -> None:
    refresh_facts(world.engine)
    before = board.dashboard(world.engine, board.DashboardFilter())["nps"]["answers"]
    for customer, score in (("C1", 10), ("C2", 3), ("C3", 9)):
        info = invitations.invite(world.engine, world.settings, customer, now=world.clock.now)
        world.web.get(world.path(info.links.score_urls[score]))

    assert facts_are_current(world.engine)
    document = board.dashboard(world.engine, board.DashboardFilter())
    assert document["nps"]["answers"] == before + 3
    month = board.DashboardFilter(since=dt.date(2026, 11, 1), until=dt.date(2026, 11, 30))
    assert board.nps_section(world.engine, month, facts=True) == board.nps_section(
        world.engine, month
    )


@pytest.mark.parametrize("score", ["11", "-1", "abc", "10.0", "99999999999999999999"])
def test_a_score_outside_0_to_10_gets_an_error_page_and_stores_nothing(
    world: World, score: str
) -> None:
    info = invitations.invite(world.engine, world.settings, "C3", now=world.clock.now)

    clicked = world.web.get(f"{world.path(info.links.url)}/{score}")
    posted = world.web.post(world.path(info.links.url), data={"score": score, "comment": "x"})

    assert clicked.status_code == 400
    assert "Alegeți o notă de la 0 la 10." in clicked.text
    assert posted.status_code == 400
    assert world.items() == []


def _tampered(token: str) -> list[str]:
    ident, signature = token.split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    return [
        f"{ident}.{flipped}",
        f"{int(ident) + 1}.{signature}",
        f"{ident}.{signature[:-1]}",
        f"{ident}{signature}",
        "1.AAAAAAAAAAAAAAAAAAAAAA",
        "<script>alert(1)</script>",
    ]


def test_a_tampered_or_forged_link_gets_an_error_page_and_stores_nothing(world: World) -> None:
    info = invitations.invite(world.engine, world.settings, "C4", now=world.clock.now)
    invitations.invite(world.engine, world.settings, "C1", now=world.clock.now)
    token = world.path(info.links.url).split("/")[2]

    for forged in _tampered(token):
        page = world.web.get(f"/s/{forged}/10")
        assert page.status_code == 404, forged
        if "/" not in forged:  # else it is another address, with the app's own 404 page
            assert "This link is not valid" in page.text
        assert "<script>alert(1)</script>" not in page.text
        refused = (404, 405) if "/" in forged else (404,)
        assert world.web.post(f"/s/{forged}", data={"score": "10"}).status_code in refused
        assert world.web.post(f"/s/{forged}/answers", json={"score": 10}).status_code in refused
    assert world.items() == []


def test_replaying_a_click_updates_and_never_duplicates(world: World) -> None:
    info = invitations.invite(world.engine, world.settings, "C2", now=world.clock.now)
    for _ in range(3):
        assert world.web.get(world.path(info.links.score_urls[8])).status_code == 200
    answered = world.invitation(info.id)["answered_at"]
    world.clock.advance(hours=5)
    world.web.get(world.path(info.links.score_urls[8]))

    assert len(world.items()) == 1
    assert world.invitation(info.id)["answered_at"] == answered  # the first answer's time


def test_an_expired_link_is_refused_but_still_unsubscribes(world: World) -> None:
    info = invitations.invite(world.engine, world.settings, "C1", now=world.clock.now)
    world.clock.advance(days=31)

    page = world.web.get(world.path(info.links.score_urls[10]))
    assert page.status_code == 410
    assert "Esta encuesta ya está cerrada" in page.text
    assert world.items() == []

    done = world.web.post(world.path(info.links.unsubscribe_url))
    assert done.status_code == 200
    assert "Se ha dado de baja" in done.text
    with pytest.raises(Exception, match="unsubscribed"):
        invitations.invite(world.engine, world.settings, "C1", now=world.clock.now)


def test_unsubscribing_is_honoured_by_queued_e_mails_triggers_and_sends(
    world: World, database_url: str, tmp_path: Path
) -> None:
    post_delivery_survey(world, min_days_between=0)
    queued = invitations.invite(
        world.engine, world.settings, "C1", now=world.clock.now, channel="email"
    )
    confirm = world.web.get(world.path(queued.links.unsubscribe_url))
    assert confirm.status_code == 200
    assert "Darme de baja" in confirm.text
    # The mail app's one-click unsubscribe (RFC 8058) posts this body.
    world.web.post(world.path(queued.links.unsubscribe_url), content=b"List-Unsubscribe=One-Click")
    import_rows(database_url, tmp_path, "orders", _orders(START - dt.timedelta(days=3)))

    world.round()
    report = invitations.send_to_segment(
        world.engine, world.settings, "post-delivery", now=world.clock.now, segment="consumer"
    )

    assert world.smtp.inbox.to("ana@example.es") == []
    assert world.invitation(queued.id)["status"] == "skipped"
    assert report.skipped == {"unsubscribed": 1}
    assert report.queued == 1


def test_one_reminder_goes_to_those_who_did_not_answer(
    world: World, database_url: str, tmp_path: Path
) -> None:
    post_delivery_survey(world, reminder_days=2)
    import_rows(database_url, tmp_path, "orders", _orders(START - dt.timedelta(days=3)))
    world.round()
    answered = score_links(world.smtp.inbox.to("jane@example.co.uk")[0])
    world.web.get(world.path(answered[10]))

    world.clock.advance(days=1)
    world.round()
    assert len(world.smtp.inbox.messages) == 4

    world.clock.advance(days=1)
    world.round()
    world.clock.advance(days=5)
    world.round()

    reminders = [
        m
        for m in world.smtp.inbox.messages
        if "eminder" in str(m["Subject"])
        or "Recordatorio" in str(m["Subject"])
        or "Напоминание" in str(m["Subject"])
        or "Reamintire" in str(m["Subject"])
    ]
    assert len(world.smtp.inbox.messages) == 7
    assert sorted(str(m["To"]).split("<")[-1].rstrip(">") for m in reminders) == [
        "ana@example.es",
        "ioana@example.ro",
        "ivan@example.ru",
    ]


def test_a_customer_is_asked_at_most_once_per_period(
    world: World, database_url: str, tmp_path: Path
) -> None:
    post_delivery_survey(world, min_days_between=30, delay_days=0)
    first = _orders(START - dt.timedelta(days=1))[:1]
    second = [
        {**first[0], "order_id": "D1b", "delivered_at": (START + dt.timedelta(days=9)).isoformat()}
    ]
    third = [
        {**first[0], "order_id": "D1c", "delivered_at": (START + dt.timedelta(days=40)).isoformat()}
    ]
    import_rows(database_url, tmp_path, "orders", first + second + third)

    world.round()
    world.clock.advance(days=10)
    world.round()
    world.clock.advance(days=31)
    world.round()

    assert len(world.smtp.inbox.to("ana@example.es")) == 2
    skipped = invitations.list_invitations(world.engine, world.settings, status="skipped")
    assert [(s.order_id, s.error) for s in skipped] == [
        ("D1b", "asked on 2026-11-02, within 30 days")
    ]


def test_withdrawn_consent_and_required_consent_are_respected(
    world: World, database_url: str, tmp_path: Path
) -> None:
    people = factories.customers(4)
    people[0]["survey_consent"] = "no"
    people[1]["survey_consent"] = "yes"
    import_rows(database_url, tmp_path, "customers", people)
    post_delivery_survey(world, min_days_between=0)
    import_rows(database_url, tmp_path, "orders", _orders(START - dt.timedelta(days=3)))

    world.round()
    assert world.smtp.inbox.to("ana@example.es") == []
    assert len(world.smtp.inbox.messages) == 3

    strict = load_settings(database_url=world.settings.database_url, survey_consent="required")
    report = invitations.send_to_segment(
        world.engine, strict, "post-delivery", now=world.clock.now, country="RU"
    )
    others = invitations.send_to_segment(
        world.engine, strict, "post-delivery", now=world.clock.now, country="RO"
    )
    assert report.queued == 1
    assert others.queued == 0
    assert others.skipped == {"no consent given": 1}


def test_an_unreachable_mail_server_is_tried_again_later_and_sends_once(world: World) -> None:
    info = invitations.invite(
        world.engine, world.settings, "C4", now=world.clock.now, channel="email"
    )
    down = SmtpMailer("127.0.0.1", 1, security="none", timeout=2)

    deliver_due(world.engine, world.settings, down, now=world.clock.now)
    waiting = world.invitation(info.id)
    assert waiting["status"] == "queued"
    assert waiting["attempts"] == 1
    assert "cannot reach the mail server" in str(waiting["error"])

    world.round()  # too early: the pause has not passed
    assert world.smtp.inbox.messages == []
    world.clock.advance(minutes=6)
    world.round()
    world.round()

    assert len(world.smtp.inbox.messages) == 1
    assert world.invitation(info.id)["status"] == "sent"


def test_a_refused_address_fails_the_invitation_for_good(world: World) -> None:
    info = invitations.invite(
        world.engine, world.settings, "C4", now=world.clock.now, channel="email"
    )
    world.smtp.inbox.refuse = 550

    world.round()
    world.smtp.inbox.refuse = None
    world.clock.advance(days=1)
    world.round()

    failed = world.invitation(info.id)
    assert failed["status"] == "failed"
    assert "550" in str(failed["error"])
    assert world.smtp.inbox.messages == []


def test_an_e_mail_interrupted_while_sending_is_never_sent_twice(world: World) -> None:
    info = invitations.invite(
        world.engine, world.settings, "C3", now=world.clock.now, channel="email"
    )
    # A worker took it and died before it could say whether the server had it.
    with world.engine.begin() as connection:
        connection.execute(
            update(SurveyInvitation.__table__)
            .where(SurveyInvitation.__table__.c.id == info.id)
            .values(status="sending", lease_until=world.clock.now + dt.timedelta(minutes=10))
        )
    world.round()
    world.clock.advance(minutes=11)
    world.round()

    assert world.smtp.inbox.messages == []
    assert world.invitation(info.id)["status"] == "failed"
    assert world.invitation(info.id)["error"] == INTERRUPTED


def test_a_worker_stopped_midway_leaves_the_rest_for_the_next_which_sends_each_once(
    world: World,
) -> None:
    for customer in ("C1", "C2", "C3", "C4"):
        invitations.invite(
            world.engine, world.settings, customer, now=world.clock.now, channel="email"
        )
    mailer = SmtpMailer("127.0.0.1", world.smtp.port, security="none")
    sent: list[int] = []

    def after_two() -> bool:
        sent.append(1)
        return len(sent) > 2

    first = deliver_due(
        world.engine, world.settings, mailer, now=world.clock.now, should_stop=after_two
    )
    assert first.sent == 2
    world.round()  # a new worker, after the restart
    world.round()

    assert len(world.smtp.inbox.messages) == 4
    assert sorted(str(m["To"]) for m in world.smtp.inbox.messages) == sorted(
        {str(m["To"]) for m in world.smtp.inbox.messages}
    )


def test_public_answers_are_anonymous_nps_items_and_a_repeated_response_id_updates(
    world: World,
) -> None:
    surveys.create_survey(world.engine, now=world.clock.now, key="site", name="Website")
    body = {"response_id": "r" * 20, "score": 10, "language": "ro"}

    first = world.web.post("/p/site/answers", json=body)
    again = world.web.post("/p/site/answers", json={**body, "comment": "Foarte bine"})

    assert first.status_code == 201
    assert again.status_code == 200
    assert first.headers["access-control-allow-origin"] == "*"
    [item] = world.items()
    assert item["customer_id"] is None
    assert item["channel"] == "link"
    assert item["language"] == "ro"
    assert item["text"] == "Foarte bine"
    assert item["attributes"]["anonymous"] is True  # type: ignore[index]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"not json", 400),
        (b"[1, 2]", 400),
        (b'{"response_id": "rrrrrrrrrrrrrrrrrrrr", "score": 11}', 400),
        (b'{"response_id": "rrrrrrrrrrrrrrrrrrrr", "score": true}', 400),
        (b'{"response_id": "rrrrrrrrrrrrrrrrrrrr", "score": "10; DROP TABLE x"}', 400),
        (b'{"response_id": "short", "score": 5}', 400),
        (b'{"response_id": "rrrrrrrrrrrrrrrrrrrr"}', 400),
        (b'{"response_id": "rrrrrrrrrrrrrrrrrrrr", "score": 5, "comment": 7}', 400),
        (b'{"response_id": "rrrrrrrrrrrrrrrrrrrr", "score": 5, "answers": {"x": 1}}', 400),
        (
            b'{"response_id": "rrrrrrrrrrrrrrrrrrrr", "score": 5, "comment": "'
            + b"x" * 70_000
            + b'"}',
            400,
        ),
    ],
)
def test_bad_public_answers_are_refused_with_a_reason_and_store_nothing(
    world: World, body: bytes, status: int
) -> None:
    surveys.create_survey(world.engine, now=world.clock.now, key="site", name="Website")

    response = world.web.post(
        "/p/site/answers", content=body, headers={"content-type": "application/json"}
    )

    assert response.status_code == status
    assert response.json()["error"]["detail"]
    assert world.items() == []


def test_a_closed_or_unknown_survey_takes_no_public_answers(world: World) -> None:
    surveys.create_survey(world.engine, now=world.clock.now, key="site", name="Website")
    surveys.update_survey(world.engine, "site", now=world.clock.now, active=False)
    body = {"response_id": "r" * 20, "score": 7}

    assert world.web.post("/p/site/answers", json=body).status_code == 410
    assert world.web.post("/p/nothing/answers", json=body).status_code == 404
    assert world.web.get("/p/site").status_code == 410
    assert world.items() == []


def test_hostile_text_is_stored_as_written_and_shown_inert(world: World) -> None:
    info = invitations.invite(world.engine, world.settings, "C4", now=world.clock.now)
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)> {{ 7*7 }}\x00'
    world.web.post(world.path(info.links.url), data={"score": "2", "comment": hostile})

    [item] = world.items()
    assert item["text"] == hostile.replace("\x00", "")
    page = world.web.get(world.path(info.links.url))
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;" in page.text
    assert "49" not in page.text


def test_the_public_page_and_its_form_answer_in_the_browsers_language(world: World) -> None:
    surveys.create_survey(world.engine, now=world.clock.now, key="site", name="Website")

    page = world.web.get("/p/site", headers={"accept-language": "ru-RU,ru;q=0.9"})
    assert page.status_code == 200
    assert 'lang="ru"' in page.text
    assert "Насколько вероятно" in page.text
    response_id = page.text.split('name="response_id" value="')[1].split('"')[0]
    done = world.web.post(
        "/p/site",
        data={"response_id": response_id, "language": "ru", "score": "9", "comment": "Отлично"},
    )
    assert done.status_code == 200
    assert "Спасибо за ваш ответ!" in done.text
    [item] = world.items()
    assert item["language"] == "ru"
    assert item["rating"] == 9


def test_the_survey_answer_page_has_an_accessible_scale(world: World) -> None:
    info = invitations.invite(world.engine, world.settings, "C1", now=world.clock.now)
    page = world.web.get(world.path(info.links.url)).text

    assert page.count('type="radio" name="score"') == 11
    assert "<fieldset" in page
    assert "<legend>" in page
    assert '<label class="reason" for="comment">' in page
    assert 'name="viewport"' in page


def test_extra_questions_are_asked_and_their_answers_kept(world: World) -> None:
    surveys.create_survey(
        world.engine,
        now=world.clock.now,
        key="extra",
        name="With extras",
        questions=[
            {
                "id": "ease",
                "type": "choice",
                "label": {"en": "Was ordering easy?", "es": "¿Fue fácil pedir?"},
                "choices": {"en": ["Yes", "No"], "es": ["Sí", "No"]},
            },
            {"id": "idea", "type": "text", "label": {"en": "One thing to improve?"}},
        ],
    )
    info = invitations.invite(
        world.engine, world.settings, "C1", now=world.clock.now, survey_key="extra"
    )
    page = world.web.get(world.path(info.links.url))
    assert "¿Fue fácil pedir?" in page.text
    assert "One thing to improve?" in page.text

    world.web.post(
        world.path(info.links.url), data={"score": "8", "q-ease": "0", "q-idea": "Más colores"}
    )
    bad = world.web.post(world.path(info.links.url), data={"score": "8", "q-ease": "7"})

    assert bad.status_code == 400
    [item] = world.items()
    assert item["attributes"]["answers"] == {  # type: ignore[index]
        "ease": {"choice": 0, "label": "Sí"},
        "idea": "Más colores",
    }


def test_the_worker_analyses_the_answers_comments(world: World) -> None:
    info = invitations.invite(world.engine, world.settings, "C4", now=world.clock.now)
    world.web.post(
        world.path(info.links.url),
        data={"score": "1", "comment": "Terrible delivery, the parcel arrived broken and late."},
    )

    world.worker(analyse=True).run_once()

    [item] = world.items()
    assert item["analyzed_at"] is not None
    assert item["sentiment"] == "negative"
    with world.engine.connect() as connection:
        pending = connection.scalar(
            select(func.count()).where(FeedbackItem.__table__.c.analyzed_at.is_(None))
        )
    assert pending == 0


def test_a_survey_switched_off_elsewhere_stops_public_answers_within_its_cache_time(
    world: World,
) -> None:
    from advocacy.services.answers import LinkRefused, SurveyCache, answer_public

    surveys.create_survey(world.engine, now=world.clock.now, key="site", name="Website")
    moments = iter([0.0, 0.5, 1.5])
    cache = SurveyCache(seconds=1.0, clock=lambda: next(moments))

    def answer(response: str) -> object:
        return answer_public(world.engine, world.settings, "site", now=world.clock.now,
                             response_id=response * 20, score=9, surveys=cache)  # fmt: skip

    answer("a")
    surveys.update_survey(world.engine, "site", now=world.clock.now, active=False)
    answer("b")  # still within the second the definition is kept

    with pytest.raises(LinkRefused):
        answer("c")
    assert len(world.items()) == 2


def test_switching_a_survey_off_on_its_page_stops_public_answers_at_once(
    world: World,
) -> None:
    from advocacy.access import Role
    from advocacy.services import accounts
    from tests.web.conftest import PASSWORD, csrf_of, log_in

    surveys.create_survey(world.engine, now=world.clock.now, key="site", name="Website")
    accounts.create_user(world.engine, "lead@example.com", PASSWORD, Role.LEAD, now=world.clock.now)
    body = {"score": 9, "language": "en"}
    assert (
        world.web.post("/p/site/answers", json={**body, "response_id": "a" * 20}).status_code == 201
    )
    log_in(world.web, "lead@example.com", PASSWORD)

    world.web.post(
        "/surveys/site", data={"csrf_token": csrf_of(world.web, "/surveys"), "active": "no"}
    )

    assert (
        world.web.post("/p/site/answers", json={**body, "response_id": "b" * 20}).status_code == 410
    )
