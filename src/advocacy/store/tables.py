"""The catalogue's tables: customers, orders, every feedback item, and the record of imports.

All date-times are stored as UTC without a time-zone (naive), on SQLite and PostgreSQL alike; the
importers convert every offset they read to UTC. Ids from the customer's systems are text
(``external_id``); the integer ``id`` columns are the catalogue's own keys.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# JSONB on PostgreSQL: it has equality, which the importers' "unchanged" test needs.
JSONDocument = JSON().with_variant(JSONB(), "postgresql")
Money = Numeric(18, 4, asdecimal=False)
# BIGINT keys on PostgreSQL; SQLite needs INTEGER for its rowid alias.
Key = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Customer(Base):
    """A customer of the company, identified by the company's own customer id."""

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    phone: Mapped[str | None] = mapped_column(String(50))
    locale: Mapped[str | None] = mapped_column(String(35))
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    segment: Mapped[str | None] = mapped_column(String(100), index=True)
    acquired_at: Mapped[datetime | None] = mapped_column(DateTime())
    churned_at: Mapped[datetime | None] = mapped_column(DateTime())
    acquisition_cost: Mapped[float | None] = mapped_column(Money)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(), server_default=func.now())


class Order(Base):
    """An order, with the delivery date promised to the customer and the real one."""

    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(200), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    ordered_at: Mapped[datetime] = mapped_column(DateTime(), index=True)
    amount: Mapped[float] = mapped_column(Money)
    currency: Mapped[str | None] = mapped_column(String(3))
    status: Mapped[str | None] = mapped_column(String(20))
    promised_delivery_at: Mapped[datetime | None] = mapped_column(DateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime())
    product: Mapped[str | None] = mapped_column(String(300))
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(), server_default=func.now())


