"""The pure parts of surveys: signed links, the rules of contact, the wording, the e-mail."""

from __future__ import annotations

import datetime as dt

import pytest

from advocacy.errors import InvalidInput
from advocacy.mail.survey_mail import survey_message
from advocacy.services.outbox import backoff
from advocacy.surveys import rules, tokens
from advocacy.surveys.texts import DEFAULTS, KEYS, check_texts, fill, language_of, wording

NOW = dt.datetime(2026, 11, 23, 12, 0)
KEY = "k" * 48


def test_a_token_verifies_only_for_its_own_invitation_and_nonce() -> None:
    token = tokens.sign(KEY, 42, "a" * 32)

    assert tokens.invitation_id_of(token) == 42
    assert tokens.verify(KEY, token, 42, "a" * 32)
    assert not tokens.verify(KEY, token, 43, "a" * 32)
    assert not tokens.verify(KEY, token, 42, "b" * 32)
    assert not tokens.verify("x" * 48, token, 42, "a" * 32)


A22 = "A" * 22


@pytest.mark.parametrize(
    "token",
    ["", "42", "42.", ".abc", f"0.{A22}", f"-1.{A22}", "42.AAAA", f"42.{A22}=",
     "4" * 30 + f".{A22}", "42." + "A" * 20 + "/A"],
)  # fmt: skip
def test_a_token_of_the_wrong_shape_names_no_invitation(token: str) -> None:
    assert tokens.invitation_id_of(token) is None


def test_every_changed_character_of_a_token_breaks_it() -> None:
    token = tokens.sign(KEY, 7, "n" * 32)
    signature_at = token.index(".") + 1
    for position in range(signature_at, len(token)):
        changed = (
            token[:position] + ("A" if token[position] != "A" else "B") + token[position + 1 :]
        )
        assert not tokens.verify(KEY, changed, 7, "n" * 32)


def _facts(**values: object) -> rules.ContactFacts:
    base: dict[str, object] = {
        "email": "a@example.com",
        "unsubscribed_at": None,
        "consent": None,
        "last_asked_at": None,
    }
    base.update(values)
    return rules.ContactFacts(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("facts", "policy", "reason"),
    [
        (_facts(), rules.ContactPolicy(90), None),
        (_facts(unsubscribed_at=NOW - dt.timedelta(days=1)), rules.ContactPolicy(0),
         "unsubscribed"),
        (_facts(consent="withdrawn"), rules.ContactPolicy(0), "consent withdrawn"),
        (_facts(), rules.ContactPolicy(0, "required"), "no consent given"),
        (_facts(consent="granted"), rules.ContactPolicy(0, "required"), None),
        (_facts(email=None), rules.ContactPolicy(0), "no e-mail address"),
        (_facts(email="not an address"), rules.ContactPolicy(0), "no e-mail address"),
        (_facts(last_asked_at=NOW - dt.timedelta(days=89)), rules.ContactPolicy(90),
         "asked on 2026-08-26, within 90 days"),
        (_facts(last_asked_at=NOW - dt.timedelta(days=90)), rules.ContactPolicy(90), None),
        (_facts(last_asked_at=NOW - dt.timedelta(days=1)), rules.ContactPolicy(0), None),
    ],
)  # fmt: skip
def test_the_rules_of_contact_say_why_a_customer_may_not_be_asked(
    facts: rules.ContactFacts, policy: rules.ContactPolicy, reason: str | None
) -> None:
    assert rules.refusal(facts, policy, NOW, needs_email=True) == reason


def test_a_personal_link_needs_no_address_and_may_skip_the_period() -> None:
    recent = _facts(email=None, last_asked_at=NOW - dt.timedelta(days=1))

    assert rules.refusal(recent, rules.ContactPolicy(90), NOW, needs_email=False,
                         check_frequency=False) is None  # fmt: skip


@pytest.mark.parametrize(
    ("value", "consent"),
    [("yes", "granted"), ("TRUE", "granted"), ("1", "granted"), ("Да", "granted"),
     ("no", "withdrawn"), ("opt-out", "withdrawn"), ("nu", "withdrawn"), ("", None),
     ("maybe", None), (None, None)],
)  # fmt: skip
def test_imported_consent_values_are_read_in_the_shipped_languages(
    value: object, consent: str | None
) -> None:
    assert rules.consent_of(value) == consent


def test_every_shipped_language_words_every_key() -> None:
    for language, texts in DEFAULTS.items():
        assert set(texts) == set(KEYS), language
        assert all(text.strip() for text in texts.values())


