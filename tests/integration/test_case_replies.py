"""Replies from a case and re-surveys after it is resolved: templates in the customer's language,
e-mail or a public reply posted by hand, the export of what is to post, and the customer asked
again — by hand and by the worker on a moved clock — on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update

from advocacy import open_catalogue
from advocacy.config import Settings, load_settings
from advocacy.errors import InvalidInput, NotFound
from advocacy.jobs.worker import Worker
from advocacy.services import answers, case_metrics, invitations, resurveys, surveys
from advocacy.services import case_replies as replies
from advocacy.services import cases as casework
from advocacy.store.engine import build_engine
from advocacy.store.tables import Case, SurveyInvitation
from tests import factories

NOW = dt.datetime(2026, 11, 23, 12, 0)


def _answer(response: str, customer: str, score: int, days_ago: float, **more: object) -> dict:
    return {
        "response_id": response,
        "customer_id": customer,
        "score": score,
        "comment": "Llegó tarde" if score <= 6 else "Perfecto",
        "responded_at": (NOW - dt.timedelta(days=days_ago)).isoformat(),
        **more,
    }


def _import(url: str, folder: Path, kind: str, rows: list[dict[str, object]]) -> None:
    catalogue = open_catalogue(url)
    try:
        catalogue.import_file(kind, factories.write_csv(folder / f"{kind}-{len(rows)}.csv", rows))
    finally:
        catalogue.close()


@pytest.fixture
def engine(database_url: str, tmp_path: Path) -> Engine:
    people = [
        *factories.customers(4),
        # No address and no locale: reachable only where they wrote in public.
        {"customer_id": "C5", "name": "Ghost", "email": "", "locale": ""},
    ]
    _import(database_url, tmp_path, "customers", people)
    _import(database_url, tmp_path, "nps", [
        _answer("A1", "C1", 2, 2), _answer("A2", "C2", 5, 1), _answer("A4", "C4", 3, 1),
        _answer("A5", "C5", 1, 1, language="ro"),
    ])  # fmt: skip
    _import(database_url, tmp_path, "reviews", [
        {"review_id": "R1", "platform": "trustpilot", "rating": 1, "author": "@bob",
         "text": "=HYPERLINK(\"http://evil.example\") <script>alert(1)</script> Late again.",
         "posted_at": (NOW - dt.timedelta(days=1)).isoformat(), "language": "en"},
    ])  # fmt: skip
    found = build_engine(database_url)
    casework.run_rules(found, now=NOW)
    return found


@pytest.fixture
def settings(database_url: str) -> Settings:
    return load_settings(
        database_url=database_url,
        base_url="http://testserver",
        mail_from="Kelvo <care@kelvo.example>",
    )


def _case_of(engine: Engine, customer: str) -> int:
    [case] = casework.list_cases(engine, now=NOW, customer_ref=customer)
    return int(case["id"])


def _review_case(engine: Engine) -> int:
    [case] = casework.list_cases(engine, now=NOW, type="negative_review")
    return int(case["id"])


# --- templates ----------------------------------------------------------------------------


def test_five_templates_ship_in_four_languages_with_only_known_placeholders(
    engine: Engine,
) -> None:
    found = replies.list_templates(engine)

    assert {(t.key, t.language) for t in found} == {
        (key, language) for key in replies.KEYS for language in ("en", "es", "ru", "ro")
    }
    for template in found:
        assert not template.custom
        assert replies.check_template(template.subject, template.body)
        if template.key == "review_reply":  # public: nothing personal
            assert "{customer_name}" not in template.body
            assert "{order}" not in template.body + template.subject
    engine.dispose()


def test_a_missing_name_gives_a_neutral_greeting_in_every_language() -> None:
    greetings = {}
    for language in ("en", "es", "ru", "ro"):
        template = replies.Template("apology", language, *replies.DEFAULTS[language]["apology"],
                                    custom=False)  # fmt: skip
        _subject, body = replies.render(template, {"company": "Kelvo"})
        greetings[language] = body.split("\n")[0]
        assert "{" not in body
        assert body.endswith("\nKelvo")  # no empty line where the agent's name would be

    assert greetings == {"en": "Hello,", "es": "Hola:", "ru": "Здравствуйте!", "ro": "Bună ziua,"}


def test_braces_and_line_breaks_in_a_customers_name_are_kept_as_text() -> None:
    template = replies.Template("late_delivery", "en", *replies.DEFAULTS["en"]["late_delivery"],
                                custom=False)  # fmt: skip

    subject, body = replies.render(template, {
        "customer_name": "{company}{agent}\r\nBcc: all@example.com", "company": "Kelvo",
        "agent": "Ana", "order": "{order.__class__}",
    })  # fmt: skip

    assert subject == "Your order {order.__class__} is running late"
    assert body.startswith("Hello {company}{agent} Bcc: all@example.com,\n")
    assert body.endswith("Kind regards,\nAna\nKelvo")


def test_a_placeholder_at_the_start_of_a_line_goes_with_the_comma_after_it() -> None:
    values: dict[str, str | None] = {}
    assert replies.fill("{customer_name}, thank you.\nHello {customer_name}, all.", values) == (
        "thank you.\nHello, all."
    )


def test_a_hostile_customer_name_is_written_into_the_reply_as_plain_text(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    name = "<script>alert(1)</script>{company}{agent}"
    _import(database_url, tmp_path, "customers", [
        {"customer_id": "C6", "name": name, "email": "evil@example.com", "locale": "en-US"}
    ])  # fmt: skip
    _import(database_url, tmp_path, "nps", [_answer("A6", "C6", 0, 0.5)])
    casework.run_rules(engine, now=NOW)

    reply = replies.write_reply(engine, _case_of(engine, "C6"), actor="a", now=NOW,
                                template="thanks", agent="Ana", company="Kelvo")  # fmt: skip

    assert reply["body"].startswith(f"Hello {name},\n")
    assert reply["body"].endswith("Kind regards,\nAna\nKelvo")
    engine.dispose()


def test_a_saved_template_replaces_the_shipped_wording_and_bad_ones_are_refused(
    engine: Engine,
) -> None:
    body = "Hola {customer_name}, <b>lo sentimos</b>.\n{agent}"
    saved = replies.set_template(engine, "apology", "es", "Perdón, {customer_name}", body, now=NOW)
    again = replies.set_template(engine, "apology", "es", "Perdón", "Lo sentimos.", now=NOW)
    new_key = replies.set_template(engine, "refund", "de", "Erstattung", "Hallo {customer_name}",
                                   now=NOW)  # fmt: skip

    assert saved.custom
    assert again.custom
    assert new_key.key == "refund"
    found = {(t.key, t.language): t for t in replies.list_templates(engine)}
    assert (found[("apology", "es")].subject, found[("apology", "es")].body) == (
        "Perdón", "Lo sentimos."
    )  # fmt: skip
    assert found[("refund", "de")].custom
    assert len(found) == 29  # the 28 shipped (7 templates × 4 languages) and one new
    bad = [
        ("apology", "en", "Hi", "Dear {customer_email}"),
        ("apology", "en", "Hi {name}", "Hello"),
        ("apology", "en", "Hi", "{customer_name.__class__.__mro__}"),
        ("apology", "en", "Hi", "{{customer_name}}"),
        ("apology", "en", "Hi", "an unclosed { brace"),
        ("apology", "en", "", "Hello"),
        ("apology", "en", "Hi", "   "),
        ("apology", "en", "Hi", "x" * 10_001),
        ("Apology!", "en", "Hi", "Hello"),
        ("apology", "english", "Hi", "Hello"),
        ("apology", "e1", "Hi", "Hello"),
    ]
    for key, language, subject, body in bad:
        with pytest.raises(InvalidInput):
            replies.set_template(engine, key, language, subject, body, now=NOW)
    engine.dispose()


# --- writing replies -----------------------------------------------------------------------


def test_a_reply_from_a_template_is_written_in_the_customers_language_and_queued_for_e_mail(
    engine: Engine, settings: Settings
) -> None:
    case_id = _case_of(engine, "C2")
    later = NOW + dt.timedelta(hours=2)

    reply = replies.write_reply(engine, case_id, actor="ana@example.com", now=later,
                                template="apology", agent="Ana",
                                company=replies.company_name(settings))  # fmt: skip

    assert (reply["channel"], reply["status"], reply["language"]) == ("email", "queued", "ru")
    assert reply["to_address"] == "ivan@example.ru"
    assert reply["subject"] == "Приносим извинения"
    assert reply["body"].startswith("Здравствуйте, Иван Петров!\n\nПриносим извинения")
    assert reply["body"].endswith("С уважением,\nAna\nKelvo")
    case = casework.get_case(engine, case_id, now=later)
    assert case["first_response_at"] == later.isoformat()
    assert case["timeline"][-1] == {
        "at": later.isoformat(), "actor": "ana@example.com", "kind": "reply",
        "reply_id": reply["id"], "channel": "email", "language": "ru", "template": "apology",
    }  # fmt: skip
    assert replies.replies_of(engine, case_id) == [reply]
    engine.dispose()


def test_the_language_is_the_one_asked_then_the_cases_then_the_customers_then_the_items(
    engine: Engine,
) -> None:
    assert replies.reply_language("ES", "ru", "ro-RO", "en") == "es"
    assert replies.reply_language(None, "ru", "ro-RO", "en") == "ru"
    assert replies.reply_language(None, None, "ro_RO", "en") == "ro"
    assert replies.reply_language(None, None, None, "ru") == "ru"
    assert replies.reply_language(None, None, "", None) == "en"
    with pytest.raises(InvalidInput):
        replies.reply_language("<script>", None, None, None)

    spanish = _case_of(engine, "C1")
    with engine.begin() as connection:
        connection.execute(update(Case).where(Case.id == spanish).values(language="ro"))
    assert replies.write_reply(engine, spanish, actor="a", now=NOW, template="thanks")[
        "body"
    ].startswith("Bună ziua, Ana López,")
    given = replies.write_reply(engine, spanish, actor="a", now=NOW, template="thanks",
                                language="en")  # fmt: skip
    assert given["body"].startswith("Hello Ana López,")
    german = replies.write_reply(engine, spanish, actor="a", now=NOW, template="thanks",
                                 language="de")  # fmt: skip
    assert german["language"] == "en"  # no German wording: English, and it says so
    engine.dispose()


def test_a_reply_written_by_hand_is_stored_as_written_html_included(engine: Engine) -> None:
    case_id = _case_of(engine, "C4")
    hostile = "<script>alert('x')</script>\n<b>Sorry</b> {company} \x00"

    reply = replies.write_reply(engine, case_id, actor="a", now=NOW, body=hostile)

    assert reply["body"] == "<script>alert('x')</script>\n<b>Sorry</b> {company}"
    assert reply["subject"] == "About your feedback"
    assert replies.write_reply(engine, case_id, actor="a", now=NOW, body="x" * 10_000)["id"]
    engine.dispose()


def test_a_public_review_is_answered_on_its_platform_and_exported_safely_for_posting(
    engine: Engine,
) -> None:
    case_id = _review_case(engine)

    reply = replies.write_reply(engine, case_id, actor="lead@example.com", now=NOW,
                                template="review_reply", company="Kelvo")  # fmt: skip

    assert (reply["channel"], reply["status"], reply["to_address"]) == ("platform", "to_post", None)
    assert (reply["platform"], reply["review_id"], reply["author"]) == ("trustpilot", "R1", "@bob")
    assert reply["body"].endswith("\n\nKelvo")
    assert [r["id"] for r in replies.replies_to_post(engine)] == [reply["id"]]
    [header, row] = list(csv.reader(io.StringIO(replies.to_post_csv(engine))))
    cells = dict(zip(header, row, strict=True))
    assert cells["platform"] == "trustpilot"
    assert cells["author"] == "'@bob"  # a spreadsheet would run it
    assert cells["review_excerpt"].startswith("'=HYPERLINK(")
    assert cells["rating"] == "1"
    assert cells["reply"] == reply["body"]
    assert cells["case_id"] == str(case_id)

    posted = replies.mark_posted(engine, reply["id"], actor="lead@example.com", now=NOW)

    assert (posted["status"], posted["sent_at"]) == ("posted", NOW.isoformat())
    assert replies.replies_to_post(engine) == []
    assert casework.get_case(engine, case_id, now=NOW)["timeline"][-1]["kind"] == "reply_posted"
    with pytest.raises(InvalidInput, match="posted, not waiting"):
        replies.mark_posted(engine, reply["id"], actor="lead@example.com", now=NOW)
    with pytest.raises(NotFound):
        replies.mark_posted(engine, 999_999, actor="lead@example.com", now=NOW)
    engine.dispose()


def test_a_public_reply_never_names_the_customer_or_the_order(engine: Engine) -> None:
    case_id = _review_case(engine)

    reply = replies.write_reply(engine, case_id, actor="a", now=NOW, template="late_delivery",
                                agent="Ana", company="Kelvo")  # fmt: skip

    assert reply["channel"] == "platform"
    assert reply["body"].startswith("Hello,\n\nYour order will not arrive")
    engine.dispose()


def test_a_reply_that_can_go_nowhere_and_bad_replies_are_refused_with_the_reason(
    engine: Engine,
) -> None:
    no_address = _case_of(engine, "C5")
    ok = _case_of(engine, "C1")
    with pytest.raises(InvalidInput, match="no e-mail address and it has no public review"):
        replies.write_reply(engine, no_address, actor="a", now=NOW, template="apology")
    with pytest.raises(InvalidInput, match="platform reply answers a review"):
        replies.write_reply(engine, ok, actor="a", now=NOW, body="Hi", channel="platform")
    refused = [
        {"body": "Hi", "template": "apology"},
        {},
        {"body": "   "},
        {"body": "x" * 10_001},
        {"body": "Hi", "channel": "sms"},
        {"body": "Hi", "item_id": 999_999},
        {"body": "Hi", "subject": "x" * 301},
    ]
    for options in refused:
        with pytest.raises(InvalidInput):
            replies.write_reply(engine, ok, actor="a", now=NOW, **options)  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        replies.write_reply(engine, ok, actor="a", now=NOW, template="no_such_template")
    with pytest.raises(NotFound):
        replies.write_reply(engine, 999_999, actor="a", now=NOW, body="Hi")
    with pytest.raises(NotFound):
        replies.replies_of(engine, 999_999)
    assert replies.replies_of(engine, ok) == []
    assert casework.get_case(engine, ok, now=NOW)["first_response_at"] is None
    engine.dispose()


# --- re-surveys ----------------------------------------------------------------------------


def _survey(engine: Engine, **values: object) -> surveys.SurveyInfo:
    return surveys.create_survey(engine, now=NOW - dt.timedelta(days=60), key="after-case",
                                 name="After your case", **values)  # fmt: skip


def _invitation(engine: Engine, invitation_id: int) -> dict[str, object]:
    table = SurveyInvitation.__table__
    with engine.connect() as connection:
        return dict(
            connection.execute(select(table).where(table.c.id == invitation_id)).one()._mapping
        )


def test_a_resolved_case_is_re_surveyed_once_even_right_after_the_last_survey(
    engine: Engine, settings: Settings
) -> None:
    _survey(engine)  # asks at most once per 90 days; the customer answered yesterday
    case_id = _case_of(engine, "C2")
    with pytest.raises(InvalidInput, match="resolve it"):
        resurveys.resurvey(engine, settings, case_id, survey_key="after-case", now=NOW, actor="a")
    casework.change_status(engine, case_id, "resolved", now=NOW, actor="a")
    with pytest.raises(NotFound):
        resurveys.resurvey(engine, settings, case_id, survey_key="nope", now=NOW, actor="a")
    with pytest.raises(NotFound):
        resurveys.resurvey(engine, settings, 999_999, survey_key="after-case", now=NOW, actor="a")

    invitation_id = resurveys.resurvey(engine, settings, case_id, survey_key="after-case",
                                       now=NOW, actor="ana@example.com")  # fmt: skip

    invitation = _invitation(engine, invitation_id)
    assert (invitation["status"], invitation["channel"]) == ("queued", "email")
    assert (invitation["email"], invitation["language"]) == ("ivan@example.ru", "ru")
    case = casework.get_case(engine, case_id, now=NOW)
    assert case["timeline"][-1]["kind"] == "resurvey"
    assert case["timeline"][-1]["invitation_id"] == invitation_id
    with pytest.raises(InvalidInput, match="re-surveyed already"):
        resurveys.resurvey(engine, settings, case_id, survey_key="after-case", now=NOW, actor="a")
    engine.dispose()


def test_an_unsubscribed_customer_or_one_without_consent_is_not_re_surveyed(
    engine: Engine, settings: Settings, database_url: str
) -> None:
    _survey(engine)
    spanish, russian = _case_of(engine, "C1"), _case_of(engine, "C2")
    for case_id in (spanish, russian):
        casework.change_status(engine, case_id, "resolved", now=NOW, actor="a")
    surveys.set_contact_preference(engine, surveys.customer_key(engine, "C1"), now=NOW,
                                   unsubscribed=True, source="test")  # fmt: skip
    strict = load_settings(database_url=database_url, survey_consent="required")

    with pytest.raises(InvalidInput, match="unsubscribed"):
        resurveys.resurvey(engine, settings, spanish, survey_key="after-case", now=NOW, actor="a")
    with pytest.raises(InvalidInput, match="no consent given"):
        resurveys.resurvey(engine, strict, russian, survey_key="after-case", now=NOW, actor="a")
    assert casework.get_case(engine, spanish, now=NOW)["timeline"][-1]["kind"] == "status"
    engine.dispose()


def test_the_re_survey_setting_is_off_until_turned_on_with_a_survey_that_exists(
    engine: Engine,
) -> None:
    assert resurveys.resurvey_setting(engine)["enabled"] is False
    with pytest.raises(NotFound):
        resurveys.set_resurvey(engine, survey_key="nope", delay_days=3, enabled=True,
                               actor="a", now=NOW)  # fmt: skip
    _survey(engine)
    for delay in (-1, 366, True):
        with pytest.raises(InvalidInput, match="delay_days"):
            resurveys.set_resurvey(engine, survey_key="after-case", delay_days=delay,
                                   enabled=True, actor="a", now=NOW)  # fmt: skip
    with pytest.raises(InvalidInput, match="name the survey"):
        resurveys.set_resurvey(engine, survey_key=None, delay_days=None, enabled=True,
                               actor="a", now=NOW)  # fmt: skip

    on = resurveys.set_resurvey(engine, survey_key="after-case", delay_days=3, enabled=True,
                                actor="lead@example.com", now=NOW)  # fmt: skip
    off = resurveys.set_resurvey(engine, survey_key=None, delay_days=None, enabled=False,
                                 actor="lead@example.com", now=NOW)  # fmt: skip

    assert (on["enabled"], on["survey"], on["delay_days"]) == (True, "after-case", 3)
    assert (off["enabled"], off["survey"], off["delay_days"]) == (False, "after-case", 3)
    assert off["updated_by"] == "lead@example.com"
    engine.dispose()


def test_the_worker_re_surveys_cases_resolved_long_enough_ago_once_and_skips_who_said_no(
    engine: Engine, settings: Settings
) -> None:
    _survey(engine)
    cases = {customer: _case_of(engine, customer) for customer in ("C1", "C2", "C4", "C5")}
    for case_id in cases.values():
        casework.change_status(engine, case_id, "resolved", now=NOW, actor="a")
    surveys.set_contact_preference(engine, surveys.customer_key(engine, "C4"), now=NOW,
                                   consent="withdrawn")  # fmt: skip
    assert resurveys.resurvey_resolved(engine, settings, now=NOW + dt.timedelta(days=5)) == 0
    resurveys.set_resurvey(engine, survey_key="after-case", delay_days=3, enabled=True,
                           actor="lead@example.com", now=NOW)  # fmt: skip

    early = resurveys.resurvey_resolved(engine, settings, now=NOW + dt.timedelta(days=2))
    due = Worker(engine, settings, analyse=False,
                 clock=lambda: NOW + dt.timedelta(days=3)).run_once()["resurveys"]  # fmt: skip
    again = resurveys.resurvey_resolved(engine, settings, now=NOW + dt.timedelta(days=4))

    assert (early, due, again) == (0, 3, 0)  # C1, C2 by e-mail, C5 by personal link
    found = {
        customer: _invitation(engine, casework_row(engine, case_id))
        for customer, case_id in cases.items()
    }
    assert found["C1"]["status"] == "queued"
    assert found["C5"]["status"] == "link"
    assert (found["C4"]["status"], found["C4"]["error"]) == ("skipped", "consent withdrawn")
    engine.dispose()


def casework_row(engine: Engine, case_id: int) -> int:
    with engine.connect() as connection:
        found = connection.scalar(select(Case.resurvey_invitation_id).where(Case.id == case_id))
    assert found is not None
    return int(found)


def test_a_case_resolved_long_ago_is_not_re_surveyed_when_the_setting_is_turned_on(
    engine: Engine, settings: Settings
) -> None:
    _survey(engine)
    case_id = _case_of(engine, "C1")
    casework.change_status(engine, case_id, "resolved", now=NOW, actor="a")
    resurveys.set_resurvey(engine, survey_key="after-case", delay_days=3, enabled=True,
                           actor="a", now=NOW)  # fmt: skip

    assert resurveys.resurvey_resolved(engine, settings, now=NOW + dt.timedelta(days=30)) == 0
    engine.dispose()


# --- the whole loop ------------------------------------------------------------------------


def test_the_loop_closes_from_a_detractor_answer_to_a_happier_customer(
    engine: Engine, settings: Settings, database_url: str, tmp_path: Path
) -> None:
    _survey(engine)
    resurveys.set_resurvey(engine, survey_key="after-case", delay_days=2, enabled=True,
                           actor="lead@example.com", now=NOW)  # fmt: skip
    _import(database_url, tmp_path, "customers", [
        {"customer_id": "C9", "name": "Radu Ionescu", "email": "radu@example.ro", "locale": "ro-RO"}
    ])  # fmt: skip
    _import(database_url, tmp_path, "nps", [_answer("A9", "C9", 4, 0.5)])
    assert casework.run_rules(engine, now=NOW).opened == 1
    case_id = _case_of(engine, "C9")
    casework.assign(engine, case_id, now=NOW, actor="lead@example.com", owner="ion@example.com",
                    team="Romania")  # fmt: skip

    reply = replies.write_reply(engine, case_id, actor="ion@example.com",
                                now=NOW + dt.timedelta(hours=3), template="apology",
                                agent="Ion", company=replies.company_name(settings))  # fmt: skip
    casework.change_status(engine, case_id, "resolved", now=NOW + dt.timedelta(hours=20),
                           actor="ion@example.com")  # fmt: skip
    made = resurveys.resurvey_resolved(engine, settings, now=NOW + dt.timedelta(days=3))
    invitation = invitations.get_invitation(engine, settings, casework_row(engine, case_id))
    token = invitation.links.url.rsplit("/", 1)[1]
    answered = answers.answer_link(engine, settings, token, now=NOW + dt.timedelta(days=3, hours=2),
                                   score=9, comment="Mulțumesc, acum e bine.")  # fmt: skip
    metrics = case_metrics.case_metrics(engine, now=NOW + dt.timedelta(days=4))

    assert reply["language"] == "ro"
    assert reply["body"].startswith("Bună ziua, Radu Ionescu,")
    assert made == 1
    assert (invitation.language, invitation.email) == ("ro", "radu@example.ro")
    assert answered.score == 9
    team = metrics["teams"]["Romania"]
    assert (team["opened"], team["resolved"]) == (1, 1)
    assert team["first_response_hours"]["median"] == 3.0
    assert team["resolution_hours"]["median"] == 20.0
    assert team["sla"]["rate"] == 1.0  # a normal case has 72 hours
    assert team["resurvey"] == {
        "sent": 1, "answered": 1, "compared": 1, "before": 4.0, "after": 9.0,
        "mean_change": 5.0, "detractors": 1, "detractors_to_passive": 0,
        "detractors_to_promoter": 1,
    }  # fmt: skip
    # The answer is a promoter's: the rules open no new case for it.
    assert casework.run_rules(engine, now=NOW + dt.timedelta(days=4)).opened == 0
    engine.dispose()
