"""Invitations: one customer asked one survey once — made by a trigger, a send to a segment, or
by hand — with everything needed to send its e-mail later (it is the outbox that
:mod:`advocacy.services.outbox` sends) and to find its answer.

The post-delivery trigger asks ``delay_days`` after each order is delivered (late deliveries
included). The rules of contact (:mod:`advocacy.surveys.rules`) are applied when an invitation
is made and again just before it is sent; what a trigger did not send is recorded with its
reason, so who was asked and who was not can always be answered.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, exists, func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from advocacy.config import Settings
from advocacy.errors import InvalidInput, NotFound
from advocacy.services.surveys import (
    INVITATIONS,
    SURVEYS,
    SurveyInfo,
    contact_facts,
    default_survey,
    get_survey,
    list_surveys,
    policy_of,
    signing_key,
)
from advocacy.store.tables import Customer, Order, SurveyInvitation
from advocacy.surveys import rules, tokens
from advocacy.surveys.texts import language_of

CHANNELS = ("email", "link", "widget")
#: An order whose survey moment passed longer ago than this is not surveyed any more (after a
#: long stop of the worker, say): a question about a delivery a month old is noise.
LATE_LIMIT = dt.timedelta(days=14)
TRIGGER_BATCH = 2_000


@dataclass(frozen=True, slots=True)
class Links:
    """The links of a personal invitation: the answer page, the eleven one-click scores (0–10,
    as in the e-mail) and the unsubscribe page."""

    url: str
    score_urls: list[str]
    unsubscribe_url: str


def links_for(base_url: str, token: str) -> Links:
    """The links of the invitation whose token is ``token``, on the public ``base_url``."""
    base = f"{base_url.rstrip('/')}/s/{token}"
    return Links(
        url=base,
        score_urls=[f"{base}/{score}" for score in range(11)],
        unsubscribe_url=f"{base}/unsubscribe",
    )


@dataclass(frozen=True, slots=True)
class InvitationInfo:
    """An invitation, with its links (never stored: they are signed when asked for)."""

    id: int
    survey: str
    customer_id: str | None
    order_id: str | None
    channel: str
    language: str
    email: str | None
    status: str
    error: str | None
    created_at: dt.datetime
    sent_at: dt.datetime | None
    reminded_at: dt.datetime | None
    expires_at: dt.datetime
    answered_at: dt.datetime | None
    score: int | None
    feedback_item_id: int | None
    links: Links

    def as_dict(self) -> dict[str, Any]:
        def when(value: dt.datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "invitation_id": self.id,
            "survey": self.survey,
            "customer_id": self.customer_id,
            "order_id": self.order_id,
            "channel": self.channel,
            "language": self.language,
            "email": self.email,
            "status": self.status,
            "error": self.error,
            "created_at": when(self.created_at),
            "sent_at": when(self.sent_at),
            "reminded_at": when(self.reminded_at),
            "expires_at": when(self.expires_at),
            "answered_at": when(self.answered_at),
            "score": self.score,
            "feedback_item_id": self.feedback_item_id,
            "url": self.links.url,
            "score_urls": self.links.score_urls,
            "unsubscribe_url": self.links.unsubscribe_url,
        }


@dataclass
class SendReport:
    """What a trigger run or a send to a segment did."""

    survey: str
    considered: int = 0
    queued: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def insert_ignoring_duplicates(connection: Connection, values: dict[str, Any]) -> bool:
    """Insert an invitation unless one with its survey and trigger key exists already."""
    table = INVITATIONS
    dialect = connection.dialect.name
    statement = (pg_insert(table) if dialect == "postgresql" else sqlite_insert(table)).values(
        **values
    )
    done = connection.execute(
        statement.on_conflict_do_nothing(index_elements=["survey_id", "trigger_key"])
    )
    return bool(done.rowcount)


def invitation_row(
    survey: SurveyInfo,
    *,
    customer_id: int | None,
    order_id: int | None,
    channel: str,
    language: str,
    email: str | None,
    status: str,
    now: dt.datetime,
    error: str | None = None,
    trigger_key: str | None = None,
) -> dict[str, Any]:
    return {
        "survey_id": survey.id,
        "customer_id": customer_id,
        "order_id": order_id,
        "trigger_key": trigger_key,
        "channel": channel,
        "language": language,
        "email": email,
        "nonce": tokens.new_nonce(),
        "status": status,
        "error": error,
        "created_at": now,
        "send_after": now if status == "queued" else None,
        "attempts": 0,
        "expires_at": now + dt.timedelta(days=survey.valid_days),
    }


def invite(
    engine: Engine,
    settings: Settings,
    customer_ref: str,
    *,
    now: dt.datetime,
    survey_key: str | None = None,
    order_ref: str | None = None,
    channel: str = "link",
    language: str | None = None,
) -> InvitationInfo:
    """Invite one customer (their id in the company's systems) by name: a personal link
    (``channel="link"`` or ``"widget"``), or an e-mail queued for sending (``"email"``).

    Unsubscribed customers and withdrawn consent are refused; the period between two surveys
    is not checked — asking one named customer is a deliberate act — and the result says when
    they were last asked.
    """
    if channel not in CHANNELS:
        raise InvalidInput(f"channel: one of {', '.join(CHANNELS)}")
    survey = get_survey(engine, survey_key) if survey_key else default_survey(engine, now=now)
    if not survey.active:
        raise InvalidInput(f"survey {survey.key!r} is not active")
    c, o = Customer.__table__.c, Order.__table__.c
    with engine.begin() as connection:
        customer = connection.execute(
            select(c.id, c.locale, c.email).where(c.external_id == customer_ref)
        ).first()
        if customer is None:
            raise NotFound(f"no customer {customer_ref!r}")
        order_id = None
        if order_ref is not None:
            order_id = connection.scalar(
                select(o.id).where(o.external_id == order_ref, o.customer_id == customer.id)
            )
            if order_id is None:
                raise NotFound(f"no order {order_ref!r} of customer {customer_ref!r}")
        facts = contact_facts(connection, [customer.id])[customer.id]
        reason = rules.refusal(
            facts,
            policy_of(survey, settings),
            now,
            needs_email=channel == "email",
            check_frequency=False,
        )
        if reason:
            raise InvalidInput(f"customer {customer_ref!r} may not be asked: {reason}")
        if language is not None and language not in survey.languages:
            raise InvalidInput(
                f"language: the survey speaks {', '.join(survey.languages)}, not {language!r}"
            )
        chosen = language or language_of(
            customer.locale, dict.fromkeys(survey.languages), survey.default_language
        )
        row = invitation_row(
            survey,
            customer_id=customer.id,
            order_id=order_id,
            channel=channel,
            language=chosen,
            email=customer.email if channel == "email" else None,
            status="queued" if channel == "email" else "link",
            now=now,
        )
        new_id = connection.execute(insert(SurveyInvitation).values(**row)).inserted_primary_key[0]  # type: ignore[index]
    return get_invitation(engine, settings, int(new_id))


def get_invitation(engine: Engine, settings: Settings, invitation_id: int) -> InvitationInfo:
    """One invitation with its signed links."""
    found = list_invitations(engine, settings, ids=[invitation_id])
    if not found:
        raise NotFound(f"no invitation {invitation_id}")
    return found[0]


def list_invitations(
    engine: Engine,
    settings: Settings,
    *,
    survey_key: str | None = None,
    status: str | None = None,
    ids: Sequence[int] | None = None,
    limit: int = 100,
) -> list[InvitationInfo]:
    """Invitations, newest first, with their signed links."""
    i, s = INVITATIONS.c, SURVEYS.c
    c, o = Customer.__table__.c, Order.__table__.c
    query = (
        select(
            INVITATIONS,
            s.key.label("survey_key"),
            c.external_id.label("customer_ref"),
            o.external_id.label("order_ref"),
        )
        .select_from(
            INVITATIONS.join(SURVEYS, s.id == i.survey_id)
            .outerjoin(Customer.__table__, c.id == i.customer_id)
            .outerjoin(Order.__table__, o.id == i.order_id)
        )
        .order_by(i.id.desc())
        .limit(max(1, min(limit, 10_000)))
    )
    if survey_key:
        query = query.where(s.key == survey_key)
    if status:
        query = query.where(i.status == status)
    if ids is not None:
        query = query.where(i.id.in_(list(ids)))
    key = signing_key(engine, settings)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return [
        InvitationInfo(
            id=row.id,
            survey=row.survey_key,
            customer_id=row.customer_ref,
            order_id=row.order_ref,
            channel=row.channel,
            language=row.language,
            email=row.email,
            status=row.status,
            error=row.error,
            created_at=row.created_at,
            sent_at=row.sent_at,
            reminded_at=row.reminded_at,
            expires_at=row.expires_at,
            answered_at=row.answered_at,
            score=row.score,
            feedback_item_id=row.feedback_item_id,
            links=links_for(settings.base_url, tokens.sign(key, row.id, row.nonce)),
        )
        for row in rows
    ]


# --- triggers and sends ---------------------------------------------------------------------


def run_triggers(engine: Engine, settings: Settings, *, now: dt.datetime) -> list[SendReport]:
    """Make the invitations every active post-delivery survey owes by ``now``: one per order
    delivered at least ``delay_days`` ago (late deliveries too; cancelled orders never), made
    once — running this again changes nothing. A customer the rules say not to ask gets a
    ``skipped`` invitation with the reason."""
    reports = []
    for survey in list_surveys(engine):
        if survey.active and survey.trigger == "delivery":
            reports.append(_trigger_deliveries(engine, settings, survey, now))
    return reports


def _trigger_deliveries(
    engine: Engine, settings: Settings, survey: SurveyInfo, now: dt.datetime
) -> SendReport:
    report = SendReport(survey=survey.key)
    delay = dt.timedelta(days=survey.delay_days)
    earliest = max(survey.starts_at, now - LATE_LIMIT) - delay
    o, c, i = Order.__table__.c, Customer.__table__.c, INVITATIONS.c
    already = exists().where(
        i.survey_id == survey.id, i.order_id == o.id, i.trigger_key.is_not(None)
    )
    skipped: Counter[str] = Counter()
    while True:
        with engine.begin() as connection:
            orders = connection.execute(
                select(o.id, o.customer_id, c.locale, c.email)
                .join(Customer.__table__, c.id == o.customer_id)
                .where(
                    o.delivered_at.is_not(None),
                    o.delivered_at <= now - delay,
                    o.delivered_at >= earliest,
                    func.coalesce(o.status, "") != "cancelled",
                    ~already,
                )
                .order_by(o.delivered_at, o.id)
                .limit(TRIGGER_BATCH)
            ).all()
            if not orders:
                break
            facts = contact_facts(connection, [row.customer_id for row in orders])
            policy = policy_of(survey, settings)
            for row in orders:
                report.considered += 1
                known = facts[row.customer_id]
                reason = rules.refusal(known, policy, now, needs_email=True)
                language = language_of(
                    row.locale, dict.fromkeys(survey.languages), survey.default_language
                )
                values = invitation_row(
                    survey,
                    customer_id=row.customer_id,
                    order_id=row.id,
                    channel="email",
                    language=language,
                    email=row.email,
                    status="skipped" if reason else "queued",
                    error=reason,
                    now=now,
                    trigger_key=f"order:{row.id}",
                )
                if not insert_ignoring_duplicates(connection, values):
                    continue
                if reason:
                    skipped[reason.split(",")[0]] += 1
                else:
                    report.queued += 1
                    # Two orders of one customer in one run: the second sees the first.
                    facts[row.customer_id] = rules.ContactFacts(
                        known.email, known.unsubscribed_at, known.consent, now
                    )
        if len(orders) < TRIGGER_BATCH:
            break
    report.skipped = dict(skipped.most_common())
    return report


def send_to_segment(
    engine: Engine,
    settings: Settings,
    survey_key: str,
    *,
    now: dt.datetime,
    segment: str | None = None,
    country: str | None = None,
    language: str | None = None,
    customer_refs: Sequence[str] | None = None,
    dry_run: bool = False,
    limit: int = 100_000,
) -> SendReport:
    """Queue the survey's e-mail to every customer of a segment (and/or country, language, or
    a list of customer ids) whom the rules of contact allow; ``dry_run`` only counts."""
    survey = get_survey(engine, survey_key)
    if not survey.active:
        raise InvalidInput(f"survey {survey.key!r} is not active")
    if not any((segment, country, language, customer_refs)):
        raise InvalidInput("name a segment, a country, a language or customers to send to")
    c = Customer.__table__.c
    query = (
        select(c.id, c.locale, c.email).where(c.churned_at.is_(None)).order_by(c.id).limit(limit)
    )
    if segment:
        query = query.where(c.segment == segment)
    if country:
        query = query.where(c.country == country.upper())
    if language:
        query = query.where(func.lower(func.substr(c.locale, 1, 2)) == language.lower())
    if customer_refs is not None:
        query = query.where(c.external_id.in_(list(customer_refs)))
    report = SendReport(survey=survey.key, dry_run=dry_run)
    skipped: Counter[str] = Counter()
    with engine.begin() as connection:
        people = connection.execute(query).all()
        facts = contact_facts(connection, [row.id for row in people])
        policy = policy_of(survey, settings)
        rows = []
        for row in people:
            report.considered += 1
            reason = rules.refusal(facts[row.id], policy, now, needs_email=True)
            if reason:
                skipped[reason.split(",")[0]] += 1
                continue
            report.queued += 1
            rows.append(
                invitation_row(
                    survey,
                    customer_id=row.id,
                    order_id=None,
                    channel="email",
                    language=language_of(
                        row.locale, dict.fromkeys(survey.languages), survey.default_language
                    ),
                    email=row.email,
                    status="queued",
                    now=now,
                )
            )
        if rows and not dry_run:
            connection.execute(insert(SurveyInvitation), rows)
    report.skipped = dict(skipped.most_common())
    return report
