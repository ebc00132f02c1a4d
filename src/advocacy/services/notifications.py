"""Telling people and programs what happens to cases, and e-mailing the replies to customers.

Every change to a case writes one row of ``case_events``; that table is the source of truth.

- :func:`queue_notifications` reads the events after a cursor kept in ``catalogue_state``
  (:data:`CURSOR`) and writes one ``notifications`` row per event and target: each active
  webhook that wants the event's kind (``webhook:ID``), and the people it concerns by e-mail
  (``mail:ADDRESS``) — the owner a case is assigned to, the owner of a case escalated, joined by
  new feedback or whose customer answered the re-survey, and ``ADVOCACY_CASE_ESCALATION_EMAIL``
  on every escalation; never the person who did it. ``(event_id, target)`` is unique, so a
  re-run or a crash never tells anyone twice.
- :func:`deliver_notifications` claims due rows one at a time under a lease, POSTs the signed
  JSON to webhooks (:mod:`advocacy.services.webhooks`) and sends the e-mails; a receiver that
  is unreachable or answers 408, 429 or 5xx is tried again with growing pauses
  (:data:`MAX_ATTEMPTS` in all), and left alone for the rest of the round. An e-mail left
  ``sending`` by a worker that died is failed (it may have gone); a webhook is asked again with
  the same delivery id, which receivers deduplicate on. :func:`list_notifications` shows them.
- :func:`send_due_replies` sends the ``case_replies`` written for e-mail, with the policy of the
  survey outbox (:mod:`advocacy.services.outbox`): a reply interrupted mid-send is failed, never
  sent twice; each outcome is on the case's timeline (``reply_sent`` / ``reply_failed``).

Ids of events are handed out before their transaction commits, so on PostgreSQL a higher id can
be seen before a lower one. The cursor therefore stops before a gap in the ids until the event
after it is :data:`GAP_GRACE` old (the missing one was rolled back, or is seen by then); the
events after the gap are looked at again meanwhile, which the unique key makes harmless.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any, cast

import httpx
from sqlalchemy import Connection, Engine, Table, and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from advocacy.config import Settings
from advocacy.errors import InvalidInput
from advocacy.mail.smtp import Mailer, MailError, MailPermanentError, MailTemporaryError, Send
from advocacy.mail.survey_mail import one_line
from advocacy.services.case_replies import REPLIES
from advocacy.services.cases import CASES, EVENTS, _event, get_case
from advocacy.services.outbox import LEASE, backoff
from advocacy.services.outbox import MAX_ATTEMPTS as MAIL_MAX_ATTEMPTS
from advocacy.services.webhooks import (
    NOTIFICATIONS,
    RESURVEY_ANSWERED,
    WEBHOOK_REMOVED,
    WEBHOOKS,
    Outcome,
    http_client,
    post_signed,
)
from advocacy.store.tables import CatalogueState, SurveyInvitation, User

log = logging.getLogger("advocacy.notifications")

STATE = cast(Table, CatalogueState.__table__)
USERS = cast(Table, User.__table__)
INVITATIONS = cast(Table, SurveyInvitation.__table__)

#: The ``catalogue_state`` key holding the id of the last case event fanned out.
CURSOR = "case_events_notified"
#: A notification is ``queued``, ``sending`` (a worker holds it), ``sent``, ``failed`` or
#: ``cancelled`` (its webhook was removed).
STATUSES = ("queued", "sending", "sent", "failed", "cancelled")
#: Webhook tries in all before a notification fails (about 10 hours with the pauses).
MAX_ATTEMPTS = 8
#: How long the cursor waits for an event id that was handed out but not seen yet.
GAP_GRACE = dt.timedelta(minutes=10)
#: On the very first run, events older than this are not told (a database with history).
FIRST_RUN_WINDOW = dt.timedelta(days=1)
#: What the person who does something is called on the timeline when the system did it.
MAIL_ACTOR = "mail"

MAIL_INTERRUPTED = "interrupted while being sent: not sent again, so that nobody is told twice"
REPLY_INTERRUPTED = (
    "interrupted while being sent: not sent again, so that the customer does not get it twice"
)
_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+")


# --- Fan-out: case events → notifications ----------------------------------------------------


def queue_notifications(
    engine: Engine, settings: Settings, *, now: dt.datetime, limit: int = 1000
) -> int:
    """Write the notifications owed for the case events after the cursor (at most ``limit``
    events a call), after writing ``resurvey_answered`` on the timeline of each case whose
    re-survey was answered since; returns the notifications written. Running it again writes
    nothing new."""
    with engine.connect() as connection:  # most rounds: nothing new, and nothing to write
        seen = connection.scalar(select(STATE.c.value).where(STATE.c.key == CURSOR))
        if (
            seen is not None
            and connection.scalar(select(EVENTS.c.id).where(EVENTS.c.id > seen).limit(1)) is None
            and not _answered_resurveys(connection)
        ):
            return 0
    with engine.begin() as connection:
        cursor = _take_cursor(connection, now)
        for answer in _answered_resurveys(connection):  # under the cursor's lock: once each
            _event(connection, answer.case_id, now, "customer", RESURVEY_ANSWERED,
                   invitation_id=answer.invitation_id, score=answer.score,
                   answered_at=answer.answered_at.isoformat())  # fmt: skip
        events = connection.execute(
            select(EVENTS.c.id, EVENTS.c.case_id, EVENTS.c.at, EVENTS.c.actor, EVENTS.c.kind,
                   EVENTS.c.detail)
            .where(EVENTS.c.id > cursor)
            .order_by(EVENTS.c.id)
            .limit(limit)
        ).all()  # fmt: skip
        if not events:
            return 0
        hooks = connection.execute(
            select(WEBHOOKS.c.id, WEBHOOKS.c.events).where(WEBHOOKS.c.active.is_(True))
        ).all()
        cases = {
            row.id: row
            for row in connection.execute(
                select(CASES.c.id, CASES.c.owner, CASES.c.opened_at).where(
                    CASES.c.id.in_({event.case_id for event in events})
                )
            )
        }
        selves = _selves(connection, {event.actor for event in events})
        rows = [
            {"event_id": event.id, "target": target, "status": "queued", "attempts": 0,
             "created_at": now}
            for event in events
            for target in _targets(event, cases[event.case_id], hooks, settings,
                                   selves.get(event.actor, set()))
        ]  # fmt: skip
        queued = _insert_new(connection, rows)
        connection.execute(
            update(STATE)
            .where(STATE.c.key == CURSOR)
            .values(value=_advance(cursor, events, now), changed_at=now)
        )
    return queued


def _take_cursor(connection: Connection, now: dt.datetime) -> int:
    """The cursor, its row locked for this transaction (one fan-out at a time)."""
    lock = update(STATE).where(STATE.c.key == CURSOR).values(value=STATE.c.value)
    if not connection.execute(lock).rowcount:
        first = connection.scalar(
            select(func.max(EVENTS.c.id)).where(EVENTS.c.at < now - FIRST_RUN_WINDOW)
        )
        dialect = sqlite if connection.dialect.name == "sqlite" else postgresql
        connection.execute(
            dialect.insert(STATE)
            .values(key=CURSOR, value=int(first or 0), changed_at=now)
            .on_conflict_do_nothing(index_elements=["key"])
        )
        connection.execute(lock)
    return int(connection.scalar(select(STATE.c.value).where(STATE.c.key == CURSOR)) or 0)


def _answered_resurveys(connection: Connection) -> list[Any]:
    """Re-surveys of cases answered and not yet on the case's timeline."""
    told = (
        select(EVENTS.c.id)
        .where(EVENTS.c.case_id == CASES.c.id, EVENTS.c.kind == RESURVEY_ANSWERED)
        .exists()
    )
    i = INVITATIONS.c
    return list(
        connection.execute(
            select(CASES.c.id.label("case_id"), i.id.label("invitation_id"), i.answered_at, i.score)
            .join(INVITATIONS, i.id == CASES.c.resurvey_invitation_id)
            .where(i.answered_at.is_not(None), ~told)
            .order_by(i.answered_at, CASES.c.id)
        ).all()
    )