class FeedbackItem(Base):
    """One piece of customer feedback from any source: an NPS answer, a review, a post, a ticket.

    ``kind`` is one of ``nps``, ``review``, ``social``, ``ticket``; ``platform`` is the review
    platform or the social network (empty for kinds whose ids are unique per kind), so
    ``(kind, platform, external_id)`` identifies an item and re-importing it never duplicates it.
    ``rating`` keeps the raw value on its scale (``rating_scale`` is the scale's maximum: 10 for
    NPS, 5 for most review sites); ``rating_normalized`` is ``rating / rating_scale`` in 0–1.
    The ``sentiment``… ``analyzed_at`` columns are filled by text analysis.
    """

    __tablename__ = "feedback_items"
    __table_args__ = (
        UniqueConstraint("kind", "platform", "external_id", name="uq_feedback_items_source_id"),
        Index("ix_feedback_items_kind_occurred_at", "kind", "occurred_at"),
        # The inbox's first page: the newest items of every kind.
        Index("ix_feedback_items_occurred_at_id", "occurred_at", "id"),
        # Partial indexes: most reviews and posts name no customer, and only items still
        # unlinked or not yet analysed are looked up by these.
        Index(
            "ix_feedback_items_customer_id",
            "customer_id",
            sqlite_where=text("customer_id IS NOT NULL"),
            postgresql_where=text("customer_id IS NOT NULL"),
        ),
        Index(
            "ix_feedback_items_order_id",
            "order_id",
            sqlite_where=text("order_id IS NOT NULL"),
            postgresql_where=text("order_id IS NOT NULL"),
        ),
        Index(
            "ix_feedback_items_unlinked_customer_ref",
            "customer_ref",
            sqlite_where=text("customer_id IS NULL AND customer_ref IS NOT NULL"),
            postgresql_where=text("customer_id IS NULL AND customer_ref IS NOT NULL"),
        ),
        Index(
            "ix_feedback_items_unanalysed",
            "id",
            sqlite_where=text("analyzed_at IS NULL"),
            postgresql_where=text("analyzed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    platform: Mapped[str] = mapped_column(String(50), default="")
    external_id: Mapped[str] = mapped_column(String(200))
    customer_ref: Mapped[str | None] = mapped_column(String(200))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    order_ref: Mapped[str | None] = mapped_column(String(200))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    author: Mapped[str | None] = mapped_column(String(300))
    rating: Mapped[float | None] = mapped_column(Float)
    rating_scale: Mapped[float | None] = mapped_column(Float)
    rating_normalized: Mapped[float | None] = mapped_column(Float)
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(35))
    occurred_at: Mapped[datetime] = mapped_column(DateTime())
    closed_at: Mapped[datetime | None] = mapped_column(DateTime())
    url: Mapped[str | None] = mapped_column(String(2048))
    channel: Mapped[str | None] = mapped_column(String(50))
    touchpoint: Mapped[str | None] = mapped_column(String(100))
    product: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str | None] = mapped_column(String(50))
    contacts: Mapped[int | None] = mapped_column(Integer)
    likes: Mapped[int | None] = mapped_column(Integer)
    shares: Mapped[int | None] = mapped_column(Integer)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    # Filled by text analysis.
    detected_language: Mapped[str | None] = mapped_column(String(35))
    sentiment: Mapped[str | None] = mapped_column(String(10))
    sentiment_score: Mapped[float | None] = mapped_column(Float)
    themes: Mapped[Any | None] = mapped_column(JSONDocument)
    urgent: Mapped[bool | None] = mapped_column(Boolean)
    urgency_reasons: Mapped[Any | None] = mapped_column(JSONDocument)
    redacted_text: Mapped[str | None] = mapped_column(Text)
    analyzed_at: Mapped[datetime | None] = mapped_column(DateTime())
    created_at: Mapped[datetime] = mapped_column(DateTime(), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(), server_default=func.now())


class ImportRun(Base):
    """What one ``advocacy import`` did: the file, the outcome and the counts."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    source_name: Mapped[str] = mapped_column(String(1000))
    file_format: Mapped[str] = mapped_column(String(10))
    mode: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[datetime] = mapped_column(DateTime())
    finished_at: Mapped[datetime] = mapped_column(DateTime())
    rows_read: Mapped[int] = mapped_column(Integer)
    imported: Mapped[int] = mapped_column(Integer)
    updated: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
    rejects_path: Mapped[str | None] = mapped_column(String(1000))


class TextModel(Base):
    """A sentiment model the company trained on its own rated feedback, for one language.

    ``weights`` holds the model as a NumPy ``.npz`` document (no pickle); ``metrics`` what the
    held-out check measured when it was kept.
    """

    __tablename__ = "text_models"
    __table_args__ = (UniqueConstraint("language", "task", name="uq_text_models_language_task"),)

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    language: Mapped[str] = mapped_column(String(35))
    task: Mapped[str] = mapped_column(String(30))
    examples: Mapped[int] = mapped_column(Integer)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    weights: Mapped[bytes] = mapped_column(LargeBinary)
    trained_at: Mapped[datetime] = mapped_column(DateTime())


class User(Base):
    """A person who logs in to the web app, with one role (``advocacy.access.Role``).

    ``email`` is stored lower-case and is the log-in name; ``password_hash`` is an argon2id
    hash. A user who is not ``active`` cannot log in and their sessions end.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str | None] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str | None] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime())
    password_changed_at: Mapped[datetime] = mapped_column(DateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime())


class WebSession(Base):
    """A logged-in browser. The cookie holds a random token; only its SHA-256 is stored."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime())
    last_seen_at: Mapped[datetime] = mapped_column(DateTime())
    expires_at: Mapped[datetime] = mapped_column(DateTime())
    user_agent: Mapped[str | None] = mapped_column(String(300))
    address: Mapped[str | None] = mapped_column(String(64))


class ApiToken(Base):
    """A token for integrations (``Authorization: Bearer …``), scoped to a role.

    The token is shown once when it is created; only its SHA-256 is stored, and ``prefix`` (its
    first characters) lets people tell their tokens apart.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime())
    expires_at: Mapped[datetime | None] = mapped_column(DateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime())


