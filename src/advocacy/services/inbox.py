"""The feedback inbox, one item, the customer list and the customer 360° view, page by page.

Pages are cut by keyset (the last row's sort key), never by ``OFFSET``: the hundredth page
costs what the first does on a catalogue of millions. Rows are plain dictionaries, JSON-ready
but for date-times (the web layer formats them).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy import Engine, and_, func, or_, select

from advocacy.errors import InvalidInput, NotFound
from advocacy.metrics.nps import nps_from_counts
from advocacy.store.queries import FeedbackFilter, contains_pattern, feedback_conditions
from advocacy.store.tables import Customer, FeedbackItem, Order

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
EXCERPT = 400

_ITEM_COLUMNS = (
    FeedbackItem.id,
    FeedbackItem.kind,
    FeedbackItem.platform,
    FeedbackItem.external_id,
    FeedbackItem.occurred_at,
    FeedbackItem.author,
    FeedbackItem.rating,
    FeedbackItem.rating_scale,
    FeedbackItem.title,
    FeedbackItem.text,
    FeedbackItem.language,
    FeedbackItem.detected_language,
    FeedbackItem.channel,
    FeedbackItem.url,
    FeedbackItem.sentiment,
    FeedbackItem.sentiment_score,
    FeedbackItem.themes,
    FeedbackItem.urgent,
    FeedbackItem.urgency_reasons,
    FeedbackItem.customer_ref,
    FeedbackItem.customer_id,
)


@dataclass(frozen=True, slots=True)
class Page:
    rows: list[dict[str, Any]]
    next_cursor: str | None


def encode_cursor(occurred_at: dt.datetime, key: int | str) -> str:
    raw = f"{occurred_at.isoformat()}|{key}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime, str]:
    """The sort key a cursor holds, or a clear error for a cursor that was not ours."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        stamp, _, key = base64.urlsafe_b64decode(padded.encode()).decode().partition("|")
        return dt.datetime.fromisoformat(stamp), key
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput("not a page cursor: start again from the first page") from None


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidInput(f"the page size must be between 1 and {MAX_PAGE_SIZE}")
    return limit


def _safe_url(url: str | None) -> str | None:
    """Only web addresses become links: ``javascript:`` and the like stay text."""
    if url and url.strip().lower().startswith(("https://", "http://")):
        return url.strip()
    return None


def _item_row(row: Any, *, excerpt: bool) -> dict[str, Any]:
    values = dict(row._mapping)
    body = values["text"] or ""
    values["excerpt"] = body[:EXCERPT] + ("…" if len(body) > EXCERPT else "") if excerpt else None
    if excerpt:
        values.pop("text")
    values["link"] = _safe_url(values["url"])
    values["language"] = values["language"] or values.pop("detected_language")
    values.pop("detected_language", None)
    values["themes"] = [m.get("theme") for m in values["themes"] or [] if isinstance(m, dict)]
    values["customer"] = values.pop("customer_ref")
    values["customer_linked"] = values.pop("customer_id") is not None
    return values


