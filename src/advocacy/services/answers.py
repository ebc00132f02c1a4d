"""Survey answers: each becomes an NPS item of the catalogue the moment it arrives.

A personal link (``/s/TOKEN``) holds one answer: a second click, a changed score, the reason
written later all update that one item, never add another. A public link or the widget sends a
``response_id`` made by the page it was shown on; answering again with it updates, so a
double-click or a retried request never counts twice. The item carries the survey's touchpoint,
the channel, the language the customer answered in, and the order and customer of the
invitation; the dashboard's facts follow it in the same transaction
(:func:`advocacy.services.facts.count_items`), and its text is analysed by the next round of
background work.

Nothing is stored for a score outside 0–10, a forged or expired link, or a closed survey: the
error says which (:class:`LinkRefused`, :class:`AnswerRefused`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, null, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from advocacy.config import Settings
from advocacy.errors import AdvocacyError, InvalidInput, NotFound
from advocacy.services.facts import count_items, count_new_item, new_item_key
from advocacy.services.surveys import (
    INVITATIONS,
    SurveyInfo,
    read_survey,
    set_contact_preference,
    signing_key,
)
from advocacy.store.tables import Customer, FeedbackItem, Order
from advocacy.surveys import tokens

MAX_COMMENT = 10_000
MAX_ANSWER = 2_000
_ITEMS = cast(Table, FeedbackItem.__table__)
_RESPONSE_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# Built once: building a statement costs more than SQLite takes to run it.
# Control characters other than tab and line breaks (PostgreSQL refuses NUL in text).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ANALYSIS_CLEARED = {
    "detected_language": None,
    "sentiment": None,
    "sentiment_score": None,
    "themes": null(),  # SQL NULL, not the JSON null
    "urgent": None,
    "urgency_reasons": null(),
    "redacted_text": None,
    "analyzed_at": None,
}


class LinkRefused(InvalidInput):
    """A personal survey link that cannot be used: ``reason`` is ``invalid`` (forged, changed
    or unknown), ``expired`` or ``closed`` (the survey was switched off)."""

    def __init__(self, reason: str, message: str, *, language: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.language = language


class AnswerRefused(InvalidInput):
    """An answer that cannot be stored as sent: ``reason`` is ``bad_score`` or ``bad_answer``."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Opened:
    """A personal link, checked: its survey, its language and the answer given so far."""

    invitation_id: int
    survey: SurveyInfo
    language: str
    customer_name: str | None
    order_ref: str | None
    expires_at: dt.datetime
    score: int | None
    comment: str | None
    answers: dict[str, Any]


@dataclass(frozen=True, slots=True)
class AnswerResult:
    """What an answer did: ``created`` a new item or updated the one it had."""

    item_id: int
    created: bool
    score: int
    survey: str
    language: str
    invitation_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        # By hand: dataclasses.asdict deep-copies, a tenth of an answer's work.
        return {
            "item_id": self.item_id,
            "created": self.created,
            "score": self.score,
            "survey": self.survey,
            "language": self.language,
            "invitation_id": self.invitation_id,
        }


def clean_text(value: str | None, *, limit: int, what: str) -> str | None:
    """A customer's text as stored: control characters out, trimmed, ``None`` when empty."""
    if value is None:
        return None
    cleaned = _CONTROL.sub("", value).strip()
    if len(cleaned) > limit:
        raise AnswerRefused("bad_answer", f"{what}: at most {limit:,} characters")
    return cleaned or None


def check_score(value: object) -> int:
    """A score of 0–10 from a form or JSON value, or :class:`AnswerRefused`."""
    if isinstance(value, bool):
        raise AnswerRefused("bad_score", "score: a whole number from 0 to 10")
    if isinstance(value, int):
        score = value
    elif isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 2:
        score = int(value.strip())
    else:
        raise AnswerRefused("bad_score", "score: a whole number from 0 to 10")
    if not 0 <= score <= 10:
        raise AnswerRefused("bad_score", f"score: {score} is not from 0 to 10")
    return score


