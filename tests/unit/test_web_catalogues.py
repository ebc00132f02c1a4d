"""The interface speaks four languages: every message of the templates and pages has a
translation in each catalogue, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po

from advocacy.web import i18n

WEB = Path(i18n.__file__).resolve().parent
#: The e-mails to the team, written with the same catalogues.
STAFF_MAIL = WEB.parent / "services" / "staff_mail.py"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|%%")


def _messages() -> set[str]:
    method_map = [("templates/**.html", "jinja2"), ("**.py", "python")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    found = extract_from_dir(
        str(WEB), method_map, options_map=options, keywords={"_": None, "gettext_": None}
    )
    staff = extract_from_file("python", str(STAFF_MAIL), keywords={"_": None})
    return {message for _file, _line, message, _comments, _context in found if message} | {
        message for _line, message, _comments, _context in staff if message
    }


@pytest.mark.parametrize("code", [code for code in i18n.LOCALES if code != "en"])
def test_every_message_is_translated_with_its_placeholders(code: str) -> None:
    path = WEB / "locale" / code / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=code)
    translated = {message.id: message.string for message in catalogue if message.id}

    missing = sorted(m for m in _messages() if not translated.get(m))
    mismatched = sorted(
        m
        for m, text in translated.items()
        if text and sorted(PLACEHOLDER.findall(m)) != sorted(PLACEHOLDER.findall(str(text)))
    )

    assert missing == []
    assert mismatched == []


def test_the_template_catalogue_lists_every_message() -> None:
    with (WEB / "locale" / "messages.pot").open("rb") as handle:
        template = {message.id for message in read_po(handle) if message.id}

    assert _messages() <= template


def test_a_language_is_read_from_the_browser_header_by_preference() -> None:
    assert i18n.from_accept_language("de-DE,ru;q=0.8,es;q=0.9") == "es"
    assert i18n.from_accept_language("ro-MD") == "ro"
    assert i18n.from_accept_language("de, fr;q=0.5") is None
    assert i18n.from_accept_language("es;q=abc, ru;q=0") is None
    assert i18n.from_accept_language(None) is None


@pytest.mark.parametrize("code", i18n.LOCALES)
def test_dates_and_times_read_as_babel_writes_them_in_each_language(code: str) -> None:
    import datetime as dt

    from babel.dates import format_datetime

    token = i18n.current_locale.set(code)
    try:
        for value in (dt.datetime(2025, 3, 9, 7, 5), dt.datetime(2026, 11, 23, 23, 59)):
            assert i18n.datetime(value) == format_datetime(value, "short", locale=code)
    finally:
        i18n.current_locale.reset(token)