def test_a_surveys_own_wording_overrides_only_what_it_gives() -> None:
    custom = check_texts({"ES": {"question": "¿Nos recomendaría?"}})

    worded = wording(custom, "es")

    assert worded["question"] == "¿Nos recomendaría?"
    assert worded["reason"] == DEFAULTS["es"]["reason"]
    assert wording(custom, "ro")["question"] == DEFAULTS["ro"]["question"]


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        ([], "a mapping"),
        ({"english": {}}, "not a language code"),
        ({"es": "text"}, "a mapping of keys"),
        ({"es": {"questoin": "?"}}, "unknown keys questoin"),
        ({"de": {"question": "?"}}, "needs every key"),
        ({"es": {"question": " "}}, "1 to 1,000"),
        ({"es": {"question": "x" * 1001}}, "1 to 1,000"),
    ],
)
def test_wrong_wording_is_refused_with_the_reason(texts: object, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        check_texts(texts)


def test_a_new_language_is_added_by_wording_every_key() -> None:
    german = {key: f"de {key}" for key in KEYS}

    assert check_texts({"de": german})["de"]["question"] == "de question"


@pytest.mark.parametrize(
    ("locale", "language"),
    [("es-ES", "es"), ("ro_MD", "ro"), ("RU", "ru"), ("de-DE", "en"), (None, "en"), ("", "en")],
)
def test_the_customers_locale_chooses_the_language_when_the_survey_speaks_it(
    locale: str | None, language: str
) -> None:
    assert language_of(locale, dict.fromkeys(("en", "es", "ru", "ro")), "en") == language


def test_placeholders_are_filled_and_unknown_or_broken_ones_kept() -> None:
    assert fill("Hello {name}", name="Ana") == "Hello Ana"
    assert fill("Hello {other}", name="Ana") == "Hello {other}"
    assert fill("Hello {", name="Ana") == "Hello {"
    assert fill("{name.__class__}", name="Ana") == "{name.__class__}"


def _message(**values: object) -> object:
    options: dict[str, object] = {
        "to": "ana@example.es",
        "sender": "Kelvo <surveys@kelvo.example>",
        "wording": wording({}, "es"),
        "language": "es",
        "url": "https://x.example/s/1.abc",
        "score_urls": [f"https://x.example/s/1.abc/{n}" for n in range(11)],
        "unsubscribe_url": "https://x.example/s/1.abc/unsubscribe",
        "name": "Ana",
        "order_ref": "O-1",
        "now": NOW,
    }
    options.update(values)
    return survey_message(**options)  # type: ignore[arg-type]


def test_the_e_mail_carries_the_eleven_links_and_one_click_unsubscribe() -> None:
    message = _message()
    html = message.get_body(preferencelist=("html",)).get_content()  # type: ignore[attr-defined]
    text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[attr-defined]

    for n in range(11):
        assert f'href="https://x.example/s/1.abc/{n}"' in html
        assert f"https://x.example/s/1.abc/{n}\n" in text
    assert message["List-Unsubscribe"] == "<https://x.example/s/1.abc/unsubscribe>"  # type: ignore[index]
    assert message["Content-Language"] == "es"  # type: ignore[index]
    assert message["Subject"] == DEFAULTS["es"]["subject"]  # type: ignore[index]
    assert "Gracias por su pedido O-1" in text


def test_a_hostile_name_cannot_inject_headers_or_markup() -> None:
    message = _message(
        name="Eve\r\nBcc: all@example.com <script>alert(1)</script>", order_ref="<b>1</b>"
    )
    html = message.get_body(preferencelist=("html",)).get_content()  # type: ignore[attr-defined]

    assert message["Bcc"] is None  # type: ignore[index]
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<b>1</b>" not in html


def test_a_reminder_says_so_in_the_customers_language() -> None:
    assert _message(reminder=True)["Subject"] == DEFAULTS["es"]["reminder_subject"]  # type: ignore[index]


def test_a_wrong_address_or_link_count_is_refused() -> None:
    with pytest.raises(InvalidInput):
        _message(score_urls=["x"] * 10)
    with pytest.raises(InvalidInput):
        _message(to="two@example.com, three@example.com")


def test_retries_wait_longer_each_time_up_to_six_hours() -> None:
    waits = [backoff(n) for n in range(1, 10)]

    assert waits[0] == dt.timedelta(minutes=5)
    assert waits[1] == dt.timedelta(minutes=10)
    assert waits == sorted(waits)
    assert waits[-1] == dt.timedelta(hours=6)
