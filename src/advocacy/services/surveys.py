"""Surveys: their definitions, the installation's signing key, and contact preferences.

A survey is the NPS question with its follow-up, worded per language (``advocacy.surveys.texts``),
with its trigger and rules of contact; :mod:`advocacy.services.invitations` asks customers,
:mod:`advocacy.services.answers` records what they answer and :mod:`advocacy.services.outbox`
sends the e-mails. Every function takes ``now`` (naive UTC), so tests move the calendar.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, and_, func, insert, select
from sqlalchemy.exc import IntegrityError

from advocacy.config import Settings
from advocacy.errors import InvalidInput, NotFound
from advocacy.store.tables import (
    ContactPreference,
    Customer,
    FeedbackItem,
    InstallationSecret,
    Survey,
    SurveyInvitation,
)
from advocacy.surveys import rules, tokens
from advocacy.surveys.texts import check_texts, languages_of

SURVEYS = cast(Table, Survey.__table__)
INVITATIONS = cast(Table, SurveyInvitation.__table__)
PREFERENCES = cast(Table, ContactPreference.__table__)
_SECRETS = cast(Table, InstallationSecret.__table__)
DEFAULT_SURVEY = "nps"
TRIGGERS = ("delivery", "manual")
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_SIGNING_SECRET = "survey-links"
_keys: dict[str, str] = {}


@dataclass(frozen=True, slots=True)
class SurveyInfo:
    """A survey as the app, the API and the command line show it."""

    id: int
    key: str
    name: str
    active: bool
    touchpoint: str
    trigger: str
    delay_days: int
    reminder_days: int | None
    min_days_between: int
    valid_days: int
    default_language: str
    texts: dict[str, dict[str, str]]
    questions: list[dict[str, Any]]
    public_enabled: bool
    starts_at: dt.datetime

    @property
    def languages(self) -> tuple[str, ...]:
        return languages_of(self.texts)

    def as_dict(self) -> dict[str, Any]:
        found = asdict(self)
        found["starts_at"] = self.starts_at.isoformat()
        found["languages"] = list(self.languages)
        return found

    def document(self, base_url: str) -> dict[str, Any]:
        """:meth:`as_dict` with the survey's public link and widget snippet on ``base_url``
        (``None`` when it takes no anonymous answers)."""
        base = base_url.rstrip("/")
        public = self.public_enabled
        return {
            **self.as_dict(),
            "public_url": f"{base}/p/{self.key}" if public else None,
            "widget_snippet": (
                f'<script src="{base}/widget.js" data-survey="{self.key}" async></script>'
                if public
                else None
            ),
        }

    @classmethod
    def of(cls, row: Any) -> SurveyInfo:
        return cls(
            id=row.id,
            key=row.key,
            name=row.name,
            active=bool(row.active),
            touchpoint=row.touchpoint,
            trigger=row.trigger,
            delay_days=int(row.delay_days),
            reminder_days=row.reminder_days,
            min_days_between=int(row.min_days_between),
            valid_days=int(row.valid_days),
            default_language=row.default_language,
            texts=dict(row.texts or {}),
            questions=list(row.questions or []),
            public_enabled=bool(row.public_enabled),
            starts_at=row.starts_at,
        )


# --- the installation's signing key -------------------------------------------------------


def signing_key(engine: Engine, settings: Settings) -> str:
    """The key survey links are signed with: ``ADVOCACY_SECRET_KEY``, else one made at random
    the first time and kept in the database (so every web and job worker shares it)."""
    if settings.secret_key:
        return settings.secret_key
    cache_key = engine.url.render_as_string(hide_password=False)
    found = _keys.get(cache_key)
    if found:
        return found
    table = _SECRETS
    with engine.begin() as connection:
        value = connection.scalar(select(table.c.value).where(table.c.name == _SIGNING_SECRET))
    if value is None:
        try:
            with engine.begin() as connection:
                value = tokens.new_key()
                connection.execute(
                    insert(table).values(name=_SIGNING_SECRET, value=value, created_at=_now())
                )
        except IntegrityError:  # another worker made it first
            with engine.begin() as connection:
                value = connection.scalar(
                    select(table.c.value).where(table.c.name == _SIGNING_SECRET)
                )
    _keys[cache_key] = str(value)
    return str(value)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# --- definitions ----------------------------------------------------------------------------


def _check_questions(questions: Any) -> list[dict[str, Any]]:
    """Extra questions: ``[{"id", "type": "text"|"choice", "label": {lang: text},
    "choices": {lang: [..]} (choice only)}]``, at most 10."""
    if questions is None:
        return []
    if not isinstance(questions, list) or len(questions) > 10:
        raise InvalidInput("questions: a list of at most 10 extra questions")
    checked: list[dict[str, Any]] = []
    seen: set[str] = set()
    for position, question in enumerate(questions, start=1):
        where = f"questions[{position}]"
        if not isinstance(question, dict):
            raise InvalidInput(f"{where}: an object with id, type and label")
        ident = str(question.get("id", "")).strip()
        if not _KEY.match(ident) or ident in seen or ident in {"score", "comment"}:
            raise InvalidInput(f"{where}.id: a new lower-case name (letters, digits, hyphens)")
        seen.add(ident)
        kind = question.get("type", "text")
        if kind not in ("text", "choice"):
            raise InvalidInput(f"{where}.type: text or choice")
        label = question.get("label")
        if (
            not isinstance(label, dict)
            or not label
            or not all(isinstance(v, str) and 0 < len(v) <= 500 for v in label.values())
        ):
            raise InvalidInput(f"{where}.label: a text per language, e.g. {{'en': '…'}}")
        entry: dict[str, Any] = {"id": ident, "type": kind, "label": dict(label)}
        if kind == "choice":
            choices = question.get("choices")
            if not isinstance(choices, dict) or not all(
                isinstance(v, list) and 2 <= len(v) <= 20 and all(isinstance(c, str) for c in v)
                for v in choices.values()
            ):
                raise InvalidInput(f"{where}.choices: 2 to 20 choices per language")
            if len({len(v) for v in choices.values()}) != 1:
                raise InvalidInput(f"{where}.choices: the same number of choices in every language")
            entry["choices"] = {lang: list(v) for lang, v in choices.items()}
        checked.append(entry)
    return checked


def _checked(values: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a survey, each checked, with a clear error for the first wrong one."""
    out: dict[str, Any] = {}
    if "key" in values:
        key = str(values["key"]).strip().lower()
        if not _KEY.match(key):
            raise InvalidInput(
                "key: 1–63 lower-case letters, digits and hyphens (e.g. post-delivery)"
            )
        out["key"] = key
    if "name" in values:
        name = str(values["name"] or "").strip()
        if not 0 < len(name) <= 200:
            raise InvalidInput("name: 1 to 200 characters")
        out["name"] = name
    if "trigger" in values:
        if values["trigger"] not in TRIGGERS:
            raise InvalidInput(f"trigger: one of {', '.join(TRIGGERS)}")
        out["trigger"] = values["trigger"]
    limits = {
        "delay_days": (0, 365),
        "min_days_between": (0, 3650),
        "valid_days": (1, 365),
    }
    for name, (low, high) in limits.items():
        if name in values:
            number = values[name]
            if not isinstance(number, int) or isinstance(number, bool) or not low <= number <= high:
                raise InvalidInput(f"{name}: a whole number from {low} to {high}")
            out[name] = number
    if "reminder_days" in values:
        number = values["reminder_days"]
        if number is not None and (not isinstance(number, int) or not 1 <= number <= 60):
            raise InvalidInput("reminder_days: a whole number from 1 to 60, or none")
        out["reminder_days"] = number
    if "touchpoint" in values:
        touchpoint = str(values["touchpoint"] or "").strip()
        if not 0 < len(touchpoint) <= 100:
            raise InvalidInput("touchpoint: 1 to 100 characters (e.g. post-delivery)")
        out["touchpoint"] = touchpoint
    if "texts" in values:
        out["texts"] = check_texts(values["texts"] or {})
    if "questions" in values:
        out["questions"] = _check_questions(values["questions"])
    if "default_language" in values:
        language = str(values["default_language"]).strip().lower()
        if not language.isalpha() or not 2 <= len(language) <= 3:
            raise InvalidInput("default_language: a language code (ISO 639-1)")
        out["default_language"] = language
    for flag in ("active", "public_enabled"):
        if flag in values:
            out[flag] = bool(values[flag])
    return out