class LoginFailure(Base):
    """A failed log-in, kept a while to slow down password guessing (per e-mail and address)."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_email_at", "email", "at"),
        Index("ix_login_failures_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime())


class CatalogueState(Base):
    """Counters of the catalogue: ``data`` goes up whenever feedback or customers change
    (imports, text analysis), ``facts`` is the ``data`` value the monthly facts were built from."""

    __tablename__ = "catalogue_state"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)
    changed_at: Mapped[datetime] = mapped_column(DateTime())


class FeedbackMonthly(Base):
    """How many items each month of each source, channel, customer segment and country, NPS
    category, sentiment and analysis state: what the dashboard counts, pre-counted.

    Text columns hold ``''`` for "none" so that every combination is one row.
    """

    __tablename__ = "feedback_monthly"
    __table_args__ = (Index("ix_feedback_monthly_month", "month"),)

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    kind: Mapped[str] = mapped_column(String(20))
    platform: Mapped[str] = mapped_column(String(50))
    channel: Mapped[str] = mapped_column(String(50))
    segment: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2))
    category: Mapped[str] = mapped_column(String(10))
    sentiment: Mapped[str] = mapped_column(String(10))
    pending: Mapped[bool] = mapped_column(Boolean)
    items: Mapped[int] = mapped_column(BigInteger)


class ThemeMonthly(Base):
    """How many theme mentions of each tone each month, by the same dimensions."""

    __tablename__ = "theme_monthly"
    __table_args__ = (Index("ix_theme_monthly_month", "month"),)

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    month: Mapped[str] = mapped_column(String(7))
    kind: Mapped[str] = mapped_column(String(20))
    platform: Mapped[str] = mapped_column(String(50))
    channel: Mapped[str] = mapped_column(String(50))
    segment: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2))
    theme: Mapped[str] = mapped_column(String(64))
    tone: Mapped[str] = mapped_column(String(10))
    items: Mapped[int] = mapped_column(BigInteger)


class InstallationSecret(Base):
    """A secret of this installation (the key survey links are signed with), made once and
    shared by every web and job worker through the database."""

    __tablename__ = "installation_secrets"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime())


class Survey(Base):
    """An NPS survey: its texts per language, when it is sent and the rules of contact.

    ``trigger`` is ``delivery`` (sent ``delay_days`` after each order is delivered, late ones
    included) or ``manual`` (sent to a segment when someone asks). ``texts`` maps a language to
    its wording (``advocacy.surveys.texts``); ``questions`` lists optional extra questions.
    ``public_key`` names the survey's public link and widget (anonymous answers).
    """

    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    touchpoint: Mapped[str] = mapped_column(String(100))
    trigger: Mapped[str] = mapped_column(String(20))
    delay_days: Mapped[int] = mapped_column(Integer, default=0)
    reminder_days: Mapped[int | None] = mapped_column(Integer)
    min_days_between: Mapped[int] = mapped_column(Integer, default=90)
    valid_days: Mapped[int] = mapped_column(Integer, default=30)
    default_language: Mapped[str] = mapped_column(String(35))
    texts: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    questions: Mapped[list[Any]] = mapped_column(JSONDocument, default=list)
    public_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime())
    created_at: Mapped[datetime] = mapped_column(DateTime())
    updated_at: Mapped[datetime] = mapped_column(DateTime())


class SurveyInvitation(Base):
    """One customer asked one survey, once: the outbox of its e-mail and the link to its answer.

    ``status``: ``queued`` (to be e-mailed from ``send_after``), ``sending`` (a worker holds it
    until ``lease_until``), ``sent``, ``failed`` (gave up, ``error`` says why), ``link`` (a
    personal link handed out another way, never e-mailed), ``skipped`` (a contact rule said no;
    ``error`` says which). ``trigger_key`` (``order:ID`` for the post-delivery trigger) makes
    triggers idempotent. The link's signature is an HMAC of the id and ``nonce``
    (``advocacy.surveys.tokens``); the answer is the NPS item ``feedback_item_id``.
    """

    __tablename__ = "survey_invitations"
    __table_args__ = (
        UniqueConstraint("survey_id", "trigger_key", name="uq_survey_invitations_trigger"),
        Index("ix_survey_invitations_status_send_after", "status", "send_after"),
        Index("ix_survey_invitations_customer_created", "customer_id", "created_at"),
        Index("ix_survey_invitations_survey_created", "survey_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    trigger_key: Mapped[str | None] = mapped_column(String(100))
    channel: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(35))
    email: Mapped[str | None] = mapped_column(String(320))
    nonce: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20))
    error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime())
    send_after: Mapped[datetime | None] = mapped_column(DateTime())
    lease_until: Mapped[datetime | None] = mapped_column(DateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime())
    reminder_due_at: Mapped[datetime | None] = mapped_column(DateTime())
    reminder_claimed_at: Mapped[datetime | None] = mapped_column(DateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime())
    expires_at: Mapped[datetime] = mapped_column(DateTime())
    opened_at: Mapped[datetime | None] = mapped_column(DateTime())
    answered_at: Mapped[datetime | None] = mapped_column(DateTime())
    score: Mapped[int | None] = mapped_column(Integer)
    feedback_item_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_items.id"))


class ContactPreference(Base):
    """What a customer said about being contacted: unsubscribed from surveys, and consent.

    ``consent`` is ``granted``, ``withdrawn`` or empty (never said). Unsubscribing is honoured
    by every survey and every channel from ``unsubscribed_at`` on.
    """

    __tablename__ = "contact_preferences"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    unsubscribed_at: Mapped[datetime | None] = mapped_column(DateTime())
    unsubscribe_source: Mapped[str | None] = mapped_column(String(100))
    consent: Mapped[str | None] = mapped_column(String(20))
    consent_at: Mapped[datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[datetime] = mapped_column(DateTime())


class Case(Base):
    """A case: a customer problem someone owns until it is solved.

    ``type`` is ``detractor``, ``negative_review``, ``urgent_ticket``, ``proactive`` or
    ``manual``; ``rule`` names the rule that opened it. ``status`` moves through ``open``,
    ``in_progress``, ``waiting`` (on the customer), ``resolved`` and ``closed``. ``due_at``
    comes from the SLA of its priority; ``escalation_level`` rises each time it is found past
    due. ``dedupe_key`` keeps a rule from opening the same case twice.
    """

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_status_due_at", "status", "due_at"),
        Index("ix_cases_customer_id", "customer_id"),
    )

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    type: Mapped[str] = mapped_column(String(30))
    rule: Mapped[str | None] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(300))
    priority: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20))
    owner: Mapped[str | None] = mapped_column(String(320))
    team: Mapped[str | None] = mapped_column(String(100))
    opened_at: Mapped[datetime] = mapped_column(DateTime())
    due_at: Mapped[datetime] = mapped_column(DateTime())
    first_response_at: Mapped[datetime | None] = mapped_column(DateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime())
    closed_at: Mapped[datetime | None] = mapped_column(DateTime())
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime())
    value_at_risk: Mapped[float | None] = mapped_column(Money)
    currency: Mapped[str | None] = mapped_column(String(3))
    details: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime())
    language: Mapped[str | None] = mapped_column(String(35))
    resurvey_invitation_id: Mapped[int | None] = mapped_column(ForeignKey("survey_invitations.id"))


class CaseItem(Base):
    """A feedback item a case is about; an item belongs to one case at most."""

    __tablename__ = "case_items"

    feedback_item_id: Mapped[int] = mapped_column(ForeignKey("feedback_items.id"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    added_at: Mapped[datetime] = mapped_column(DateTime())


class CaseEvent(Base):
    """One entry of a case's timeline: who did what, when."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime())
    actor: Mapped[str] = mapped_column(String(320))
    kind: Mapped[str] = mapped_column(String(30))
    detail: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)


