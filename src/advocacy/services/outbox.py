"""Sending the survey e-mails that invitations hold, and the one reminder each may get.

The invitations table is the outbox. A worker claims one invitation at a time (``queued`` →
``sending``, with a lease), hands its message to the mail server, and marks it ``sent`` — so any
number of workers, in this process or others, can share the work, and a stop between two
messages loses nothing: what is still ``queued`` is sent by the next worker. The rules of
contact are checked once more just before sending (an unsubscribe that arrived meanwhile wins).

Not sending twice: the one moment that cannot be told apart afterwards is a process that dies
after the server took a message and before it was marked sent. An invitation left ``sending``
past its lease is therefore not sent again but marked ``failed`` with that reason — asking a
customer twice is worse than once too few. A server that is unreachable or answers 4xx is tried
again later with growing pauses (:data:`MAX_ATTEMPTS` in all); a 5xx refusal fails at once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Engine, and_, select, update

from advocacy.config import Settings
from advocacy.errors import InvalidInput
from advocacy.mail.smtp import Mailer, MailPermanentError, MailTemporaryError, Send
from advocacy.mail.survey_mail import survey_message
from advocacy.services.invitations import links_for
from advocacy.services.surveys import (
    INVITATIONS,
    SurveyInfo,
    contact_facts,
    policy_of,
    read_survey,
    signing_key,
)
from advocacy.store.tables import Customer, Order
from advocacy.surveys import rules, tokens
from advocacy.surveys.texts import wording

log = logging.getLogger("advocacy.outbox")

MAX_ATTEMPTS = 5
LEASE = dt.timedelta(minutes=10)
INTERRUPTED = (
    "interrupted while being sent: not sent again, so that the customer is not asked twice"
)


@dataclass
class DeliveryReport:
    """What one round of sending did."""

    sent: int = 0
    reminders: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    interrupted: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def anything(self) -> bool:
        return any(asdict(self).values())


def backoff(attempts: int) -> dt.timedelta:
    """The pause before the next try after ``attempts`` failed ones: 5 min, 10, 20, 40…, at
    most 6 hours."""
    pause = dt.timedelta(minutes=5 * 2 ** min(max(attempts - 1, 0), 10))
    return min(pause, dt.timedelta(hours=6))


def deliver_due(
    engine: Engine,
    settings: Settings,
    mailer: Mailer | None,
    *,
    now: dt.datetime,
    limit: int = 200,
    should_stop: Callable[[], bool] = lambda: False,
) -> DeliveryReport:
    """Send up to ``limit`` due invitations and reminders. Without a mailer (no
    ``ADVOCACY_SMTP_HOST``) nothing is sent and the invitations wait."""
    report = DeliveryReport()
    i = INVITATIONS.c
    with engine.begin() as connection:
        report.interrupted = connection.execute(
            update(INVITATIONS)
            .where(i.status == "sending", i.lease_until < now)
            .values(status="failed", error=INTERRUPTED, lease_until=None)
        ).rowcount
    if mailer is None or not _anything_due(engine, now):
        return report
    key = signing_key(engine, settings)
    with ExitStack() as stack:
        send: Send | None = None
        try:
            for reminder in (False, True):
                for _ in range(limit):
                    if should_stop():
                        break
                    claimed = _claim_reminder(engine, now) if reminder else _claim(engine, now)
                    if claimed is None:
                        break
                    if send is None:
                        # Connected once something is to be sent; an unreachable server puts
                        # the claimed invitation back with a pause.
                        try:
                            send = stack.enter_context(mailer.connect())
                        except MailTemporaryError as exc:
                            _give_back(engine, claimed, now, str(exc), report, reminder=reminder)
                            raise
                    if reminder:
                        _send_reminder(engine, settings, key, send, claimed, now, report)
                    else:
                        _send_invitation(engine, settings, key, send, claimed, now, report)
        except MailTemporaryError as exc:
            log.warning("survey e-mail waits: %s", exc)
    return report


def _give_back(
    engine: Engine,
    invitation_id: int,
    now: dt.datetime,
    error: str,
    report: DeliveryReport,
    *,
    reminder: bool,
) -> None:
    if reminder:
        _mark(engine, invitation_id, reminder_claimed_at=None)
    else:
        _retry(engine, invitation_id, now, error, report)


def _anything_due(engine: Engine, now: dt.datetime) -> bool:
    i = INVITATIONS.c
    with engine.connect() as connection:
        queued = connection.scalar(
            select(i.id).where(i.status == "queued", i.send_after <= now).limit(1)
        )
        return queued is not None or _reminder_due(connection, now) is not None


def _reminder_due(connection: Any, now: dt.datetime) -> int | None:
    i = INVITATIONS.c
    found = connection.scalar(
        select(i.id)
        .where(
            i.status == "sent",
            i.reminder_due_at <= now,
            i.reminder_claimed_at.is_(None),
            i.answered_at.is_(None),
            i.expires_at > now,
        )
        .order_by(i.reminder_due_at, i.id)
        .limit(1)
    )
    return int(found) if found is not None else None


def _claim(engine: Engine, now: dt.datetime) -> int | None:
    """Take the next due invitation for this worker (``sending`` under a lease)."""
    i = INVITATIONS.c
    for _ in range(20):  # another worker may take the one this one saw
        with engine.begin() as connection:
            found = connection.scalar(
                select(i.id)
                .where(i.status == "queued", i.send_after <= now)
                .order_by(i.send_after, i.id)
                .limit(1)
            )
            if found is None:
                return None
            taken = connection.execute(
                update(INVITATIONS)
                .where(i.id == found, i.status == "queued")
                .values(status="sending", lease_until=now + LEASE, attempts=i.attempts + 1)
            ).rowcount
        if taken:
            return int(found)
    return None


def _claim_reminder(engine: Engine, now: dt.datetime) -> int | None:
    i = INVITATIONS.c
    for _ in range(20):
        with engine.begin() as connection:
            found = _reminder_due(connection, now)
            if found is None:
                return None
            taken = connection.execute(
                update(INVITATIONS)
                .where(i.id == found, i.reminder_claimed_at.is_(None))
                .values(reminder_claimed_at=now)
            ).rowcount
        if taken:
            return found
    return None


def _mark(engine: Engine, invitation_id: int, **values: Any) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(INVITATIONS).where(INVITATIONS.c.id == invitation_id).values(**values)
        )


def _message_of(
    engine: Engine,
    settings: Settings,
    key: str,
    invitation_id: int,
    now: dt.datetime,
    *,
    reminder: bool,
) -> tuple[Any, str | None, SurveyInfo]:
    """The e-mail of an invitation (or ``None`` with the reason it must not be sent), and its
    survey."""
    i, c, o = INVITATIONS.c, Customer.__table__.c, Order.__table__.c
    with engine.connect() as connection:
        row = connection.execute(
            select(INVITATIONS, c.name, o.external_id.label("order_ref"))
            .select_from(
                INVITATIONS.outerjoin(Customer.__table__, c.id == i.customer_id).outerjoin(
                    Order.__table__, o.id == i.order_id
                )
            )
            .where(i.id == invitation_id)
        ).one()
        survey = read_survey(connection, int(row.survey_id))
        if row.customer_id is not None:
            facts = contact_facts(connection, [row.customer_id])[row.customer_id]
            reason = rules.refusal(
                facts, policy_of(survey, settings), now, needs_email=True, check_frequency=False
            )
            if reason:
                return None, reason, survey
    if not survey.active:
        return None, "the survey was switched off", survey
    if now >= row.expires_at:
        return None, "expired before it was sent", survey
    if reminder and row.answered_at is not None:
        return None, "answered", survey
    if not row.email:
        return None, "no e-mail address", survey
    links = links_for(settings.base_url, tokens.sign(key, row.id, row.nonce))
    try:
        message = survey_message(
            to=row.email,
            sender=settings.mail_from,
            wording=wording(survey.texts, row.language),
            language=row.language,
            url=links.url,
            score_urls=links.score_urls,
            unsubscribe_url=links.unsubscribe_url,
            name=row.name,
            order_ref=row.order_ref,
            reminder=reminder,
            now=now,
        )
    except InvalidInput as exc:
        return None, str(exc), survey
    return message, None, survey


def _send_invitation(
    engine: Engine,
    settings: Settings,
    key: str,
    send: Send,
    invitation_id: int,
    now: dt.datetime,
    report: DeliveryReport,
) -> None:
    message, reason, survey = _message_of(engine, settings, key, invitation_id, now, reminder=False)
    if message is None:
        report.skipped += 1
        _mark(engine, invitation_id, status="skipped", error=reason, lease_until=None)
        return
    try:
        send(message)
    except MailPermanentError as exc:
        report.failed += 1
        _mark(engine, invitation_id, status="failed", error=str(exc)[:500], lease_until=None)
        return
    except MailTemporaryError as exc:
        _retry(engine, invitation_id, now, str(exc), report)
        raise
    reminder_days = survey.reminder_days
    report.sent += 1
    _mark(
        engine,
        invitation_id,
        status="sent",
        sent_at=now,
        error=None,
        lease_until=None,
        reminder_due_at=now + dt.timedelta(days=reminder_days) if reminder_days else None,
    )


def _retry(
    engine: Engine, invitation_id: int, now: dt.datetime, error: str, report: DeliveryReport
) -> None:
    i = INVITATIONS.c
    with engine.begin() as connection:
        attempts = int(connection.scalar(select(i.attempts).where(i.id == invitation_id)) or 0)
        if attempts >= MAX_ATTEMPTS:
            report.failed += 1
            values: dict[str, Any] = {"status": "failed", "error": error[:500], "lease_until": None}
        else:
            report.retried += 1
            values = {
                "status": "queued",
                "error": error[:500],
                "lease_until": None,
                "send_after": now + backoff(attempts),
            }
        connection.execute(
            update(INVITATIONS)
            .where(and_(i.id == invitation_id, i.status == "sending"))
            .values(**values)
        )


def _send_reminder(
    engine: Engine,
    settings: Settings,
    key: str,
    send: Send,
    invitation_id: int,
    now: dt.datetime,
    report: DeliveryReport,
) -> None:
    message, reason, _survey = _message_of(engine, settings, key, invitation_id, now, reminder=True)
    if message is None:
        log.info("no reminder for invitation %s: %s", invitation_id, reason)
        return
    try:
        send(message)
    except MailPermanentError as exc:
        log.warning("reminder of invitation %s refused: %s", invitation_id, exc)
        return
    except MailTemporaryError:
        # Given back: the next round tries the reminder again.
        _mark(engine, invitation_id, reminder_claimed_at=None)
        raise
    report.reminders += 1
    _mark(engine, invitation_id, reminded_at=now)
