"""The rules of contact: whom a survey may ask, and when a reminder is due.

Pure functions over what the catalogue knows of a customer; :mod:`advocacy.services.surveys`
gathers those facts and records every refusal with its reason, so "who was asked, who was not
and why" can always be answered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

ConsentPolicy = Literal["assumed", "required"]

#: Consent values a customer import may carry in its ``survey_consent`` column.
CONSENT_YES = frozenset({"yes", "y", "true", "1", "granted", "opt-in", "optin", "si", "da", "да"})
CONSENT_NO = frozenset(
    {"no", "n", "false", "0", "withdrawn", "opt-out", "optout", "denied", "nu", "нет"}
)


@dataclass(frozen=True, slots=True)
class ContactFacts:
    """What decides whether a customer may be asked now."""

    email: str | None
    unsubscribed_at: dt.datetime | None
    consent: str | None  # granted, withdrawn, or None (never said)
    last_asked_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class ContactPolicy:
    """``min_days_between``: at most one survey a customer per that many days (0: no limit);
    ``consent``: ``assumed`` (ask unless they said no) or ``required`` (only those who said
    yes)."""

    min_days_between: int
    consent: ConsentPolicy = "assumed"


def consent_of(value: object) -> str | None:
    """A consent value as imported (``yes``, ``no``, ``true``…) as ``granted`` / ``withdrawn``."""
    if value is None:
        return None
    text = str(value).strip().lower()
    if text in CONSENT_YES:
        return "granted"
    if text in CONSENT_NO:
        return "withdrawn"
    return None


def refusal(
    facts: ContactFacts,
    policy: ContactPolicy,
    now: dt.datetime,
    *,
    needs_email: bool,
    check_frequency: bool = True,
) -> str | None:
    """Why the customer may not be asked now, or ``None`` when they may."""
    if facts.unsubscribed_at is not None and facts.unsubscribed_at <= now:
        return "unsubscribed"
    if facts.consent == "withdrawn":
        return "consent withdrawn"
    if policy.consent == "required" and facts.consent != "granted":
        return "no consent given"
    if needs_email and not (facts.email and "@" in facts.email):
        return "no e-mail address"
    if (
        check_frequency
        and policy.min_days_between > 0
        and facts.last_asked_at is not None
        and now - facts.last_asked_at < dt.timedelta(days=policy.min_days_between)
    ):
        return f"asked on {facts.last_asked_at:%Y-%m-%d}, within {policy.min_days_between} days"
    return None
