"""The web app in the user's language: Babel catalogues, and numbers and dates per locale.

The catalogues are the ``locale/<code>/LC_MESSAGES/messages.po`` files beside this module, read
once each (:mod:`advocacy.i18n`, which the e-mails to the team share). The language of a request
is, in order: a ``?lang=`` link, the user's own choice, the ``advocacy_locale`` cookie, the
browser's ``Accept-Language``, English.
"""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from functools import cache
from typing import Any

from babel import Locale
from babel.dates import (
    format_date,
    get_date_format,
    get_datetime_format,
    get_time_format,
    parse_pattern,
)
from babel.numbers import format_currency, format_percent
from babel.numbers import parse_pattern as parse_number_pattern

from advocacy.i18n import CATALOGUES as CATALOGUES
from advocacy.i18n import DEFAULT_LOCALE as DEFAULT_LOCALE
from advocacy.i18n import LOCALES as LOCALES
from advocacy.i18n import supported as supported
from advocacy.i18n import translations as translations

NAMES = {"en": "English", "es": "Español", "ru": "Русский", "ro": "Română"}

current_locale: ContextVar[str] = ContextVar("advocacy_locale", default=DEFAULT_LOCALE)


def gettext_(message: str) -> str:
    return translations(current_locale.get()).gettext(message)


def ngettext_(singular: str, plural: str, n: int) -> str:
    return translations(current_locale.get()).ngettext(singular, plural, n)


def from_accept_language(header: str | None) -> str | None:
    """The best of :data:`LOCALES` for a browser's ``Accept-Language`` header."""
    if not header:
        return None
    choices: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:20]):
        pieces = part.strip().split(";")
        weight = 1.0
        for piece in pieces[1:]:
            name, _, value = piece.strip().partition("=")
            if name == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        code = supported(pieces[0])
        if code and weight > 0:
            choices.append((-weight, position, code))
    return min(choices)[2] if choices else None


@cache
def _locale(code: str) -> Locale:
    return Locale.parse(code)


@cache
def _number_pattern(pattern: str) -> Any:
    return parse_number_pattern(pattern)


def number(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return str(_number_pattern(pattern).apply(value, _locale(current_locale.get())))


def signed(value: float | None, digits: int = 1) -> str:
    """A number with its sign (an NPS: +16.0, −4.2)."""
    if value is None:
        return "—"
    text = number(abs(value), digits)
    return ("+" if value > 0 else "−" if value < 0 else "") + text


def percent(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return str(format_percent(value, format=pattern, locale=_locale(current_locale.get())))


def money(value: float | None, currency: str | None) -> str:
    if value is None:
        return "—"
    if not currency or len(currency) != 3:
        return number(value, 2)
    return str(format_currency(value, currency, locale=_locale(current_locale.get())))


def date(value: dt.date | dt.datetime | str | None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return str(format_date(value, format="medium", locale=_locale(current_locale.get())))


@cache
def _short_datetime(code: str) -> tuple[Locale, Any, Any, str]:
    """The locale's short date and time patterns, parsed once (Babel parses them per call)."""
    locale = _locale(code)
    return (
        locale,
        parse_pattern(get_date_format("short", locale=locale).pattern),
        parse_pattern(get_time_format("short", locale=locale).pattern),
        str(get_datetime_format("short", locale=locale)),
    )


def datetime(value: dt.datetime | str | None) -> str:
    """A date and time in the locale's short format (as Babel's ``format_datetime``)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    locale, day, clock, combined = _short_datetime(current_locale.get())
    return combined.replace("{1}", day.apply(value, locale)).replace(
        "{0}", clock.apply(value, locale)
    )


def language_name(code: str | None) -> str:
    """A language's name in the current locale (``ru`` → "ruso" in Spanish)."""
    if not code:
        return "—"
    try:
        name = _locale(current_locale.get()).languages.get(code)
    except (ValueError, TypeError):
        name = None
    return str(name) if name else code


def country_name(code: str | None) -> str:
    if not code:
        return "—"
    name = _locale(current_locale.get()).territories.get(code.upper())
    return str(name) if name else code