def create_survey(engine: Engine, *, now: dt.datetime, **values: Any) -> SurveyInfo:
    """Add a survey. ``key`` and ``name`` are needed; the rest has sensible defaults (manual
    trigger, reminders off, at most one survey a customer per 90 days, links valid 30 days)."""
    given = _checked(values)
    if "key" not in given or "name" not in given:
        raise InvalidInput("a survey needs a key and a name")
    row = {
        "active": True,
        "touchpoint": given.get("touchpoint") or given["key"],
        "trigger": "manual",
        "delay_days": 0,
        "reminder_days": None,
        "min_days_between": 90,
        "valid_days": 30,
        "default_language": "en",
        "texts": {},
        "questions": [],
        "public_enabled": True,
        **given,
        "starts_at": values.get("starts_at") or now,
        "created_at": now,
        "updated_at": now,
    }
    if row["default_language"] not in languages_of(row["texts"]):
        raise InvalidInput(f"default_language: no wording in {row['default_language']!r}")
    try:
        with engine.begin() as connection:
            new_id = connection.execute(insert(Survey).values(**row)).inserted_primary_key[0]  # type: ignore[index]
    except IntegrityError:
        raise InvalidInput(f"a survey {given['key']!r} exists already") from None
    return get_survey(engine, int(new_id))


