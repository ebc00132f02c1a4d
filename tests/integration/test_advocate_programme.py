"""The advocate programme runs on a simulated clock over crafted customer histories: advocates
are kept over time with their transitions, and the six practices become work — cases that jump
the queue, thank-yous in the customer's language e-mailed through a real SMTP server on
loopback, feedback requests after purchases, milestones and rewards against a budget, tasks for
their posts with reminders to the owners — and every customer is invited to review after a
purchase, whatever they think of us, with an audit that shows it. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, update

from advocacy import open_catalogue
from advocacy.config import Settings, load_settings
from advocacy.errors import InvalidInput, NotFound
from advocacy.jobs.worker import Worker
from advocacy.mail.smtp import SmtpMailer
from advocacy.services import advocate_programme as programme
from advocacy.services import cases as casework
from advocacy.services import customer_messages as messages
from advocacy.services import surveys
from advocacy.store.engine import build_engine
from advocacy.store.tables import FeedbackItem, SurveyInvitation
from tests import factories
from tests.integration.test_closing_the_loop import Clock
from tests.mail_server import SmtpServer, text_of

START = dt.datetime(2026, 11, 23, 9, 0)
OLGA, PEDRO = "olga@kelvo.example", "pedro@kelvo.example"


@dataclass
class World:
    url: str
    folder: Path
    engine: Engine
    settings: Settings
    smtp: SmtpServer
    clock: Clock

    def worker(self) -> Worker:
        mailer = SmtpMailer("127.0.0.1", self.smtp.port, security="none", timeout=5)
        return Worker(self.engine, self.settings, mailer=mailer, clock=self.clock, analyse=False)

    def run(self, **kwargs: Any) -> dict[str, Any]:
        return programme.run_programme(
            self.engine, self.settings, now=self.clock.now, force=True, **kwargs
        ).as_dict()

    def import_rows(self, kind: str, rows: list[dict[str, Any]]) -> None:
        catalogue = open_catalogue(self.url)
        try:
            path = self.folder / f"{kind}-{len(list(self.folder.iterdir()))}.csv"
            catalogue.import_file(kind, factories.write_csv(path, rows))
        finally:
            catalogue.close()

    def answer(self, response: str, customer: str, score: int, days_ago: float = 0) -> None:
        when = self.clock.now - dt.timedelta(days=days_ago)
        row = {
            "response_id": response,
            "customer_id": customer,
            "score": score,
            "comment": "",
            "responded_at": when.isoformat(),
        }
        self.import_rows("nps", [row])

    def advocate(self, customer: str) -> Any:
        c = programme._CUSTOMERS.c
        with self.engine.connect() as connection:
            return connection.execute(
                select(programme.ADVOCATES)
                .join(programme._CUSTOMERS, c.id == programme.ADVOCATES.c.customer_id)
                .where(c.external_id == customer)
            ).first()

    def set(self, name: str, value: Any) -> None:
        programme.set_setting(
            self.engine, name, value, actor="lead@kelvo.example", now=self.clock.now
        )


@pytest.fixture
def world(database_url: str, tmp_path: Path) -> Iterator[World]:
    engine = build_engine(database_url)
    with SmtpServer() as smtp:
        settings = load_settings(
            database_url=database_url,
            base_url="http://testserver",
            mail_from="Kelvo <care@kelvo.example>",
        )
        folder = tmp_path / "imports"
        folder.mkdir()
        found = World(database_url, folder, engine, settings, smtp, Clock())
        found.import_rows("customers", factories.customers(4))
        found.set("owners", [OLGA, PEDRO])
        found.set("contact", "+34 900 100 200 · vip@kelvo.example")
        found.set("thank_you", True)
        found.set("listening", True)
        yield found
    engine.dispose()


def _log_kinds(world: World, customer: str) -> list[str]:
    with world.engine.connect() as connection:
        customer_id = programme.customer_id_of(connection, customer)
    return [entry["kind"] for entry in reversed(programme.advocate_log(world.engine, customer_id))]


# --- the lifecycle ---------------------------------------------------------------------------


def test_advocates_are_kept_over_time_with_every_change_of_status_in_their_log(
    world: World,
) -> None:
    world.answer("A1", "C1", 10, days_ago=1)
    world.answer("A2", "C1", 9, days_ago=10)  # two recent promoters: 40·0.979 + 15 = 54.2
    world.answer("A3", "C3", 9, days_ago=20)  # one: 40·0.463 + 15 = 33.5, a candidate

    first = world.run()

    assert first["changes"] == {"new_active": 1, "new_candidate": 1}
    ana, ioana = world.advocate("C1"), world.advocate("C3")
    assert (ana.status, ana.score, ana.since) == ("active", 54.2, START)
    assert (ioana.status, ioana.score) == ("candidate", 33.5)
    assert {ana.owner, ioana.owner} == {OLGA, PEDRO}  # each owner looks after one

    world.clock.now = START + dt.timedelta(days=200)  # nothing new for 200 days
    world.run()

    ana = world.advocate("C1")
    assert (ana.status, ana.since) == ("lapsed", world.clock.now)
    assert any("nothing positive since" in reason for reason in ana.reasons)
    with world.engine.connect() as connection:
        customer_id = programme.customer_id_of(connection, "C1")
    changes = [
        e["detail"]
        for e in programme.advocate_log(world.engine, customer_id)
        if e["kind"] == "status"
    ]
    assert [(c["previous"], c["status"]) for c in reversed(changes)] == [
        (None, "active"),
        ("active", "lapsed"),
    ]

    world.answer("A4", "C1", 10)  # a promoter again: back to active
    world.run()

    assert world.advocate("C1").status == "active"


def test_an_advocate_who_turns_detractor_lapses_with_the_reason_and_gets_no_more_work(
    world: World,
) -> None:
    world.answer("A1", "C4", 10, days_ago=2)
    world.answer("A2", "C4", 10, days_ago=5)
    world.run()
    assert world.advocate("C4").status == "active"

    world.clock.now += dt.timedelta(days=1)
    world.answer("A3", "C4", 3)
    report = world.run()

    jane = world.advocate("C4")
    assert jane.status == "lapsed"
    assert jane.reasons == [
        f"no longer an advocate: detractor answer (3) on {world.clock.now:%Y-%m-%d}"
    ]
    assert report["changes"] == {"active_to_lapsed": 1}
    assert report["tasks"] == {}


def test_a_customer_who_never_was_a_promoter_is_never_in_the_programme(world: World) -> None:
    world.answer("A1", "C2", 8, days_ago=1)
    world.answer("A2", "C2", 3, days_ago=2)

    world.run()

    assert world.advocate("C2") is None
    assert programme.list_programme(world.engine) == []


def test_running_the_programme_twice_changes_nothing_the_second_time(world: World) -> None:
    world.answer("A1", "C1", 10, days_ago=1)
    world.answer("A2", "C1", 10, days_ago=3)
    world.import_rows(
        "reviews",
        [
            {
                "review_id": "R1",
                "platform": "Trustpilot",
                "rating": 5,
                "title": "",
                "text": "Great",
                "author": "Ana",
                "posted_at": (START - dt.timedelta(days=1)).isoformat(),
                "url": None,
                "customer_id": "C1",
                "language": "es",
                "product": None,
            }
        ],
    )
    world.run()
    with world.engine.connect() as connection:
        before = [
            len(connection.execute(select(t)).all())
            for t in (programme.TASKS, programme.EVENTS, messages.MESSAGES)
        ]

    again = world.run()

    with world.engine.connect() as connection:
        after = [
            len(connection.execute(select(t)).all())
            for t in (programme.TASKS, programme.EVENTS, messages.MESSAGES)
        ]
    assert after == before
    assert (again["changes"], again["tasks"], again["milestones"]) == ({}, {}, 0)


def test_the_worker_reads_the_catalogue_again_only_when_something_landed_or_an_hour_went_by(
    world: World,
) -> None:
    world.answer("A1", "C1", 10, days_ago=1)
    engine, settings = world.engine, world.settings

    assert programme.run_programme(engine, settings, now=START).evaluated
    assert not programme.run_programme(
        engine, settings, now=START + dt.timedelta(minutes=5)
    ).evaluated
    world.answer("A2", "C3", 10)
    assert programme.run_programme(engine, settings, now=START + dt.timedelta(minutes=6)).evaluated
    assert programme.run_programme(engine, settings, now=START + dt.timedelta(hours=2)).evaluated


# --- respect -----------------------------------------------------------------------------------


def test_an_active_advocates_case_starts_one_priority_higher_and_an_open_one_is_raised(
    world: World,
) -> None:
    before = casework.open_case_about(
        world.engine,
        now=START,
        actor="agent@kelvo.example",
        customer_ref="C1",
        title="Billing question",
    )
    world.answer("A1", "C1", 10, days_ago=1)
    world.answer("A2", "C1", 10, days_ago=2)

    report = world.run()

    assert report["cases_raised"] == 1
    raised = casework.get_case(world.engine, before, now=START)
    assert raised["priority"] == "high"
    assert any(e["kind"] == "priority" and e.get("reason") for e in raised["timeline"])

    after = casework.open_case_about(
        world.engine,
        now=START,
        actor="agent@kelvo.example",
        customer_ref="C1",
        title="Another question",
    )
    other = casework.open_case_about(
        world.engine,
        now=START,
        actor="agent@kelvo.example",
        customer_ref="C2",
        title="Same question",
    )
    assert casework.get_case(world.engine, after, now=START)["priority"] == "high"
    assert casework.get_case(world.engine, other, now=START)["priority"] == "normal"
    queue = [c["id"] for c in casework.list_cases(world.engine, now=START, status="active")]
    assert queue.index(after) < queue.index(other)


# --- appreciation ------------------------------------------------------------------------------


def test_a_promoter_answer_is_thanked_in_the_customers_language_with_the_direct_contact(
    world: World,
) -> None:
    world.answer("A1", "C1", 10, days_ago=1)
    world.answer("A2", "C1", 9, days_ago=2)

    report = world.run()

    assert report["messages"] == {"thanks_queued": 1, "thanks_skipped": 1}  # once a month
    [queued] = messages.list_messages(world.engine, kind="thank_you", status="queued")
    [skipped] = messages.list_messages(world.engine, kind="thank_you", status="skipped")
    assert queued["language"] == "es"
    assert queued["to"] == "ana@example.es"
    assert skipped["reason"] == f"thanked on {START:%Y-%m-%d}, within 30 days"

    world.worker().run_once()  # not before a day has passed: the owner may still cancel it
    assert world.smtp.inbox.to("ana@example.es") == []

    world.clock.now = START + dt.timedelta(hours=25)
    world.worker().run_once()

    [mail] = world.smtp.inbox.to("ana@example.es")
    assert mail["Subject"] == "Gracias, Ana López"
    assert "+34 900 100 200 · vip@kelvo.example" in text_of(mail)
    assert mail["Content-Language"] == "es"
    assert "thank_you" in _log_kinds(world, "C1")


def test_a_thank_you_can_be_cancelled_and_an_unsubscribed_customer_is_not_thanked(
    world: World,
) -> None:
    world.answer("A1", "C1", 10, days_ago=1)
    world.answer("A2", "C1", 10, days_ago=40)
    world.answer("A3", "C2", 10, days_ago=1)
    world.answer("A4", "C2", 10, days_ago=40)
    with world.engine.connect() as connection:
        ivan = programme.customer_id_of(connection, "C2")
    surveys.set_contact_preference(world.engine, ivan, now=START, unsubscribed=True)

    world.run()

    [ana] = messages.list_messages(world.engine, customer_ref="C1")
    [ivan_message] = messages.list_messages(world.engine, customer_ref="C2")
    assert (ivan_message["status"], ivan_message["reason"]) == ("skipped", "unsubscribed")
    messages.cancel_message(world.engine, ana["id"], actor=OLGA, now=START)
    with pytest.raises(InvalidInput, match="only a queued one"):
        messages.cancel_message(world.engine, ana["id"], actor=OLGA, now=START)

    world.clock.now = START + dt.timedelta(days=2)
    world.worker().run_once()

    assert world.smtp.inbox.messages == []


def test_an_unsubscribe_that_arrives_before_the_thank_you_goes_wins(world: World) -> None:
    world.answer("A1", "C1", 10, days_ago=1)
    world.answer("A2", "C1", 10, days_ago=40)
    world.run()
    with world.engine.connect() as connection:
        ana = programme.customer_id_of(connection, "C1")
    surveys.set_contact_preference(world.engine, ana, now=START, unsubscribed=True)

    world.clock.now = START + dt.timedelta(days=2)
    world.worker().run_once()

    [message] = messages.list_messages(world.engine, customer_ref="C1")
    assert (message["status"], message["reason"]) == ("skipped", "unsubscribed")
    assert world.smtp.inbox.messages == []


# --- presence, tasks and reminders -----------------------------------------------------------


def _positive_post(world: World, post: str, customer: str, days_ago: float = 0) -> None:
    when = world.clock.now - dt.timedelta(days=days_ago)
    world.import_rows(
        "social",
        [
            {
                "post_id": post,
                "network": "Instagram",
                "author": "@fan",
                "text": "<img src=x onerror=alert(1)> love it",
                "posted_at": when.isoformat(),
                "url": "https://instagram.example/p/1",
                "customer_id": customer,
                "likes": 120,
                "shares": 4,
                "language": "en",
            }
        ],
    )
    with world.engine.begin() as connection:  # what the text analysis writes on the post
        connection.execute(
            update(FeedbackItem).where(FeedbackItem.kind == "social").values(sentiment="positive")
        )


def test_an_advocates_post_gives_its_owner_a_task_with_reminders_until_it_is_done(
    world: World,
) -> None:
    world.answer("A1", "C4", 10, days_ago=3)
    world.answer("A2", "C4", 10, days_ago=4)
    _positive_post(world, "P1", "C4")
    world.worker().run_once()

    [share] = programme.list_tasks(world.engine, now=START, kind="share_post")
    owner = share["owner"]
    assert owner in (OLGA, PEDRO)
    assert share["title"] == "Share or answer Jane Smith's post on instagram"
    assert share["due_at"] == (START + dt.timedelta(days=3)).isoformat()
    assert share["details"]["url"] == "https://instagram.example/p/1"

    world.clock.now = START + dt.timedelta(days=2)  # not due yet: no reminder
    world.worker().run_once()
    assert _reminders(world, owner) == []

    world.clock.now = START + dt.timedelta(days=3, minutes=1)  # due: the first reminder
    world.worker().run_once()
    world.clock.now += dt.timedelta(hours=24)  # less than 48 hours later: none
    world.worker().run_once()
    assert len(_reminders(world, owner)) == 1

    world.clock.now += dt.timedelta(hours=25)  # 49 hours after the first: the second
    world.worker().run_once()
    reminders = _reminders(world, owner)
    assert [m["Subject"] for m in reminders] == [f"Overdue: {share['title']}"] * 2
    assert "/advocates/tasks" in text_of(reminders[0])

    programme.finish_task(
        world.engine, share["id"], actor=owner, now=world.clock.now, note="Shared it on our account"
    )
    world.clock.now += dt.timedelta(days=5)
    world.worker().run_once()

    assert len(_reminders(world, owner)) == 2
    assert _task_log(world, "C4", share["id"]) == [
        "task_created",
        "reminder",
        "reminder",
        "task_done",
    ]
    with pytest.raises(InvalidInput, match="done already"):
        programme.finish_task(world.engine, share["id"], actor=owner, now=world.clock.now)


def _task_log(world: World, customer: str, task_id: int) -> list[str]:
    with world.engine.connect() as connection:
        customer_id = programme.customer_id_of(connection, customer)
    log = reversed(programme.advocate_log(world.engine, customer_id))
    return [e["kind"] for e in log if e["detail"].get("task_id") == task_id]


def test_an_owner_who_chose_russian_is_reminded_in_russian(world: World) -> None:
    from advocacy.services import accounts

    for address in (OLGA, PEDRO):
        accounts.create_user(world.engine, address, "a long enough password", "advocate",
                             now=START, locale="ru")  # fmt: skip
    world.answer("A1", "C4", 10, days_ago=3)
    world.answer("A2", "C4", 10, days_ago=4)
    _positive_post(world, "P1", "C4")
    world.worker().run_once()
    [share] = programme.list_tasks(world.engine, now=START, kind="share_post")

    world.clock.now = START + dt.timedelta(days=3, minutes=1)
    world.worker().run_once()

    [reminder] = _reminders(world, share["owner"])
    assert reminder["Subject"] == f"Просрочено: {share['title']}"
    assert reminder["Content-Language"] == "ru"
    assert "Все ваши задачи: http://testserver/advocates/tasks" in text_of(reminder)
    assert "(просрочено)" in text_of(reminder)


def _reminders(world: World, owner: str) -> list[Any]:
    return [m for m in world.smtp.inbox.to(owner) if "Share or answer" in str(m["Subject"])]


def test_reminders_stop_after_the_most_the_settings_allow(world: World) -> None:
    world.set("max_reminders", 1)
    world.answer("A1", "C4", 10, days_ago=3)
    world.answer("A2", "C4", 10, days_ago=4)
    _positive_post(world, "P1", "C4")
    world.worker().run_once()
    [share] = programme.list_tasks(world.engine, now=START, kind="share_post")

    for days in (4, 7, 10):
        world.clock.now = START + dt.timedelta(days=days)
        world.worker().run_once()

    assert len(_reminders(world, share["owner"])) == 1
    assert programme.list_tasks(world.engine, now=world.clock.now, overdue=True)


def test_a_task_can_be_given_to_someone_else_or_set_by_hand_and_bad_input_is_refused(
    world: World,
) -> None:
    world.answer("A1", "C4", 10, days_ago=3)
    world.answer("A2", "C4", 10, days_ago=4)
    world.run()
    [welcome] = programme.list_tasks(world.engine, now=START, kind="welcome")

    moved = programme.assign_task(
        world.engine, welcome["id"], "Ines@Kelvo.Example", actor=OLGA, now=START
    )
    made = programme.create_task(
        world.engine,
        "C4",
        "Send <b>the mug</b>",
        kind="other",
        due=START + dt.timedelta(days=7),
        owner=None,
        actor=OLGA,
        now=START,
    )

    assert moved["owner"] == "ines@kelvo.example"
    assert (made["title"], made["owner"]) == ("Send <b>the mug</b>", world.advocate("C4").owner)
    with pytest.raises(InvalidInput, match="e-mail address"):
        programme.assign_task(world.engine, welcome["id"], "<script>", actor=OLGA, now=START)
    with pytest.raises(InvalidInput, match="title"):
        programme.create_task(
            world.engine, "C4", "x" * 301, due=START, owner=None, actor=OLGA, now=START
        )
    with pytest.raises(NotFound, match="not in the advocate programme"):
        programme.create_task(
            world.engine, "C2", "Call", due=START, owner=None, actor=OLGA, now=START
        )
    with pytest.raises(NotFound):
        programme.finish_task(world.engine, 99_999, actor=OLGA, now=START)


# --- accessibility and active listening ------------------------------------------------------


def test_a_new_active_advocate_gets_a_welcome_task_and_sees_the_direct_contact(
    world: World,
) -> None:
    world.answer("A1", "C4", 10, days_ago=3)
    world.answer("A2", "C4", 10, days_ago=4)

    world.run()

    detail = programme.advocate_detail(world.engine, "C4", now=START)
    assert detail["contact"] == "+34 900 100 200 · vip@kelvo.example"
    assert sorted(t["kind"] for t in detail["tasks"]) == ["reward", "welcome"]


def test_each_purchase_of_an_active_advocate_brings_a_feedback_request(world: World) -> None:
    surveys.create_survey(world.engine, now=START, key="advocates", name="How was it?")
    world.set("listening_survey", "advocates")
    world.answer("A1", "C1", 10, days_ago=3)
    world.answer("A2", "C1", 10, days_ago=4)
    world.answer("A3", "C3", 10, days_ago=3)
    world.answer("A4", "C3", 10, days_ago=4)

    def order(order: str, customer: str, days_ago: int, status: str) -> dict[str, Any]:
        return {
            "order_id": order,
            "customer_id": customer,
            "amount": "50",
            "currency": "EUR",
            "ordered_at": (START - dt.timedelta(days=days_ago)).isoformat(),
            "status": status,
        }

    world.import_rows(
        "orders",
        [
            order("O1", "C1", 2, "delivered"),
            order("O2", "C1", 90, "delivered"),
            order("O3", "C3", 1, "cancelled"),
        ],
    )

    first = world.run()
    again = world.run()

    assert first["feedback_requests"] == {"queued": 1}
    assert again["feedback_requests"] == {}
    with world.engine.connect() as connection:
        [invitation] = connection.execute(select(SurveyInvitation.__table__)).all()
    assert (invitation.trigger_key, invitation.status) == (
        f"advocate-order:{invitation.order_id}",
        "queued",
    )
    assert "feedback_request" in _log_kinds(world, "C1")


# --- recognition -------------------------------------------------------------------------------


def test_milestones_are_logged_and_the_newest_gives_a_reward_task_paid_from_the_budget(
    world: World,
) -> None:
    world.set("budget_amount", 100)
    for number, days in enumerate((3, 20, 40), start=1):
        world.answer(f"A{number}", "C1", 10, days_ago=days)

    world.run()

    detail = programme.advocate_detail(world.engine, "C1", now=START)
    assert detail["milestones"] == ["first_promoter_answer", "three_promoter_answers"]
    [reward_task] = [t for t in detail["tasks"] if t["kind"] == "reward"]
    assert reward_task["title"] == "Recognise Ana López: three promoter answers"

    given = programme.give_reward(
        world.engine,
        "C1",
        kind="Gift card",
        amount=60,
        task_id=reward_task["id"],
        actor=OLGA,
        now=START,
    )

    assert given["milestone"] == "three_promoter_answers"
    assert given["budget"] == {
        "year": 2026,
        "currency": "EUR",
        "budget": 100.0,
        "spent": 60.0,
        "left": 40.0,
        "rewards": 1,
    }
    assert programme.get_task(world.engine, reward_task["id"], now=START)["status"] == "done"
    with pytest.raises(InvalidInput, match=r"over budget: 50.00 EUR asked, 40.00 EUR left"):
        programme.give_reward(world.engine, "C1", kind="Dinner", amount=50, actor=OLGA, now=START)
    with pytest.raises(InvalidInput, match="budget is in EUR"):
        programme.give_reward(
            world.engine, "C1", kind="Mug", amount=5, currency="usd", actor=OLGA, now=START
        )
    programme.give_reward(
        world.engine, "C1", kind="Handwritten card", amount=0, actor=OLGA, now=START
    )
    next_year = dt.datetime(2027, 1, 2)
    assert programme.budget_status(world.engine, now=next_year)["left"] == 100.0
    assert [r["kind"] for r in programme.list_rewards(world.engine, customer_ref="C1")] == [
        "Handwritten card",
        "Gift card",
    ]


# --- review invitations ------------------------------------------------------------------------


def test_every_customer_is_invited_to_review_after_a_purchase_whatever_their_score(
    world: World,
) -> None:
    with pytest.raises(InvalidInput, match="review platforms"):
        world.set("review_invitations", True)
    world.set(
        "review_platforms", [{"name": "Trustpilot", "url": "https://trustpilot.example/kelvo"}]
    )
    world.set("review_invitations", True)
    world.answer("A1", "C1", 10, days_ago=30)  # a promoter
    world.answer("A2", "C2", 8, days_ago=30)  # a passive
    world.answer("A3", "C3", 2, days_ago=30)  # a detractor; C4 never answered
    delivered = (START - dt.timedelta(days=8)).isoformat()
    world.import_rows(
        "orders",
        [
            {
                "order_id": f"O{n}",
                "customer_id": f"C{n}",
                "ordered_at": delivered,
                "amount": "10",
                "currency": "EUR",
                "status": "delivered",
                "delivered_at": delivered,
            }
            for n in (1, 2, 3, 4)
        ]
        + [
            {
                "order_id": "O5",
                "customer_id": "C1",
                "ordered_at": delivered,
                "amount": "5",
                "currency": "EUR",
                "status": "delivered",
                "delivered_at": delivered,
            }
        ],
    )

    report = world.run()

    assert (report["messages"]["review_queued"], report["messages"]["review_skipped"]) == (4, 1)
    audit = messages.review_audit(world.engine)
    by_category = {c["category"]: c for c in audit["categories"]}
    counts = {k: (v["considered"], v["asked"]) for k, v in by_category.items()}
    assert counts == {
        "promoter": (2, 1),
        "passive": (1, 1),
        "detractor": (1, 1),
        "no answer": (1, 1),
    }
    assert by_category["promoter"]["skipped"] == {"asked recently": 1}
    assert (audit["gated"], audit["skipped_for_other_reasons"]) == (False, {})

    world.worker().run_once()
    [ioana] = world.smtp.inbox.to("ioana@example.ro")  # the detractor is asked too, in Romanian
    assert ioana["Subject"].startswith("Cum a fost comanda O")
    assert "Trustpilot: https://trustpilot.example/kelvo" in text_of(ioana)


def test_an_audit_row_left_out_for_any_other_reason_shows_as_gating(world: World) -> None:
    with world.engine.begin() as connection:
        customer_id = programme.customer_id_of(connection, "C3")
        connection.execute(
            messages.MESSAGES.insert().values(
                customer_id=customer_id,
                kind="review_invitation",
                status="skipped",
                reason="low score",
                dedupe_key="review:order:crafted",
                audit={"nps_category": "detractor"},
                attempts=0,
                created_at=START,
                created_by="someone",
            )
        )

    audit = messages.review_audit(world.engine)

    assert (audit["gated"], audit["skipped_for_other_reasons"]) == (True, {"low score": 1})


# --- settings ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("colour", "blue", "no advocate setting 'colour'"),
        ("owners", ["olga@kelvo.example", "<script>alert(1)</script>"], "not an e-mail address"),
        ("owners", [f"o{n}@kelvo.example" for n in range(101)], "at most 100"),
        ("budget_amount", -5, "a number from 0"),
        ("budget_amount", "NaN", "a number from 0"),
        ("budget_currency", "euro", "three-letter currency code"),
        ("contact", "x" * 301, "at most 300 characters"),
        ("task_days", 2.5, "a whole number"),
        ("thank_you", "maybe", "true or false"),
        ("review_platforms", [{"name": "Evil", "url": "javascript:alert(1)"}], "http(s) address"),
        ("review_platforms", "https://trustpilot.example", "a list"),
    ],
)
def test_a_bad_setting_is_refused_with_a_clear_error_and_nothing_saved(
    world: World, name: str, value: Any, message: str
) -> None:
    before = programme.programme_settings(world.engine)

    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        world.set(name, value)

    assert programme.programme_settings(world.engine) == before


def test_nothing_is_written_to_customers_on_its_own_until_a_lead_turns_it_on(
    database_url: str, tmp_path: Path
) -> None:
    engine = build_engine(database_url)
    settings = load_settings(database_url=database_url, base_url="http://testserver")
    world = World(database_url, tmp_path, engine, settings, SmtpServer(), Clock())
    world.import_rows("customers", factories.customers(4))
    world.answer("A1", "C1", 10, days_ago=1)
    world.answer("A2", "C1", 10, days_ago=2)

    report = world.run()

    assert (report["messages"], report["feedback_requests"]) == ({}, {})
    assert report["changes"] == {"new_active": 1}  # the advocate is found all the same
    engine.dispose()


def test_a_setting_set_to_nothing_goes_back_to_its_default(world: World) -> None:
    world.set("task_days", 5)
    assert programme.programme_settings(world.engine).task_days == 5

    world.set("task_days", None)

    assert programme.programme_settings(world.engine).task_days == 3


def test_no_survey_is_made_or_asked_when_no_advocate_bought_anything(world: World) -> None:
    world.answer("A1", "C1", 10, days_ago=3)
    world.answer("A2", "C1", 10, days_ago=4)

    report = world.run()

    assert report["feedback_requests"] == {}
    assert surveys.list_surveys(world.engine) == []


def test_feedback_requests_wait_for_a_survey_that_does_not_exist(world: World) -> None:
    world.set("listening_survey", "gone")
    world.answer("A1", "C1", 10, days_ago=3)
    world.answer("A2", "C1", 10, days_ago=4)
    world.import_rows(
        "orders",
        [
            {
                "order_id": "O1",
                "customer_id": "C1",
                "amount": "5",
                "currency": "EUR",
                "status": "delivered",
                "ordered_at": (START - dt.timedelta(days=1)).isoformat(),
            }
        ],
    )

    report = world.run()

    assert report["feedback_requests"] == {"waiting": 1}


def test_a_thank_you_the_mail_server_defers_is_sent_later_and_one_it_refuses_fails(
    world: World,
) -> None:
    for n, customer in enumerate(("C1", "C4")):
        world.answer(f"A{n}a", customer, 10, days_ago=1)
        world.answer(f"A{n}b", customer, 10, days_ago=40)
    world.run()
    world.clock.now = START + dt.timedelta(days=2)

    world.smtp.inbox.refuse = 451  # busy: try again later
    first = messages.send_due_messages(
        world.engine, world.settings, world.worker().mailer, now=world.clock.now
    )
    world.smtp.inbox.refuse = None
    world.clock.now += dt.timedelta(hours=2)
    second = messages.send_due_messages(
        world.engine, world.settings, world.worker().mailer, now=world.clock.now
    )

    assert (first.sent, first.retried) == (0, 1)  # the round stops at the first deferral
    assert second.sent == 2
    assert {m["status"] for m in messages.list_messages(world.engine, kind="thank_you")} == {"sent"}

    world.answer("A9", "C2", 10, days_ago=0)
    world.answer("A8", "C2", 10, days_ago=50)
    world.run()
    world.clock.now += dt.timedelta(days=2)
    world.smtp.inbox.refuse = 550
    refused = messages.send_due_messages(
        world.engine, world.settings, world.worker().mailer, now=world.clock.now
    )
    [ivan] = messages.list_messages(world.engine, customer_ref="C2")
    assert refused.failed == 1
    assert ivan["status"] == "failed"
    assert "550" in (ivan["error"] or "")