def check_answers(
    survey: SurveyInfo, language: str, given: dict[str, Any] | None
) -> dict[str, Any]:
    """The extra questions' answers, checked against the survey: a text, or one of the
    choices (stored as the choice's position and its words in the answer's language)."""
    if not given:
        return {}
    questions = {question["id"]: question for question in survey.questions}
    checked: dict[str, Any] = {}
    for ident, value in given.items():
        question = questions.get(ident)
        if question is None:
            raise AnswerRefused("bad_answer", f"{ident}: the survey asks no such question")
        if value in (None, ""):
            continue
        if question["type"] == "text":
            text = clean_text(str(value), limit=MAX_ANSWER, what=ident)
            if text:
                checked[ident] = text
            continue
        choices = question["choices"].get(language) or next(iter(question["choices"].values()))
        try:
            position = int(value)
        except (TypeError, ValueError):
            raise AnswerRefused("bad_answer", f"{ident}: not one of the choices") from None
        if not 0 <= position < len(choices):
            raise AnswerRefused("bad_answer", f"{ident}: not one of the choices")
        checked[ident] = {"choice": position, "label": choices[position]}
    return checked


def _invitation(connection: Connection, key: str, token: str) -> Any:
    invitation_id = tokens.invitation_id_of(token)
    row = None
    if invitation_id is not None:
        row = connection.execute(
            select(INVITATIONS).where(INVITATIONS.c.id == invitation_id)
        ).first()
    if row is None or not tokens.verify(key, token, row.id, row.nonce):
        raise LinkRefused("invalid", "this survey link is not valid")
    return row


def _usable(row: Any, survey: SurveyInfo, now: dt.datetime) -> None:
    if now >= row.expires_at:
        raise LinkRefused("expired", "this survey link has expired", language=row.language)
    if not survey.active:
        raise LinkRefused("closed", "this survey is closed", language=row.language)


def open_link(engine: Engine, settings: Settings, token: str, *, now: dt.datetime) -> Opened:
    """Check a personal link and return what its page shows (:class:`LinkRefused` if it cannot
    be used). The first opening is recorded."""
    key = signing_key(engine, settings)
    c, o = Customer.__table__.c, Order.__table__.c
    with engine.begin() as connection:
        row = _invitation(connection, key, token)
        survey = read_survey(connection, int(row.survey_id))
        _usable(row, survey, now)
        if row.opened_at is None:
            connection.execute(
                update(INVITATIONS).where(INVITATIONS.c.id == row.id).values(opened_at=now)
            )
        name = (
            connection.scalar(select(c.name).where(c.id == row.customer_id))
            if row.customer_id
            else None
        )
        order_ref = (
            connection.scalar(select(o.external_id).where(o.id == row.order_id))
            if row.order_id
            else None
        )
        item = None
        if row.feedback_item_id is not None:
            item = connection.execute(
                select(_ITEMS.c.rating, _ITEMS.c.text, _ITEMS.c.attributes).where(
                    _ITEMS.c.id == row.feedback_item_id
                )
            ).first()
    return Opened(
        invitation_id=row.id,
        survey=survey,
        language=row.language,
        customer_name=name,
        order_ref=order_ref,
        expires_at=row.expires_at,
        score=int(item.rating) if item is not None and item.rating is not None else None,
        comment=item.text if item is not None else None,
        answers=dict((item.attributes or {}).get("answers", {})) if item is not None else {},
    )