def update_survey(engine: Engine, key: str, *, now: dt.datetime, **values: Any) -> SurveyInfo:
    """Change a survey (any field but its key)."""
    given = _checked({k: v for k, v in values.items() if k != "key"})
    survey = get_survey(engine, key)
    texts = given.get("texts", survey.texts)
    language = given.get("default_language", survey.default_language)
    if language not in languages_of(texts):
        raise InvalidInput(f"default_language: no wording in {language!r}")
    with engine.begin() as connection:
        connection.execute(
            SURVEYS.update().where(SURVEYS.c.id == survey.id).values(**given, updated_at=now)
        )
    return get_survey(engine, survey.id)


def get_survey(engine: Engine, key: str | int) -> SurveyInfo:
    """The survey named ``key`` (or with that id)."""
    with engine.connect() as connection:
        return read_survey(connection, key)


def read_survey(connection: Connection, key: str | int) -> SurveyInfo:
    """The survey named ``key`` (or with that id), read on the caller's connection."""
    s = SURVEYS.c
    where = s.id == key if isinstance(key, int) else s.key == str(key).strip().lower()
    row = connection.execute(select(SURVEYS).where(where)).first()
    if row is None:
        raise NotFound(f"no survey {key!r} (advocacy surveys list)")
    return SurveyInfo.of(row)


def list_surveys(engine: Engine) -> list[SurveyInfo]:
    """Every survey, oldest first."""
    with engine.connect() as connection:
        rows = connection.execute(select(SURVEYS).order_by(SURVEYS.c.id)).all()
    return [SurveyInfo.of(row) for row in rows]


def default_survey(engine: Engine, *, now: dt.datetime) -> SurveyInfo:
    """The survey used when none is named: ``nps``, made (manual, reminders after 3 days) the
    first time it is needed."""
    try:
        return get_survey(engine, DEFAULT_SURVEY)
    except NotFound:
        pass
    try:
        return create_survey(
            engine,
            now=now,
            key=DEFAULT_SURVEY,
            name="Net Promoter Score",
            touchpoint="relationship",
            reminder_days=3,
        )
    except InvalidInput:  # made by another process meanwhile
        return get_survey(engine, DEFAULT_SURVEY)