def _advance(cursor: int, events: Sequence[Any], now: dt.datetime) -> int:
    """The new cursor: past every event seen, but not past a recent gap in the ids."""
    for event in events:
        if event.id != cursor + 1 and now - event.at < GAP_GRACE:
            break
        cursor = event.id
    return cursor


def _selves(connection: Connection, actors: set[str]) -> dict[str, set[str]]:
    """Each actor's own addresses: the actor itself, and the e-mail of a user by that name (the
    web app names a person by their name when they have one)."""
    found = {actor: {actor.strip().lower()} for actor in actors}
    for email, name in connection.execute(
        select(USERS.c.email, USERS.c.name).where(USERS.c.name.in_(actors))
    ):
        found[name].add(email.lower())
    return found


def _targets(event: Any, case: Any, hooks: Sequence[Any], settings: Settings,
             selves: set[str]) -> list[str]:  # fmt: skip
    targets = [
        f"webhook:{hook.id}" for hook in hooks if not hook.events or event.kind in hook.events
    ]
    detail = dict(event.detail or {})
    people: list[Any] = []
    if event.kind == "assigned":
        people.append(detail.get("owner"))
    elif event.kind == "escalated":
        people += [case.owner, settings.case_escalation_email]
    elif event.kind == RESURVEY_ANSWERED or (
        event.kind == "item_added" and event.at > case.opened_at  # joined, not opened with
    ):
        people.append(case.owner)
    for person in people:
        address = str(person or "").strip().lower()
        target = f"mail:{address}"
        plausible = address.isprintable() and _ADDRESS.fullmatch(address)
        if plausible and address not in selves and target not in targets:
            targets.append(target)
    return targets


