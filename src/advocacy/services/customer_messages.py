"""Messages from the advocacy programme to customers: thank-yous and review invitations.

**Thank-yous** (appreciation): after a promoter answer or a positive review of an advocate
(active or candidate) in the last 14 days, a thank-you from the template ``advocate_thanks`` is
queued in the language the customer wrote in (else their locale's, else English), with the
programme's direct contact. It waits ``thank_you_delay_hours`` (the owner may cancel it) and a
customer is thanked at most once every ``thank_you_min_days_between`` days: the items in
between are recorded ``skipped`` with the reason.

**Review invitations** (no review gating): ``review_delay_days`` after each purchase (the
delivery, or the order when it has no delivery date), every customer is invited to review the
company on the configured platforms (template ``review_invitation``) — never depending on their
score or sentiment, which the FTC and the review platforms forbid and which would make the
reviews worthless. The only reasons not to ask are the customer's: no e-mail address,
unsubscribed, consent withdrawn, or asked for a review less than ``review_min_days_between``
days ago. Every decision is a row (``queued`` or ``skipped`` with the reason) whose ``audit``
keeps the customer's NPS category at that moment, so :func:`review_audit` can show who was
asked in each category, and that no one was left out for what they thought.

**Sending** (:func:`send_due_messages`) follows the survey outbox: claimed under a lease, an
unsubscribe that arrived meanwhile wins, a message interrupted mid-send is failed (it may have
gone), never sent twice; a server that is unreachable is tried again with growing pauses.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, and_, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from advocacy.config import Settings
from advocacy.errors import InvalidInput, NotFound
from advocacy.mail.smtp import Mailer, MailPermanentError, MailTemporaryError, Send
from advocacy.services.advocate_programme import (
    PROGRAMME,
    ProgrammeSettings,
    log_event,
    one_of,
    programme_settings,
)
from advocacy.services.case_replies import company_name, render, template_for
from advocacy.services.cases import language_code
from advocacy.services.notifications import DeliveryReport, send_each
from advocacy.services.surveys import contact_facts
from advocacy.store.tables import (
    Customer,
    CustomerMessage,
    FeedbackItem,
    Order,
)
from advocacy.surveys import rules

log = logging.getLogger("advocacy.messages")

MESSAGES = cast(Table, CustomerMessage.__table__)
_CUSTOMERS = cast(Table, Customer.__table__)
_ITEMS = cast(Table, FeedbackItem.__table__)
_ORDERS = cast(Table, Order.__table__)

KINDS = ("thank_you", "review_invitation")
STATUSES = ("queued", "sending", "sent", "failed", "skipped", "cancelled")
THANK_DAYS = 14
REVIEW_WINDOW_DAYS = 30
BATCH = 2_000
#: The only reasons a customer is not invited to review: theirs, never their opinion.
CONTACT_REASONS = ("no e-mail address", "unsubscribed", "consent withdrawn", "asked recently")
CATEGORIES = ("promoter", "passive", "detractor", "no answer")
INTERRUPTED = "interrupted while being sent: not sent again, so that the customer gets it once"


#: The rules of contact every programme message follows: unsubscribe and consent (assumed
#: unless withdrawn), an address; how often is each message's own rule.
_POLICY = rules.ContactPolicy(min_days_between=0)


@dataclass(frozen=True)
class _Contact:
    facts: rules.ContactFacts
    locale: str | None
    name: str | None

    @property
    def email(self) -> str | None:
        return self.facts.email

    def refusal(self, now: dt.datetime) -> str | None:
        """Why the customer may not be written to now (the surveys' rules of contact)."""
        return rules.refusal(self.facts, _POLICY, now, needs_email=True, check_frequency=False)


def _contacts(connection: Connection, ids: Iterable[int]) -> dict[int, _Contact]:
    c = _CUSTOMERS.c
    wanted = list(dict.fromkeys(ids))
    found: dict[int, _Contact] = {}
    for start in range(0, len(wanted), 1_000):
        chunk = wanted[start : start + 1_000]
        facts = contact_facts(connection, chunk)
        for row in connection.execute(select(c.id, c.locale, c.name).where(c.id.in_(chunk))):
            found[row.id] = _Contact(facts[row.id], row.locale, row.name)
    return found


def _insert(connection: Connection, values: dict[str, Any]) -> bool:
    """Insert a message unless one with its dedupe key exists already."""
    if connection.scalar(
        select(MESSAGES.c.id).where(MESSAGES.c.dedupe_key == values["dedupe_key"])
    ):
        return False
    try:
        with connection.begin_nested():
            connection.execute(insert(MESSAGES).values(**values))
    except IntegrityError:  # a concurrent round wrote it first
        return False
    return True


def _base(kind: str, customer_id: int, key: str, now: dt.datetime, **values: Any) -> dict[str, Any]:
    return {
        "customer_id": customer_id, "kind": kind, "dedupe_key": key, "created_at": now,
        "created_by": PROGRAMME, "attempts": 0, "audit": {}, **values,
    }  # fmt: skip


def _written(
    engine: Engine | Connection, settings: Settings, key: str, language: str,
    values: Mapping[str, str | None],
) -> tuple[str, str, str]:  # fmt: skip
    template = template_for(engine, key, language)
    subject, body = render(
        template, {**values, "company": company_name(settings, template.language)}
    )
    return template.language, subject, body


def _contact_line(settings: Settings, options: ProgrammeSettings) -> str:
    from email.utils import parseaddr

    return options.contact or parseaddr(settings.mail_from)[1]


# --- thank-yous --------------------------------------------------------------------------------


def queue_thanks(
    engine: Engine, settings: Settings, evaluation: Any, *, now: dt.datetime
) -> dict[str, int]:
    """Queue a thank-you for each recent promoter answer or positive review of an advocate
    (``evaluation`` from :func:`advocacy.services.advocates.evaluate`)."""
    options = programme_settings(engine)
    if not options.thank_you:
        return {}
    since = (now - dt.timedelta(days=THANK_DAYS)).date().isoformat()
    wanted: dict[int, list[tuple[int, str, dict[str, Any]]]] = {}
    for customer_id, found in evaluation.advocates.items():
        if found["status"] == "lapsed":
            continue
        evidence = found["evidence"]
        items = [(a["item_id"], a["at"], {"trigger": "promoter_answer", "score": a["score"]})
                 for a in evidence["promoter_answers"] if a["at"] >= since]  # fmt: skip
        items += [(r["item_id"], r["at"], {"trigger": "positive_review",
                                           "rating_share": r["rating_share"]})
                  for r in evidence["positive_reviews"] if r["at"] >= since]  # fmt: skip
        if items:
            wanted[customer_id] = [(i, at, a) for i, at, a in sorted(items, key=lambda x: x[1])]
    done: Counter[str] = Counter()
    if not wanted:
        return {}
    m = MESSAGES.c
    with engine.begin() as connection:
        known = {
            key
            for (key,) in connection.execute(
                select(m.dedupe_key).where(m.kind == "thank_you", m.customer_id.in_(list(wanted)))
            )
        }
        last = dict(
            connection.execute(
                select(m.customer_id, func.max(m.created_at))
                .where(m.kind == "thank_you", m.customer_id.in_(list(wanted)),
                       m.status.in_(("queued", "sending", "sent")))
                .group_by(m.customer_id)
            ).all()
        )  # fmt: skip
        contacts = _contacts(connection, wanted)
        languages = _item_languages(connection, [i for items in wanted.values() for i, *_ in items])
        for customer_id, items in wanted.items():
            contact = contacts[customer_id]
            for item_id, _at, audit in items:
                key = f"thanks:item:{item_id}"
                if key in known:
                    continue
                previous = last.get(customer_id)
                reason = contact.refusal(now)
                gap = dt.timedelta(days=options.thank_you_min_days_between)
                if reason is None and previous is not None and now - previous < gap:
                    reason = f"thanked on {previous:%Y-%m-%d}, within " \
                             f"{options.thank_you_min_days_between} days"  # fmt: skip
                values = _base("thank_you", customer_id, key, now, feedback_item_id=item_id,
                               audit=audit)  # fmt: skip
                if reason:
                    values.update(status="skipped", reason=reason)
                else:
                    language = languages.get(item_id) or language_code(contact.locale) or "en"
                    chosen, subject, body = _written(
                        connection, settings, "advocate_thanks", language,
                        {"customer_name": contact.name,
                         "contact": _contact_line(settings, options)},
                    )  # fmt: skip
                    values.update(
                        status="queued", language=chosen, subject=subject, body=body,
                        to_address=contact.email,
                        next_attempt_at=now + dt.timedelta(hours=options.thank_you_delay_hours),
                    )  # fmt: skip
                if not _insert(connection, values):
                    continue
                done[values["status"]] += 1
                if values["status"] == "queued":
                    last[customer_id] = now
                    log_event(connection, customer_id, "thank_you", now=now, actor=PROGRAMME,
                              item_id=item_id, language=values["language"],
                              status="queued")  # fmt: skip
    return {f"thanks_{k}": v for k, v in done.items()}


def _item_languages(connection: Connection, item_ids: list[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for start in range(0, len(item_ids), 1_000):
        for item_id, language in connection.execute(
            select(_ITEMS.c.id, _ITEMS.c.language).where(
                _ITEMS.c.id.in_(item_ids[start : start + 1_000])
            )
        ):
            code = language_code(language)
            if code:
                found[item_id] = code
    return found


# --- review invitations ------------------------------------------------------------------------


def _nps_categories(connection: Connection, ids: list[int], now: dt.datetime) -> dict[int, Any]:
    """Each customer's latest NPS answer up to ``now``: (category, score)."""
    f = _ITEMS.c
    found: dict[int, Any] = {}
    for start in range(0, len(ids), 1_000):
        latest = (
            select(f.customer_id, func.max(f.occurred_at).label("at"))
            .where(f.kind == "nps", f.rating.is_not(None), f.occurred_at <= now,
                   f.customer_id.in_(ids[start : start + 1_000]))
            .group_by(f.customer_id)
            .subquery()
        )  # fmt: skip
        for customer_id, rating in connection.execute(
            select(f.customer_id, f.rating)
            .join(latest, and_(latest.c.customer_id == f.customer_id, latest.c.at == f.occurred_at))
            .where(f.kind == "nps", f.rating.is_not(None))
        ):
            score = int(rating)
            category = "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"
            found[customer_id] = (category, score)
    return found


def invite_reviews(engine: Engine, settings: Settings, *, now: dt.datetime) -> dict[str, int]:
    """Invite every customer to review after each purchase (the module's rules)."""
    options = programme_settings(engine)
    if not options.review_invitations or not options.review_platforms:
        return {}
    o, m = _ORDERS.c, MESSAGES.c
    bought = func.coalesce(o.delivered_at, o.ordered_at)
    latest = now - dt.timedelta(days=options.review_delay_days)
    earliest = latest - dt.timedelta(days=REVIEW_WINDOW_DAYS)
    links = " · ".join(f"{name}: {url}" for name, url in options.review_platforms)
    done: Counter[str] = Counter()
    after_id = 0
    while True:
        with engine.begin() as connection:
            orders = connection.execute(
                select(o.id, o.customer_id, o.external_id)
                .where(
                    o.id > after_id, bought <= latest, bought >= earliest,
                    func.coalesce(o.status, "") != "cancelled",
                    ~select(m.id).where(m.order_id == o.id, m.kind == "review_invitation")
                    .exists(),
                )
                .order_by(o.id)
                .limit(BATCH)
            ).all()  # fmt: skip
            if not orders:
                break
            after_id = orders[-1].id
            ids = [row.customer_id for row in orders]
            contacts = _contacts(connection, ids)
            categories = _nps_categories(connection, list(dict.fromkeys(ids)), now)
            asked = dict(
                connection.execute(
                    select(m.customer_id, func.max(m.created_at))
                    .where(m.kind == "review_invitation", m.customer_id.in_(ids),
                           m.status.in_(("queued", "sending", "sent")))
                    .group_by(m.customer_id)
                ).all()
            )  # fmt: skip
            for row in orders:
                contact = contacts[row.customer_id]
                category, score = categories.get(row.customer_id, ("no answer", None))
                reason = contact.refusal(now)
                previous = asked.get(row.customer_id)
                gap = dt.timedelta(days=options.review_min_days_between)
                if reason is None and previous is not None and now - previous < gap:
                    reason = "asked recently"
                audit = {"nps_category": category, "nps_score": score}
                if previous is not None:
                    audit["asked_before"] = previous.date().isoformat()
                values = _base("review_invitation", row.customer_id,
                               f"review:order:{row.id}", now, order_id=row.id,
                               audit=audit)  # fmt: skip
                if reason:
                    values.update(status="skipped", reason=reason)
                else:
                    language = language_code(contact.locale) or "en"
                    chosen, subject, body = _written(
                        connection, settings, "review_invitation", language,
                        {"customer_name": contact.name, "order": row.external_id,
                         "review_links": links},
                    )  # fmt: skip
                    values.update(status="queued", language=chosen, subject=subject, body=body,
                                  to_address=contact.email, next_attempt_at=now)  # fmt: skip
                if _insert(connection, values):
                    done[values["status"]] += 1
                    if values["status"] == "queued":
                        asked[row.customer_id] = now
        if len(orders) < BATCH:
            break
    return dict(done)


def review_audit(
    engine: Engine, *, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> dict[str, Any]:
    """Who was invited to review, by their NPS category when it was decided: the orders
    considered, those asked and those skipped with the reasons — and whether any customer was
    left out for a reason that is not theirs (``gated``: never, by construction; the audit
    checks the rows rather than trust the code)."""
    m = MESSAGES.c
    query = select(m.status, m.reason, m.audit).where(m.kind == "review_invitation")
    if since is not None:
        query = query.where(m.created_at >= since)
    if until is not None:
        query = query.where(m.created_at < until)
    rows: dict[str, dict[str, Any]] = {
        category: {"considered": 0, "asked": 0, "skipped": Counter()} for category in CATEGORIES
    }
    others: Counter[str] = Counter()
    with engine.connect() as connection:
        for status, reason, audit in connection.execute(query):
            category = str((audit or {}).get("nps_category") or "no answer")
            row = rows.setdefault(category, {"considered": 0, "asked": 0, "skipped": Counter()})
            row["considered"] += 1
            if status == "skipped":
                row["skipped"][reason or "unknown"] += 1
                if reason not in CONTACT_REASONS:
                    others[reason or "unknown"] += 1
            elif status != "cancelled":
                row["asked"] += 1
    categories = []
    for category, row in rows.items():
        reachable = row["considered"] - sum(row["skipped"].values())
        categories.append({
            "category": category,
            "considered": row["considered"],
            "asked": row["asked"],
            "asked_share": _share(row["asked"], row["considered"]),
            "asked_share_of_reachable": _share(row["asked"], reachable),
            "skipped": dict(row["skipped"].most_common()),
        })  # fmt: skip
    total = sum(r["considered"] for r in categories)
    return {
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
        "considered": total,
        "asked": sum(r["asked"] for r in categories),
        "categories": categories,
        "skipped_for_other_reasons": dict(others),
        "gated": bool(others),
        "allowed_reasons": list(CONTACT_REASONS),
    }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


# --- reading and cancelling ----------------------------------------------------------------------


def _document(row: Any) -> dict[str, Any]:
    def when(value: dt.datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "id": row.id,
        "customer_id": row.external_id,
        "customer_name": row.name,
        "kind": row.kind,
        "status": row.status,
        "reason": row.reason,
        "language": row.language,
        "subject": row.subject,
        "body": row.body,
        "to": row.to_address,
        "order_id": row.order_ref,
        "feedback_item_id": row.feedback_item_id,
        "audit": row.audit or {},
        "created_at": when(row.created_at),
        "send_after": when(row.next_attempt_at) if row.status == "queued" else None,
        "sent_at": when(row.sent_at),
        "error": row.error,
    }


def list_messages(
    engine: Engine, *, customer_ref: str | None = None, kind: str | None = None,
    status: str | None = None, limit: int = 200,
) -> list[dict[str, Any]]:  # fmt: skip
    """Messages, newest first."""
    c, o = _CUSTOMERS.c, _ORDERS.c
    query = (
        select(MESSAGES, c.external_id, c.name, o.external_id.label("order_ref"))
        .join(_CUSTOMERS, c.id == MESSAGES.c.customer_id)
        .outerjoin(_ORDERS, o.id == MESSAGES.c.order_id)
    )
    if customer_ref:
        query = query.where(c.external_id == customer_ref)
    if kind:
        query = query.where(MESSAGES.c.kind == one_of(kind, KINDS, "kind"))
    if status:
        query = query.where(MESSAGES.c.status == one_of(status, STATUSES, "status"))
    with engine.connect() as connection:
        rows = connection.execute(
            query.order_by(MESSAGES.c.created_at.desc(), MESSAGES.c.id.desc())
            .limit(max(1, min(limit, 10_000)))
        ).all()  # fmt: skip
    return [_document(row) for row in rows]


def cancel_message(engine: Engine, message_id: int, *, actor: str, now: dt.datetime) -> None:
    """Cancel a message still waiting to be sent."""
    m = MESSAGES.c
    with engine.begin() as connection:
        row = connection.execute(
            select(m.customer_id, m.kind, m.status).where(m.id == message_id)
        ).first()
        if row is None:
            raise NotFound(f"no message {message_id}")
        if not connection.execute(
            update(MESSAGES).where(m.id == message_id, m.status == "queued")
            .values(status="cancelled", reason=f"cancelled by {actor}")
        ).rowcount:  # fmt: skip
            raise InvalidInput(f"message {message_id} is {row.status}: only a queued one can be "
                               "cancelled")  # fmt: skip
        if row.kind == "thank_you":
            log_event(connection, row.customer_id, "thank_you", now=now, actor=actor,
                      message_id=message_id, status="cancelled")  # fmt: skip


# --- sending -----------------------------------------------------------------------------------


@dataclass
class SendReport(DeliveryReport):
    """What one round of sending did; ``withheld``: not sent, the customer unsubscribed or
    withdrew consent since it was queued."""

    withheld: int = 0


def send_due_messages(
    engine: Engine, settings: Settings, mailer: Mailer | None, *, now: dt.datetime,
    limit: int = 200, should_stop: Callable[[], bool] = lambda: False,
) -> SendReport:  # fmt: skip
    """E-mail up to ``limit`` messages that are due (the module's rules)."""
    from advocacy.services.notifications import claim_next

    report = SendReport()
    m = MESSAGES.c
    with engine.begin() as connection:
        report.interrupted = connection.execute(
            update(MESSAGES).where(m.status == "sending", m.lease_until < now)
            .values(status="failed", error=INTERRUPTED, lease_until=None)
        ).rowcount  # fmt: skip
    if mailer is None:
        return report
    due = and_(m.status == "queued", or_(m.next_attempt_at.is_(None), m.next_attempt_at <= now))
    send_each(
        mailer, limit=limit, should_stop=should_stop, what="programme messages",
        claim=lambda: claim_next(engine, MESSAGES, due, now),
        send=lambda send, message: _send(engine, settings, send, message, now, report),
        retry=lambda message, error: _done(engine, message, now, report, retry=error),
    )  # fmt: skip
    return report


def _send(engine: Engine, settings: Settings, send: Send, message: Any, now: dt.datetime,
          report: SendReport) -> None:  # fmt: skip
    from advocacy.services.notifications import reply_message

    with engine.connect() as connection:
        contact = _contacts(connection, [message.customer_id])[message.customer_id]
    reason = contact.refusal(now)
    if reason in ("unsubscribed", "consent withdrawn"):
        _done(engine, message, now, report, withheld=reason)
        return
    try:
        send(
            reply_message(
                settings,
                to=message.to_address,
                subject=message.subject or "",
                body=message.body or "",
                language=message.language,
                now=now,
            )
        )
    except (InvalidInput, MailPermanentError) as exc:
        _done(engine, message, now, report, error=str(exc))
        return
    except MailTemporaryError as exc:
        _done(engine, message, now, report, retry=str(exc))
        raise
    _done(engine, message, now, report)


def _done(
    engine: Engine, message: Any, now: dt.datetime, report: SendReport, *,
    error: str | None = None, retry: str | None = None, withheld: str | None = None,
) -> None:  # fmt: skip
    from advocacy.services.notifications import retry_at
    from advocacy.services.outbox import MAX_ATTEMPTS

    m = MESSAGES.c
    values: dict[str, Any] = {"lease_until": None}
    with engine.begin() as connection:
        if withheld is not None:
            report.withheld += 1
            values.update(status="skipped", reason=withheld)
        elif error is None and retry is None:
            report.sent += 1
            values.update(status="sent", sent_at=now, error=None)
        elif retry is not None and retry_at(connection, MESSAGES, message.id, now, MAX_ATTEMPTS,
                                            values):  # fmt: skip
            report.retried += 1
            values["error"] = retry[:500]
        else:
            report.failed += 1
            values.update(status="failed", error=(error or retry or "")[:500])
        done = connection.execute(
            update(MESSAGES).where(m.id == message.id, m.status == "sending").values(**values)
        ).rowcount
        if done and message.kind == "thank_you" and values.get("status") in ("sent", "failed"):
            log_event(connection, message.customer_id, "thank_you", now=now, actor="mail",
                      message_id=message.id, status=values["status"])  # fmt: skip