# --- whom a survey may ask ------------------------------------------------------------------


def contact_facts(
    connection: Connection, customer_ids: Sequence[int]
) -> dict[int, rules.ContactFacts]:
    """What the rules of contact need of each customer: address, unsubscribe, consent, and when
    they were last asked (an invitation made or sent, or an NPS answer from any source)."""
    if not customer_ids:
        return {}
    ids = list(dict.fromkeys(customer_ids))
    c, p = Customer.__table__.c, PREFERENCES.c
    i, f = INVITATIONS.c, FeedbackItem.__table__.c
    people = connection.execute(
        select(c.id, c.email, c.attributes, p.unsubscribed_at, p.consent)
        .select_from(Customer.__table__.outerjoin(PREFERENCES, p.customer_id == c.id))
        .where(c.id.in_(ids))
    ).all()
    asked = dict(
        connection.execute(
            select(i.customer_id, func.max(i.created_at))
            .where(i.customer_id.in_(ids), i.status.not_in(("skipped", "failed")))
            .group_by(i.customer_id)
        ).all()
    )
    answered = dict(
        connection.execute(
            select(f.customer_id, func.max(f.occurred_at))
            .where(f.customer_id.in_(ids), f.kind == "nps")
            .group_by(f.customer_id)
        ).all()
    )
    found: dict[int, rules.ContactFacts] = {}
    for row in people:
        attributes = row.attributes or {}
        consent = row.consent or rules.consent_of(attributes.get("survey_consent"))
        last = [when for when in (asked.get(row.id), answered.get(row.id)) if when is not None]
        found[row.id] = rules.ContactFacts(
            email=row.email,
            unsubscribed_at=row.unsubscribed_at,
            consent=consent,
            last_asked_at=max(last) if last else None,
        )
    return found


def policy_of(survey: SurveyInfo, settings: Settings) -> rules.ContactPolicy:
    return rules.ContactPolicy(
        min_days_between=survey.min_days_between, consent=settings.survey_consent
    )


# --- contact preferences --------------------------------------------------------------------


def customer_key(engine: Engine, customer_ref: str) -> int:
    """The catalogue's key of the customer whose id (in the company's systems) is
    ``customer_ref``."""
    c = Customer.__table__.c
    with engine.connect() as connection:
        found = connection.scalar(select(c.id).where(c.external_id == customer_ref))
    if found is None:
        raise NotFound(f"no customer {customer_ref!r}")
    return int(found)


def set_contact_preference(
    engine: Engine,
    customer_id: int,
    *,
    now: dt.datetime,
    unsubscribed: bool | None = None,
    consent: str | None = None,
    source: str = "",
) -> None:
    """Record that a customer unsubscribed (or subscribed again), or gave or withdrew consent."""
    if consent not in (None, "granted", "withdrawn"):
        raise InvalidInput("consent: granted or withdrawn")
    table = PREFERENCES
    values: dict[str, Any] = {"updated_at": now}
    if unsubscribed is not None:
        values["unsubscribed_at"] = now if unsubscribed else None
        values["unsubscribe_source"] = source[:100] if unsubscribed else None
    if consent is not None:
        values["consent"] = consent
        values["consent_at"] = now
    with engine.begin() as connection:
        current = connection.execute(
            select(table.c.unsubscribed_at).where(table.c.customer_id == customer_id)
        ).first()
        if current is None:
            connection.execute(insert(table).values(customer_id=customer_id, **values))
        elif not (unsubscribed and current.unsubscribed_at is not None):  # keep the first date
            connection.execute(
                table.update().where(table.c.customer_id == customer_id).values(**values)
            )
        # Whatever is still waiting to be sent to them is not sent.
        if unsubscribed or consent == "withdrawn":
            i = INVITATIONS.c
            connection.execute(
                INVITATIONS.update()
                .where(and_(i.customer_id == customer_id, i.status == "queued"))
                .values(
                    status="skipped", error="unsubscribed" if unsubscribed else "consent withdrawn"
                )
            )