def answer_link(
    engine: Engine,
    settings: Settings,
    token: str,
    *,
    now: dt.datetime,
    score: object = None,
    comment: str | None = None,
    answers: dict[str, Any] | None = None,
) -> AnswerResult:
    """Record (or change) the answer of a personal link. ``score`` may be left out once the
    link has one (sending the reason alone); ``comment=None`` keeps the comment given before."""
    key = signing_key(engine, settings)
    with engine.begin() as connection:
        claimed = tokens.invitation_id_of(token)
        # Writing first takes the database's write lock (SQLite) or the invitation's row lock
        # (PostgreSQL) before anything is read: two clicks at once are answered one after the
        # other, and the second updates what the first made.
        if claimed is not None:
            connection.execute(
                update(INVITATIONS)
                .where(INVITATIONS.c.id == claimed)
                .values(attempts=INVITATIONS.c.attempts)
            )
        row = _invitation(connection, key, token)
        survey = read_survey(connection, int(row.survey_id))
        _usable(row, survey, now)
        if score is None and row.feedback_item_id is None:
            raise AnswerRefused("bad_score", "score: choose a score from 0 to 10 first")
        chosen = check_score(score) if score is not None else int(row.score)
        text = clean_text(comment, limit=MAX_COMMENT, what="comment")
        extra = check_answers(survey, row.language, answers)
        c, o = Customer.__table__.c, Order.__table__.c
        customer_ref = (
            connection.scalar(select(c.external_id).where(c.id == row.customer_id))
            if row.customer_id
            else None
        )
        order = (
            connection.execute(select(o.external_id, o.product).where(o.id == row.order_id)).first()
            if row.order_id
            else None
        )
        item_id, created = _upsert_item(
            connection,
            external_id=f"advocacy-invitation-{row.id}",
            now=now,
            score=chosen,
            comment=comment is not None,
            text=text,
            answers=extra,
            fields={
                "customer_id": row.customer_id,
                "customer_ref": customer_ref,
                "order_id": row.order_id,
                "order_ref": order.external_id if order else None,
                "product": order.product if order else None,
                "language": row.language,
                "channel": "web" if row.channel == "widget" else row.channel,
                "touchpoint": survey.touchpoint,
            },
            attributes={"survey": survey.key, "invitation_id": row.id},
        )
        connection.execute(
            update(INVITATIONS)
            .where(INVITATIONS.c.id == row.id)
            .values(
                answered_at=row.answered_at or now,
                score=chosen,
                feedback_item_id=item_id,
                opened_at=row.opened_at or now,
            )
        )
    return AnswerResult(item_id, created, chosen, survey.key, row.language, row.id)


def public_survey(connection: Connection, key: str) -> SurveyInfo:
    """The survey named ``key`` if it takes anonymous answers (:class:`LinkRefused` if it is
    closed, :class:`NotFound` if there is none), read on the caller's connection."""
    survey = read_survey(connection, key)
    if not survey.active or not survey.public_enabled:
        raise LinkRefused("closed", "this survey is not open to the public")
    return survey