class CaseRule(Base):
    """A rule's settings: on or off, and its parameters (each rule documents its own; a rule
    without a row runs with its defaults)."""

    __tablename__ = "case_rules"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    params: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime())
    updated_by: Mapped[str | None] = mapped_column(String(320))


class AssignmentRule(Base):
    """Who gets a new case: the first rule (by ``position``) whose conditions all match gives
    the case its team and an owner, taken in turn from ``owners`` (round robin; ``turn`` is the
    next one). ``conditions`` maps ``type``, ``rule``, ``language``, ``priority``, ``tier`` to a
    list of accepted values."""

    __tablename__ = "assignment_rules"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    conditions: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    team: Mapped[str | None] = mapped_column(String(100))
    owners: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    turn: Mapped[int] = mapped_column(Integer, default=0)
    enabled: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(DateTime())


class ReplyTemplate(Base):
    """A reply's wording in one language; ``{customer_name}``, ``{company}`` and ``{agent}``
    are filled in when a reply is written from it."""

    __tablename__ = "reply_templates"
    __table_args__ = (UniqueConstraint("key", "language", name="uq_reply_templates_key_language"),)

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    key: Mapped[str] = mapped_column(String(60))
    language: Mapped[str] = mapped_column(String(35))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime())


class CaseReply(Base):
    """A reply to the customer written from a case.

    ``channel`` is ``email`` (sent to ``to_address``) or ``platform`` (a public review's
    reply, exported to be posted by hand). ``status``: ``queued``, ``sending`` (held until
    ``lease_until``), ``sent``, ``failed`` (``error`` says why), ``to_post``, ``posted``.
    """

    __tablename__ = "case_replies"
    __table_args__ = (Index("ix_case_replies_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    feedback_item_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_items.id"))
    channel: Mapped[str] = mapped_column(String(20))
    language: Mapped[str | None] = mapped_column(String(35))
    subject: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    to_address: Mapped[str | None] = mapped_column(String(320))
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime())
    lease_until: Mapped[datetime | None] = mapped_column(DateTime())
    error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime())
    created_by: Mapped[str] = mapped_column(String(320))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime())