def _insert_new(connection: Connection, rows: list[dict[str, Any]]) -> int:
    dialect = sqlite if connection.dialect.name == "sqlite" else postgresql
    written = 0
    for start in range(0, len(rows), 500):
        statement = (
            dialect.insert(NOTIFICATIONS)
            .values(rows[start : start + 500])
            .on_conflict_do_nothing(index_elements=["event_id", "target"])
            .returning(NOTIFICATIONS.c.id)  # psycopg gives no row count for it
        )
        written += len(connection.execute(statement).all())
    return written


# --- Delivery ----------------------------------------------------------------------------------


@dataclass
class DeliveryReport:
    """What one round of sending did (notifications, or replies)."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    interrupted: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def deliver_notifications(
    engine: Engine,
    settings: Settings,
    mailer: Mailer | None,
    *,
    now: dt.datetime,
    limit: int = 200,
    should_stop: Callable[[], bool] = lambda: False,
    transport: httpx.BaseTransport | None = None,
) -> DeliveryReport:
    """Send up to ``limit`` due notifications. Without a mailer (no ``ADVOCACY_SMTP_HOST``) the
    e-mails wait; an unreachable mail server leaves them for a later round, webhooks go on."""
    report = DeliveryReport()
    _recover_interrupted(engine, now, report)
    mail = mailer is not None
    resting: set[str] = set()  # webhooks that did not answer: left for the next round
    try:
        with ExitStack() as stack:
            client: httpx.Client | None = None
            send: Send | None = None
            for _ in range(limit):
                if should_stop():
                    break
                claimed = _claim(engine, now, mail=mail, skip=resting)
                if claimed is None:
                    break
                if claimed.target.startswith("webhook:"):
                    client = client or stack.enter_context(http_client(transport))
                    if _deliver_webhook(engine, client, claimed, now, report) == "retry":
                        resting.add(claimed.target)
                    continue
                if send is None:
                    try:
                        send = stack.enter_context(cast(Mailer, mailer).connect())
                    except MailError as exc:
                        _settle(engine, claimed.id, now, Outcome("retry", error=str(exc)), report,
                                max_attempts=MAIL_MAX_ATTEMPTS)  # fmt: skip
                        log.warning("notification e-mails wait: %s", exc)
                        mail = False
                        continue
                if not _deliver_mail(engine, settings, send, claimed, now, report):
                    mail = False  # the connection is gone: the other e-mails wait
    except MailError as exc:  # closing a broken connection
        log.warning("the mail server connection ended badly: %s", exc)
    return report


def _recover_interrupted(engine: Engine, now: dt.datetime, report: DeliveryReport) -> None:
    """Rows left ``sending`` past their lease: a webhook is asked again (receivers deduplicate
    on ``Advocacy-Delivery``); an e-mail is failed, as it may have gone."""
    n = NOTIFICATIONS.c
    stale = and_(n.status == "sending", n.lease_until < now)
    with engine.begin() as connection:
        report.interrupted += connection.execute(
            update(NOTIFICATIONS)
            .where(stale, n.target.like("mail:%"))
            .values(status="failed", error=MAIL_INTERRUPTED, lease_until=None)
        ).rowcount
        report.interrupted += connection.execute(
            update(NOTIFICATIONS)
            .where(stale, n.target.like("webhook:%"), n.attempts >= MAX_ATTEMPTS)
            .values(status="failed", error="interrupted while being sent", lease_until=None)
        ).rowcount
        report.interrupted += connection.execute(
            update(NOTIFICATIONS)
            .where(stale, n.target.like("webhook:%"))
            .values(status="queued", lease_until=None, next_attempt_at=now)
        ).rowcount


def _claim(engine: Engine, now: dt.datetime, *, mail: bool, skip: set[str]) -> Any:
    """Take the next due notification, leaving out e-mails when ``mail`` is false and the
    targets in ``skip``."""
    n = NOTIFICATIONS.c
    due = and_(n.status == "queued", or_(n.next_attempt_at.is_(None), n.next_attempt_at <= now))
    if not mail:
        due = and_(due, n.target.like("webhook:%"))
    if skip:
        due = and_(due, n.target.not_in(skip))
    return claim_next(engine, NOTIFICATIONS, due, now)


def claim_next(engine: Engine, table: Table, due: Any, now: dt.datetime) -> Any:
    """Take the first row of ``table`` that is ``due`` for this worker (``queued`` →
    ``sending`` under a lease, one more attempt), or ``None``."""
    c = table.c
    for _ in range(20):  # another worker may take the one this one saw
        with engine.begin() as connection:
            found = connection.execute(select(table).where(due).order_by(c.id).limit(1)).first()
            if found is None:
                return None
            taken = connection.execute(
                update(table)
                .where(c.id == found.id, c.status == "queued")
                .values(status="sending", lease_until=now + LEASE, attempts=c.attempts + 1)
            ).rowcount
        if taken:
            return found
    return None


def _settle(
    engine: Engine, notification_id: int, now: dt.datetime, outcome: Outcome,
    report: DeliveryReport, *, max_attempts: int = MAX_ATTEMPTS,
) -> None:  # fmt: skip
    """Record ``outcome``: sent, failed, or queued again after a pause (failed once
    ``max_attempts`` tries were made)."""
    with engine.begin() as connection:
        values: dict[str, Any] = {"lease_until": None, "response_status": outcome.response_status}
        if outcome.status == "sent":
            report.sent += 1
            values.update(status="sent", sent_at=now, error=None)
        elif outcome.status == "retry" and retry_at(
            connection, NOTIFICATIONS, notification_id, now, max_attempts, values
        ):
            report.retried += 1
        else:
            report.failed += 1
            values["status"] = "failed"
        if outcome.error is not None:
            values["error"] = outcome.error[:500]
        connection.execute(
            update(NOTIFICATIONS)
            .where(NOTIFICATIONS.c.id == notification_id, NOTIFICATIONS.c.status == "sending")
            .values(**values)
        )


def retry_at(connection: Connection, table: Table, row_id: int, now: dt.datetime,
              max_attempts: int, values: dict[str, Any]) -> bool:  # fmt: skip
    """Put a row back in the queue after a pause (into ``values``); ``False`` once it has had
    its ``max_attempts``."""
    attempts = int(connection.scalar(select(table.c.attempts).where(table.c.id == row_id)) or 0)
    if attempts >= max_attempts:
        return False
    values.update(status="queued", next_attempt_at=now + backoff(attempts))
    return True


def _event_row(engine: Engine, event_id: int) -> Any:
    with engine.connect() as connection:
        return connection.execute(select(EVENTS).where(EVENTS.c.id == event_id)).one()


def _case_document(engine: Engine, case_id: int, now: dt.datetime) -> dict[str, Any]:
    document = get_case(engine, case_id, now=now)
    document.pop("timeline", None)
    return document


def payload_of(delivery: int | str, event: Any, case: dict[str, Any] | None) -> dict[str, Any]:
    """The JSON a webhook receives for one event."""
    return {
        "id": delivery,
        "event": event.kind,
        "at": event.at.isoformat(),
        "actor": event.actor,
        "detail": dict(event.detail or {}),
        "case": case,
    }


def _deliver_webhook(
    engine: Engine, client: httpx.Client, claimed: Any, now: dt.datetime,
    report: DeliveryReport,
) -> str:  # fmt: skip
    """POST one notification to its webhook; returns the outcome's status."""
    webhook_id = int(claimed.target.removeprefix("webhook:"))
    with engine.connect() as connection:
        hook = connection.execute(
            select(WEBHOOKS.c.url, WEBHOOKS.c.secret, WEBHOOKS.c.active).where(
                WEBHOOKS.c.id == webhook_id
            )
        ).first()
    if hook is None or not hook.active:
        report.failed += 1
        _mark(engine, claimed.id, status="cancelled", error=WEBHOOK_REMOVED, lease_until=None)
        return "cancelled"
    event = _event_row(engine, claimed.event_id)
    payload = payload_of(claimed.id, event, _case_document(engine, event.case_id, now))
    outcome = post_signed(client, hook.url, hook.secret, payload, now=now)
    _settle(engine, claimed.id, now, outcome, report)
    return outcome.status