class SurveyCache:
    """Survey definitions read for anonymous answers, each kept ``seconds`` in this process.

    A public link or widget may take hundreds of answers a second to one survey; reading its
    definition for each is a tenth of an answer's work. A survey switched off (or on) in another
    process is seen within ``seconds``; :meth:`clear` makes this process see a change at once
    (the app's survey pages call it). Refusals (no such survey, closed) are kept too.
    """

    def __init__(
        self,
        seconds: float = 1.0,
        *,
        limit: int = 1_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.seconds = seconds
        self.limit = limit
        self._clock = clock
        self._found: dict[str, tuple[float, SurveyInfo | AdvocacyError]] = {}

    def get(self, connection: Connection, key: str) -> SurveyInfo:
        now = self._clock()
        hit = self._found.get(key)
        if hit is None or hit[0] <= now:
            try:
                value: SurveyInfo | AdvocacyError = public_survey(connection, key)
            except (LinkRefused, NotFound) as exc:
                value = exc
            if len(self._found) >= self.limit:
                self._found.clear()
            hit = (now + self.seconds, value)
            self._found[key] = hit
        if isinstance(hit[1], LinkRefused):
            raise LinkRefused(hit[1].reason, str(hit[1]))
        if isinstance(hit[1], AdvocacyError):
            raise NotFound(str(hit[1]))
        return hit[1]

    def clear(self) -> None:
        self._found.clear()


def answer_public(
    engine: Engine,
    settings: Settings,
    survey_key: str,
    *,
    now: dt.datetime,
    response_id: str,
    score: object = None,
    comment: str | None = None,
    language: str | None = None,
    answers: dict[str, Any] | None = None,
    channel: str = "link",
    surveys: SurveyCache | None = None,
) -> AnswerResult:
    """Record (or change) an anonymous answer through the survey's public link or widget
    (``surveys``: definitions kept a moment, else read for this answer)."""
    del settings  # the public link is not signed: the survey's key is public
    with engine.begin() as connection:
        # One connection for the survey and the answer: a second one a request costs more than
        # the answer's own statements.
        survey = (
            surveys.get(connection, survey_key)
            if surveys is not None
            else public_survey(connection, survey_key)
        )
        if not isinstance(response_id, str) or not _RESPONSE_ID.match(response_id):
            raise AnswerRefused("bad_answer", "response_id: 16–64 letters, digits, - or _")
        chosen_language = language if language in survey.languages else survey.default_language
        text = clean_text(comment, limit=MAX_COMMENT, what="comment")
        extra = check_answers(survey, chosen_language, answers)
        external_id = f"advocacy-{survey.key}-{response_id}"
        if score is None:
            found = connection.scalar(
                select(_ITEMS.c.rating).where(
                    _ITEMS.c.kind == "nps",
                    _ITEMS.c.platform == "",
                    _ITEMS.c.external_id == external_id,
                )
            )
            if found is None:
                raise AnswerRefused("bad_score", "score: choose a score from 0 to 10 first")
            score = int(found)
        chosen = check_score(score)
        item_id, created = _upsert_item(
            connection,
            external_id=external_id,
            now=now,
            score=chosen,
            comment=comment is not None,
            text=text,
            answers=extra,
            fields={
                "language": chosen_language,
                "channel": "web" if channel == "widget" else "link",
                "touchpoint": survey.touchpoint,
            },
            attributes={"survey": survey.key, "anonymous": True},
        )
    return AnswerResult(item_id, created, chosen, survey.key, chosen_language)


@functools.cache
def _insert_new(dialect: str) -> Any:
    """``INSERT … ON CONFLICT DO NOTHING RETURNING id`` of an answer's item, built once."""
    statement = pg_insert(_ITEMS) if dialect == "postgresql" else sqlite_insert(_ITEMS)
    return statement.on_conflict_do_nothing(
        index_elements=["kind", "platform", "external_id"]
    ).returning(_ITEMS.c.id)


def _upsert_item(
    connection: Connection,
    *,
    external_id: str,
    now: dt.datetime,
    score: int,
    comment: bool,
    text: str | None,
    answers: dict[str, Any],
    fields: dict[str, Any],
    attributes: dict[str, Any],
) -> tuple[int, bool]:
    """Insert the answer's NPS item, or update the one it has; the facts follow."""
    values = {
        "kind": "nps",
        "platform": "",
        "external_id": external_id,
        "rating": float(score),
        "rating_scale": 10.0,
        "rating_normalized": score / 10,
        "text": text,
        "occurred_at": now,
        "attributes": {**attributes, **({"answers": answers} if answers else {})},
        "created_at": now,
        "updated_at": now,
        **fields,
    }
    inserted = connection.execute(_insert_new(connection.dialect.name), values).scalar()
    if inserted is not None:
        if values.get("customer_id") is None:
            # An anonymous answer: its fact key is known without reading it back.
            count_new_item(
                connection,
                new_item_key(
                    occurred_at=values["occurred_at"],
                    kind="nps",
                    platform="",
                    channel=values.get("channel"),
                    rating=float(score),
                ),
            )
        else:
            count_items(connection, [int(inserted)], sign=1)
        return int(inserted), True
    existing = connection.execute(
        select(_ITEMS.c.id, _ITEMS.c.text, _ITEMS.c.attributes)
        .where(_ITEMS.c.kind == "nps", _ITEMS.c.platform == "", _ITEMS.c.external_id == external_id)
        .with_for_update()
    ).one()
    item_id = int(existing.id)
    changes: dict[str, Any] = {
        "rating": float(score),
        "rating_normalized": score / 10,
        "updated_at": now,
    }
    if comment and text != existing.text:
        changes["text"] = text
        changes.update(_ANALYSIS_CLEARED)  # analysed again by the next round of work
    if answers:
        changes["attributes"] = {**(existing.attributes or {}), "answers": answers}
    count_items(connection, [item_id], sign=-1)
    connection.execute(update(_ITEMS).where(_ITEMS.c.id == item_id).values(**changes))
    count_items(connection, [item_id], sign=1)
    return item_id, False


def link_language(engine: Engine, settings: Settings, token: str) -> str:
    """The language of a genuine personal link, expired or not (:class:`LinkRefused` if
    forged)."""
    with engine.connect() as connection:
        row = _invitation(connection, signing_key(engine, settings), token)
    return str(row.language)


def unsubscribe_link(engine: Engine, settings: Settings, token: str, *, now: dt.datetime) -> str:
    """Unsubscribe the customer of a personal link from every survey (an expired link still
    works for this); returns the link's language."""
    key = signing_key(engine, settings)
    with engine.connect() as connection:
        row = _invitation(connection, key, token)
    if row.customer_id is not None:
        set_contact_preference(
            engine, int(row.customer_id), now=now, unsubscribed=True, source="survey link"
        )
    return str(row.language)