def feedback_page(
    engine: Engine,
    filters: FeedbackFilter,
    *,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> Page:
    """A page of the items ``filters`` selects, newest first, after ``cursor``."""
    limit = _limit(limit)
    f = FeedbackItem.__table__.c
    query = select(*_ITEM_COLUMNS).where(*feedback_conditions(engine, filters))
    if cursor:
        stamp, key = decode_cursor(cursor)
        if not key.isdigit():
            raise InvalidInput("not a page cursor: start again from the first page")
        query = query.where(
            or_(f.occurred_at < stamp, and_(f.occurred_at == stamp, f.id < int(key)))
        )
    query = query.order_by(f.occurred_at.desc(), f.id.desc()).limit(limit + 1)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    more = len(rows) > limit
    rows = rows[:limit]
    items = [_item_row(row, excerpt=True) for row in rows]
    last = rows[-1] if more and rows else None
    return Page(items, encode_cursor(last.occurred_at, last.id) if last is not None else None)


def feedback_item(engine: Engine, item_id: int) -> dict[str, Any]:
    """One item in full, with its analysis and redacted text."""
    query = select(
        *_ITEM_COLUMNS,
        FeedbackItem.redacted_text,
        FeedbackItem.touchpoint,
        FeedbackItem.product,
        FeedbackItem.status,
        FeedbackItem.analyzed_at,
        FeedbackItem.likes,
        FeedbackItem.shares,
        Order.external_id.label("order"),
    ).select_from(
        FeedbackItem.__table__.outerjoin(Order.__table__, Order.id == FeedbackItem.order_id)
    )
    with engine.connect() as connection:
        row = connection.execute(query.where(FeedbackItem.id == item_id)).first()
    if row is None:
        raise NotFound(f"no feedback item {item_id}")
    values = _item_row(row, excerpt=False)
    values["theme_mentions"] = row.themes or []
    values["urgency_reasons"] = list(row.urgency_reasons or [])
    return values


@dataclass(frozen=True, slots=True)
class CustomerFilter:
    search: str | None = None
    country: str | None = None
    segment: str | None = None


def customers_page(
    engine: Engine,
    filters: CustomerFilter,
    *,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> Page:
    """A page of customers (by id), with how many orders and feedback items each has."""
    limit = _limit(limit)
    c = Customer.__table__.c
    query = select(
        c.external_id, c.name, c.email, c.country, c.segment, c.acquired_at, c.churned_at
    )
    if filters.search:
        term = filters.search.strip().lower()
        like = contains_pattern(term)
        query = query.where(
            or_(
                func.lower(c.external_id) == term,
                func.lower(func.coalesce(c.name, "")).like(like, escape="\\"),
                func.lower(func.coalesce(c.email, "")).like(like, escape="\\"),
            )
        )
    if filters.country:
        query = query.where(c.country == filters.country.upper())
    if filters.segment:
        query = query.where(c.segment == filters.segment)
    if cursor:
        _, key = decode_cursor(cursor)
        query = query.where(c.external_id > key)
    query = query.order_by(c.external_id).limit(limit + 1)
    with engine.connect() as connection:
        rows = [dict(row._mapping) for row in connection.execute(query)]
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = (
        encode_cursor(dt.datetime(2000, 1, 1), rows[-1]["external_id"]) if more and rows else None
    )
    for row in rows:
        row["customer_id"] = row.pop("external_id")
    return Page(rows, next_cursor)


def _delivery(order: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    promised, delivered = order["promised_delivery_at"], order["delivered_at"]
    state, days_late = "unknown", None
    if order["status"] in ("cancelled", "returned"):
        state = str(order["status"])
    elif delivered is not None:
        state = "on time"
        if promised is not None and delivered > promised:
            state, days_late = "late", math.ceil((delivered - promised).total_seconds() / 86400)
    elif promised is not None:
        state = "overdue" if now > promised else "in transit"
        if now > promised:
            days_late = math.ceil((now - promised).total_seconds() / 86400)
    return {**order, "delivery": state, "days_late": days_late}


def customer_360(
    engine: Engine,
    customer_id: str,
    *,
    now: dt.datetime,
    values: pl.DataFrame | None = None,
    feedback_limit: int = 200,
) -> dict[str, Any]:
    """Everything about one customer: profile, orders with delivery status, feedback, NPS
    history and (given the catalogue's ``values`` table) CLV and value tier."""
    c, o, f = Customer.__table__.c, Order.__table__.c, FeedbackItem.__table__.c
    with engine.connect() as connection:
        profile = connection.execute(
            select(
                c.id,
                c.external_id,
                c.name,
                c.email,
                c.phone,
                c.locale,
                c.country,
                c.segment,
                c.acquired_at,
                c.churned_at,
                c.acquisition_cost,
            ).where(c.external_id == customer_id)
        ).first()
        if profile is None:
            raise NotFound(f"no customer with id {customer_id!r}")
        orders = [
            dict(row._mapping)
            for row in connection.execute(
                select(
                    o.external_id.label("order_id"),
                    o.ordered_at,
                    o.amount,
                    o.currency,
                    o.status,
                    o.promised_delivery_at,
                    o.delivered_at,
                    o.product,
                )
                .where(o.customer_id == profile.id)
                .order_by(o.ordered_at.desc())
            )
        ]
        answers = connection.execute(
            select(f.occurred_at, f.rating)
            .where(f.customer_id == profile.id, f.kind == "nps", f.rating.is_not(None))
            .order_by(f.occurred_at)
        ).all()
    feedback = feedback_page(
        engine, FeedbackFilter(customer_id=customer_id), limit=min(feedback_limit, MAX_PAGE_SIZE)
    )
    scores = [int(row.rating) for row in answers]
    promoters = sum(score >= 9 for score in scores)
    detractors = sum(score <= 6 for score in scores)
    document: dict[str, Any] = {
        "customer_id": profile.external_id,
        **{
            key: getattr(profile, key)
            for key in (
                "name",
                "email",
                "phone",
                "locale",
                "country",
                "segment",
                "acquired_at",
                "churned_at",
                "acquisition_cost",
            )
        },
        "orders": [_delivery(order, now) for order in orders],
        "feedback": feedback.rows,
        "more_feedback": feedback.next_cursor is not None,
        "nps_history": [{"at": row.occurred_at, "score": int(row.rating)} for row in answers],
        "nps": (
            nps_from_counts(promoters, len(scores) - promoters - detractors, detractors).score
            if scores
            else None
        ),
    }
    revenue: dict[str, float] = {}
    for order in orders:
        if order["status"] not in ("cancelled", "returned"):
            code = order["currency"] or ""
            revenue[code] = revenue.get(code, 0.0) + float(order["amount"] or 0)
    late = sum(order["delivery"] == "late" for order in document["orders"])
    document["summary"] = {
        "orders": len(orders),
        "revenue": revenue,
        "late_deliveries": late,
        "feedback_items": len(feedback.rows),
        "last_nps": scores[-1] if scores else None,
    }
    document["surveys"] = _surveys_of(engine, profile.id)
    document["value"] = None
    if values is not None:
        match = values.filter(pl.col("customer_id") == customer_id)
        if match.height:
            row = match.row(0, named=True)
            document["value"] = {
                key: row.get(key)
                for key in ("currency", "clv", "tier", "segment", "yearly_revenue", "rfm")
            }
    return document


def _surveys_of(engine: Engine, customer_key: int) -> dict[str, Any]:
    """What the customer was asked (the latest 20 invitations) and what they said about being
    asked (unsubscribed, consent)."""
    from advocacy.store.tables import ContactPreference, Survey, SurveyInvitation

    i, s = SurveyInvitation.__table__.c, Survey.__table__.c
    p = ContactPreference.__table__.c
    with engine.connect() as connection:
        asked = connection.execute(
            select(
                s.key.label("survey"),
                i.channel,
                i.status,
                i.error,
                i.created_at,
                i.sent_at,
                i.reminded_at,
                i.answered_at,
                i.score,
            )
            .join(Survey.__table__, s.id == i.survey_id)
            .where(i.customer_id == customer_key)
            .order_by(i.created_at.desc(), i.id.desc())
            .limit(20)
        ).all()
        wish = connection.execute(
            select(p.unsubscribed_at, p.consent).where(p.customer_id == customer_key)
        ).first()
    return {
        "unsubscribed_at": wish.unsubscribed_at if wish else None,
        "consent": wish.consent if wish else None,
        "invitations": [dict(row._mapping) for row in asked],
    }


def redacted_texts(engine: Engine, item_ids: list[int]) -> dict[int, str | None]:
    """The redacted text (personal data removed by text analysis) of each item asked for."""
    if not item_ids:
        return {}
    f = FeedbackItem.__table__.c
    with engine.connect() as connection:
        rows = connection.execute(select(f.id, f.redacted_text).where(f.id.in_(item_ids))).all()
    return {row.id: row.redacted_text for row in rows}