def _mark(engine: Engine, notification_id: int, **values: Any) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(NOTIFICATIONS).where(NOTIFICATIONS.c.id == notification_id).values(**values)
        )


def _deliver_mail(
    engine: Engine, settings: Settings, send: Send, claimed: Any, now: dt.datetime,
    report: DeliveryReport,
) -> bool:  # fmt: skip
    """Send one notification e-mail; ``False`` when the connection to the server is lost."""
    from advocacy.services import staff_mail

    event = _event_row(engine, claimed.event_id)
    case = _case_document(engine, event.case_id, now)
    try:
        to = claimed.target.removeprefix("mail:")
        message = staff_mail.case_notification(
            settings, to=to, event=event, case=case, now=now,
            language=staff_mail.staff_language(engine, to),
        )  # fmt: skip
        send(message)
    except (InvalidInput, MailPermanentError) as exc:
        _settle(engine, claimed.id, now, Outcome("failed", error=str(exc)), report)
    except MailTemporaryError as exc:
        _settle(engine, claimed.id, now, Outcome("retry", error=str(exc)), report,
                max_attempts=MAIL_MAX_ATTEMPTS)  # fmt: skip
        return False
    else:
        _settle(engine, claimed.id, now, Outcome("sent"), report)
    return True


# --- The e-mails -------------------------------------------------------------------------------