class Webhook(Base):
    """An address told of case events, each request signed with ``secret`` (HMAC-SHA256);
    ``events`` lists the event kinds wanted (empty: all)."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(200))
    events: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    active: Mapped[bool] = mapped_column(Boolean)
    description: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime())
    created_by: Mapped[str | None] = mapped_column(String(320))


class Notification(Base):
    """One case event to tell one target: ``webhook:ID`` or ``mail:ADDRESS``. The outbox of
    notifications: ``status`` ``queued`` → ``sending`` → ``sent`` or ``failed``, retried with
    backoff from ``next_attempt_at``; a target is told of an event once."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("event_id", "target", name="uq_notifications_event_target"),
        Index("ix_notifications_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("case_events.id"))
    target: Mapped[str] = mapped_column(String(400))
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime())
    lease_until: Mapped[datetime | None] = mapped_column(DateTime())
    error: Mapped[str | None] = mapped_column(String(500))
    response_status: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime())
    sent_at: Mapped[datetime | None] = mapped_column(DateTime())


class Advocate(Base):
    """A customer in the advocate programme, kept over time: ``status`` (``candidate``,
    ``active``, ``lapsed``) since ``since``, the ``score`` and ``reasons`` of the latest
    evaluation, the ``owner`` who looks after them and their ``referral_code``. Every change of
    status is also written to their log (:class:`AdvocateEvent`)."""

    __tablename__ = "advocates"
    __table_args__ = (Index("ix_advocates_status_score", "status", "score"),)

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    since: Mapped[datetime] = mapped_column(DateTime())
    first_seen_at: Mapped[datetime] = mapped_column(DateTime())
    evaluated_at: Mapped[datetime] = mapped_column(DateTime())
    owner: Mapped[str | None] = mapped_column(String(320))
    referral_code: Mapped[str | None] = mapped_column(String(20), unique=True)


class AdvocateEvent(Base):
    """One entry of an advocate's log: a change of status, a message, a task done, a reward,
    a milestone, a referral, a note — who did it and when."""

    __tablename__ = "advocate_events"
    __table_args__ = (Index("ix_advocate_events_customer_at", "customer_id", "at"),)

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    at: Mapped[datetime] = mapped_column(DateTime())
    actor: Mapped[str] = mapped_column(String(320))
    kind: Mapped[str] = mapped_column(String(30))
    detail: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)


class AdvocateTask(Base):
    """Work for an advocate, with an owner and a due date: share or answer their post, reply to
    their review, reward a milestone, call them. ``status``: ``open``, ``done``, ``skipped``.
    The owner is reminded from ``next_reminder_at`` while it stays open (``reminders`` so far);
    ``dedupe_key`` keeps the programme from creating the same task twice."""

    __tablename__ = "advocate_tasks"
    __table_args__ = (
        Index("ix_advocate_tasks_status_due_at", "status", "due_at"),
        Index("ix_advocate_tasks_customer_id", "customer_id"),
    )

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20))
    owner: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(DateTime())
    due_at: Mapped[datetime] = mapped_column(DateTime())
    done_at: Mapped[datetime | None] = mapped_column(DateTime())
    done_by: Mapped[str | None] = mapped_column(String(320))
    note: Mapped[str | None] = mapped_column(String(1000))
    feedback_item_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_items.id"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    reminders: Mapped[int] = mapped_column(Integer, default=0)
    next_reminder_at: Mapped[datetime | None] = mapped_column(DateTime())
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)


class AdvocateReward(Base):
    """A reward given to an advocate, counted against the programme's budget; ``milestone``
    names the milestone it recognises, if any."""

    __tablename__ = "advocate_rewards"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(60))
    description: Mapped[str | None] = mapped_column(String(300))
    amount: Mapped[float] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    milestone: Mapped[str | None] = mapped_column(String(60))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("advocate_tasks.id"))
    given_at: Mapped[datetime] = mapped_column(DateTime(), index=True)
    given_by: Mapped[str] = mapped_column(String(320))


class AdvocateSetting(Base):
    """One setting of the advocate programme (its budget, direct contact, owners, …) as JSON."""

    __tablename__ = "advocate_settings"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONDocument)
    updated_at: Mapped[datetime] = mapped_column(DateTime())
    updated_by: Mapped[str | None] = mapped_column(String(320))


class Referral(Base):
    """A customer brought by an advocate: one referrer per referred customer. ``source`` says
    how it was known: ``import`` (the customer's ``referral_code`` attribute), ``manual``."""

    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    advocate_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    referred_customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), unique=True)
    code: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(20))
    attributed_at: Mapped[datetime] = mapped_column(DateTime())
    attributed_by: Mapped[str] = mapped_column(String(320))


class ReferralClick(Base):
    """One visit of an advocate's referral link."""

    __tablename__ = "referral_clicks"
    __table_args__ = (Index("ix_referral_clicks_advocate_at", "advocate_id", "at"),)

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    advocate_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    at: Mapped[datetime] = mapped_column(DateTime())


class CustomerMessage(Base):
    """A message to a customer from the advocacy programme: a ``thank_you`` after a promoter
    answer or a positive review, a ``review_invitation`` after a purchase. The outbox of those
    messages and their audit: ``status`` ``queued`` (from ``next_attempt_at``) → ``sending``
    (held until ``lease_until``) → ``sent`` or ``failed``; ``skipped`` rows say in ``reason``
    why a customer was not asked. ``audit`` keeps what was known of the customer when the
    message was decided (their latest NPS category), to show that asking never depended on it."""

    __tablename__ = "customer_messages"
    __table_args__ = (
        Index("ix_customer_messages_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_customer_messages_kind_created_at", "kind", "created_at"),
        Index("ix_customer_messages_customer_id", "customer_id"),
    )

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    kind: Mapped[str] = mapped_column(String(30))
    language: Mapped[str | None] = mapped_column(String(35))
    subject: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str | None] = mapped_column(Text)
    to_address: Mapped[str | None] = mapped_column(String(320))
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(300))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    feedback_item_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_items.id"))
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    audit: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime())
    lease_until: Mapped[datetime | None] = mapped_column(DateTime())
    error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime())
    created_by: Mapped[str] = mapped_column(String(320))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime())