def envelope(settings: Settings, *, to: str, subject: str, now: dt.datetime) -> EmailMessage:
    """A message from the installation's sender to ``to``; every header one line (no header
    injection), an address that is not one refused."""
    message = EmailMessage()
    sender_name, sender_address = parseaddr(settings.mail_from)
    try:
        message["From"] = Address(display_name=one_line(sender_name), addr_spec=sender_address)
        message["To"] = Address(addr_spec=one_line(to, 320))
    except (ValueError, IndexError) as exc:
        raise InvalidInput(f"not an e-mail address: {exc}") from None
    message["Subject"] = one_line(subject, 300)
    message["Date"] = format_datetime(now.replace(tzinfo=dt.UTC))
    message["Message-ID"] = make_msgid(domain=sender_address.rpartition("@")[2] or None)
    return message


def case_url(settings: Settings, case_id: int) -> str:
    """The case's page in the web app."""
    return f"{settings.base_url.rstrip('/')}/cases/{case_id}"


def reply_message(
    settings: Settings, *, to: str, subject: str, body: str, language: str | None,
    now: dt.datetime,
) -> EmailMessage:  # fmt: skip
    """A reply to a customer: the text as written, and an HTML part with it escaped."""
    message = envelope(settings, to=to, subject=subject, now=now)
    message.set_content(body)
    paragraphs = html.escape(body).replace("\r\n", "\n").replace("\n", "<br>\n")
    lang = html.escape(language or "en")
    message.add_alternative(
        f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(one_line(subject))}</title>
</head><body style="font:15px/1.5 Arial,sans-serif;color:#1f2937">
<div>{paragraphs}</div>
</body></html>
""",
        subtype="html",
    )
    if language:  # after the parts: setting the content replaces every Content-* header
        message["Content-Language"] = one_line(language, 35)
    return message


# --- Replies to customers ----------------------------------------------------------------------


def send_due_replies(
    engine: Engine,
    settings: Settings,
    mailer: Mailer | None,
    *,
    now: dt.datetime,
    limit: int = 200,
    should_stop: Callable[[], bool] = lambda: False,
) -> DeliveryReport:
    """E-mail up to ``limit`` queued replies. Without a mailer they wait; a reply left
    ``sending`` past its lease is failed (it may have gone), never sent again."""
    report = DeliveryReport()
    _fail_interrupted_replies(engine, now, report)
    if mailer is None:
        return report
    send_each(
        mailer, limit=limit, should_stop=should_stop, what="case replies",
        claim=lambda: _claim_reply(engine, now),
        send=lambda send, reply: _send_reply(engine, settings, send, reply, now, report),
        retry=lambda reply, error: _reply_done(engine, reply, now, report, retry=error),
    )  # fmt: skip
    return report


def send_each(
    mailer: Mailer, *, limit: int, should_stop: Callable[[], bool], what: str,
    claim: Callable[[], Any], send: Callable[[Send, Any], None],
    retry: Callable[[Any, str], None],
) -> None:  # fmt: skip
    """Claim and e-mail up to ``limit`` rows one at a time (``claim`` gives the next or
    ``None``) over one connection to the mail server, opened when the first row is claimed. A
    row claimed when the server cannot be reached is put back (``retry``); an error of the mail
    server ends the round (logged: ``what`` waits), the rest stays queued."""
    try:
        with ExitStack() as stack:
            connected: Send | None = None
            for _ in range(limit):
                if should_stop():
                    break
                claimed = claim()
                if claimed is None:
                    break
                if connected is None:
                    try:
                        connected = stack.enter_context(mailer.connect())
                    except MailError as exc:
                        retry(claimed, str(exc))
                        raise
                send(connected, claimed)
    except MailError as exc:
        log.warning("%s wait: %s", what, exc)


def _fail_interrupted_replies(engine: Engine, now: dt.datetime, report: DeliveryReport) -> None:
    r = REPLIES.c
    with engine.begin() as connection:
        stale = connection.execute(
            select(r.id, r.case_id).where(r.status == "sending", r.lease_until < now)
        ).all()
        for reply in stale:
            if connection.execute(
                update(REPLIES)
                .where(r.id == reply.id, r.status == "sending")
                .values(status="failed", error=REPLY_INTERRUPTED, lease_until=None)
            ).rowcount:
                report.interrupted += 1
                _event(connection, reply.case_id, now, MAIL_ACTOR, "reply_failed",
                       reply_id=reply.id, error=REPLY_INTERRUPTED)  # fmt: skip


def _claim_reply(engine: Engine, now: dt.datetime) -> Any:
    r = REPLIES.c
    due = and_(
        r.status == "queued",
        r.channel == "email",
        or_(r.next_attempt_at.is_(None), r.next_attempt_at <= now),
    )
    return claim_next(engine, REPLIES, due, now)


def _send_reply(
    engine: Engine, settings: Settings, send: Send, reply: Any, now: dt.datetime,
    report: DeliveryReport,
) -> None:  # fmt: skip
    if not reply.to_address:
        _reply_done(engine, reply, now, report, error="no e-mail address to send it to")
        return
    try:
        message = reply_message(
            settings, to=reply.to_address, subject=reply.subject or "Re: your feedback",
            body=reply.body, language=reply.language, now=now,
        )  # fmt: skip
        send(message)
    except (InvalidInput, MailPermanentError) as exc:
        _reply_done(engine, reply, now, report, error=str(exc))
        return
    except MailTemporaryError as exc:
        _reply_done(engine, reply, now, report, retry=str(exc))
        raise
    _reply_done(engine, reply, now, report)


def _reply_done(
    engine: Engine, reply: Any, now: dt.datetime, report: DeliveryReport, *,
    error: str | None = None, retry: str | None = None,
) -> None:  # fmt: skip
    """Record a reply's outcome: sent (no ``error``/``retry``), failed, or queued again after
    ``retry`` unless it had its tries; the timeline says when it is sent or failed."""
    r = REPLIES.c
    values: dict[str, Any] = {"lease_until": None}
    with engine.begin() as connection:
        if error is None and retry is None:
            report.sent += 1
            values.update(status="sent", sent_at=now, error=None)
            event: dict[str, Any] = {"kind": "reply_sent"}
        elif retry is not None and retry_at(
            connection, REPLIES, reply.id, now, MAIL_MAX_ATTEMPTS, values
        ):
            report.retried += 1
            values["error"] = retry[:500]
            event = {}
        else:
            report.failed += 1
            reason = (error or retry or "")[:500]
            values.update(status="failed", error=reason)
            event = {"kind": "reply_failed", "error": reason}
        done = connection.execute(
            update(REPLIES).where(r.id == reply.id, r.status == "sending").values(**values)
        ).rowcount
        if done and event:
            _event(connection, reply.case_id, now, MAIL_ACTOR, event.pop("kind"),
                   reply_id=reply.id, **event)  # fmt: skip


def list_notifications(
    engine: Engine,
    *,
    limit: int = 100,
    status: str | None = None,
    webhook_id: int | None = None,
    case_id: int | None = None,
) -> list[dict[str, Any]]:
    """The latest notifications, newest first: their target, status, tries, the receiver's
    answer and the error."""
    n = NOTIFICATIONS.c
    query = select(NOTIFICATIONS, EVENTS.c.case_id, EVENTS.c.kind).join(
        EVENTS, EVENTS.c.id == n.event_id
    )
    if status:
        query = query.where(n.status == status)
    if webhook_id is not None:
        query = query.where(n.target == f"webhook:{webhook_id}")
    if case_id is not None:
        query = query.where(EVENTS.c.case_id == case_id)
    query = query.order_by(n.id.desc()).limit(max(1, min(limit, 10_000)))
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return [
        {
            "id": row.id,
            "event_id": row.event_id,
            "case_id": row.case_id,
            "event": row.kind,
            "target": row.target,
            "status": row.status,
            "attempts": row.attempts,
            "response_status": row.response_status,
            "error": row.error,
            "created_at": row.created_at.isoformat(),
            "next_attempt_at": row.next_attempt_at.isoformat() if row.next_attempt_at else None,
            "sent_at": row.sent_at.isoformat() if row.sent_at else None,
        }
        for row in rows
    ]
