"""Read-side queries of the catalogue, returning pandas DataFrames and plain dictionaries."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    Select,
    and_,
    cast,
    func,
    literal,
    literal_column,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB

from advocacy.errors import InvalidInput, NotFound
from advocacy.importers.formats import FEEDBACK_KINDS
from advocacy.store.tables import Customer, FeedbackItem, ImportRun, Order

if TYPE_CHECKING:
    import pandas as pd

CUSTOMER_COLUMNS = [
    "customer_id", "name", "email", "phone", "locale", "country", "segment",
    "acquired_at", "churned_at", "acquisition_cost", "attributes",
]  # fmt: skip
ORDER_COLUMNS = [
    "order_id", "customer_id", "ordered_at", "amount", "currency", "status",
    "promised_delivery_at", "delivered_at", "product", "attributes",
]  # fmt: skip
FEEDBACK_COLUMNS = [
    "kind", "platform", "item_id", "customer_id", "order_id", "occurred_at", "author", "rating",
    "rating_scale", "rating_normalized", "title", "text", "language", "channel", "touchpoint",
    "product", "status", "contacts", "closed_at", "likes", "shares", "url", "detected_language",
    "sentiment", "sentiment_score", "themes", "urgent", "urgency_reasons", "redacted_text",
    "analyzed_at", "attributes",
]  # fmt: skip
SENTIMENTS = ("negative", "neutral", "positive")
KIND_ALIASES = {"reviews": "review", "tickets": "ticket", "social": "social", "nps": "nps"}


def _customer_select() -> Select[Any]:
    c = Customer.__table__.c
    return select(
        c.external_id.label("customer_id"),
        *(c[name] for name in CUSTOMER_COLUMNS[1:]),
    ).order_by(c.external_id)


def _order_select() -> Select[Any]:
    o, c = Order.__table__.c, Customer.__table__.c
    return (
        select(
            o.external_id.label("order_id"),
            c.external_id.label("customer_id"),
            *(o[n] for n in ORDER_COLUMNS[2:]),
        )
        .join_from(Order.__table__, Customer.__table__, o.customer_id == c.id)
        .order_by(o.ordered_at, o.external_id)
    )


def _feedback_select() -> Select[Any]:
    f = FeedbackItem.__table__.c
    o = Order.__table__.c
    return (
        select(
            f.kind,
            f.platform,
            f.external_id.label("item_id"),
            f.customer_ref.label("customer_id"),
            o.external_id.label("order_id"),
            *(f[name] for name in FEEDBACK_COLUMNS[5:]),
        )
        .select_from(FeedbackItem.__table__.outerjoin(Order.__table__, o.id == f.order_id))
        .order_by(f.occurred_at.desc(), f.id.desc())
    )


def _frame(engine: Engine, query: Select[Any]) -> pd.DataFrame:
    import pandas as pd  # imported when asked for: the import path does not need it

    with engine.connect() as connection:
        result = connection.execute(query)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def customers_frame(engine: Engine) -> pd.DataFrame:
    """Every customer, one row each."""
    return _frame(engine, _customer_select())


def orders_frame(engine: Engine, *, customer_id: str | None = None) -> pd.DataFrame:
    """Every order (of one customer, if given), oldest first."""
    query = _order_select()
    if customer_id is not None:
        query = query.where(Customer.__table__.c.external_id == customer_id)
    return _frame(engine, query)


@dataclass(frozen=True, slots=True)
class FeedbackFilter:
    """Which feedback items to list. Dates are inclusive; ratings are on the item's own scale."""

    kind: str | None = None
    platform: str | None = None
    customer_id: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    min_rating: float | None = None
    max_rating: float | None = None
    language: str | None = None
    search: str | None = None
    sentiment: str | None = None
    theme: str | None = None
    urgent: bool | None = None
    limit: int | None = None


def contains_pattern(text: str) -> str:
    """A ``LIKE`` pattern (escape character ``\\``) matching ``text`` anywhere, its own ``%``,
    ``_`` and ``\\`` taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def normalise_kind(kind: str) -> str:
    """``reviews`` → ``review`` and so on; refuses a kind that is not a feedback kind."""
    value = KIND_ALIASES.get(kind.lower(), kind.lower())
    if value not in FEEDBACK_KINDS:
        raise InvalidInput(
            f"unknown feedback kind {kind!r}: use one of {', '.join(FEEDBACK_KINDS)}"
        )
    return value


def _mentions_theme(engine: Engine, theme: str) -> ColumnElement[bool]:
    """Items whose analysed themes include ``theme`` (a JSON array of objects)."""
    f = FeedbackItem.__table__.c
    if engine.dialect.name == "postgresql":
        return f.themes.op("@>")(cast(literal(json.dumps([{"theme": theme}])), JSONB))
    found = (
        select(literal(1))
        .select_from(func.json_each(f.themes).table_valued("value"))
        .where(func.json_extract(literal_column("value"), "$.theme") == theme)
    )
    return found.exists()


def feedback_conditions(engine: Engine, filters: FeedbackFilter) -> list[ColumnElement[bool]]:
    """The ``WHERE`` conditions on ``feedback_items`` that select the items ``filters`` asks for."""
    f = FeedbackItem.__table__.c
    chosen: list[ColumnElement[bool]] = []
    if filters.kind:
        chosen.append(f.kind == normalise_kind(filters.kind))
    if filters.platform:
        chosen.append(f.platform == filters.platform.strip().lower())
    if filters.customer_id:
        chosen.append(f.customer_ref == filters.customer_id)
    if filters.since:
        chosen.append(f.occurred_at >= filters.since)
    if filters.until:
        chosen.append(f.occurred_at <= filters.until)
    if filters.min_rating is not None:
        chosen.append(f.rating >= filters.min_rating)
    if filters.max_rating is not None:
        chosen.append(f.rating <= filters.max_rating)
    if filters.language:
        # The language the source gave, else the one text analysis found.
        code = filters.language.strip().lower()
        chosen.append(
            or_(f.language == code, and_(f.language.is_(None), f.detected_language == code))
        )
    if filters.sentiment:
        if filters.sentiment not in SENTIMENTS:
            raise InvalidInput(
                f"unknown sentiment {filters.sentiment!r}: use {', '.join(SENTIMENTS)}"
            )
        chosen.append(f.sentiment == filters.sentiment)
    if filters.theme:
        chosen.append(_mentions_theme(engine, filters.theme.strip().lower()))
    if filters.urgent is not None:
        chosen.append(f.urgent.is_(True) if filters.urgent else f.urgent.is_not(True))
    if filters.search:
        chosen.append(
            func.lower(func.coalesce(f.title, "") + " " + func.coalesce(f.text, "")).like(
                contains_pattern(filters.search.lower()), escape="\\"
            )
        )
    return chosen


def feedback_frame(engine: Engine, filters: FeedbackFilter | None = None) -> pd.DataFrame:
    """Feedback items matching ``filters``, newest first."""
    filters = filters or FeedbackFilter()
    query = _feedback_select().where(*feedback_conditions(engine, filters))
    if filters.limit is not None:
        query = query.limit(filters.limit)
    return _frame(engine, query)


def customer_profile(engine: Engine, customer_id: str) -> dict[str, Any]:
    """One customer's profile with their orders and feedback: the start of the 360° view."""
    frame = _frame(
        engine, _customer_select().where(Customer.__table__.c.external_id == customer_id)
    )
    if frame.empty:
        raise NotFound(f"no customer with id {customer_id!r}")
    profile: dict[str, Any] = {str(key): value for key, value in frame.iloc[0].items()}
    orders = orders_frame(engine, customer_id=customer_id)
    feedback = feedback_frame(engine, FeedbackFilter(customer_id=customer_id))
    nps = feedback[feedback["kind"] == "nps"]
    late = orders[
        orders["delivered_at"].notna()
        & orders["promised_delivery_at"].notna()
        & (orders["delivered_at"] > orders["promised_delivery_at"])
    ]
    profile["summary"] = {
        "orders": len(orders),
        "revenue": float(orders["amount"].sum()) if len(orders) else 0.0,
        "late_deliveries": len(late),
        "feedback_items": len(feedback),
        "last_nps": int(nps.iloc[0]["rating"]) if len(nps) else None,
    }
    profile["orders"] = orders.to_dict("records")
    profile["feedback"] = feedback.to_dict("records")
    return profile


def catalogue_counts(engine: Engine) -> dict[str, int]:
    """How many customers, orders and feedback items of each kind the catalogue holds."""
    with engine.connect() as connection:
        counts = {
            "customers": connection.scalar(select(func.count()).select_from(Customer.__table__))
            or 0,
            "orders": connection.scalar(select(func.count()).select_from(Order.__table__)) or 0,
        }
        f = FeedbackItem.__table__.c
        for kind, number in connection.execute(select(f.kind, func.count()).group_by(f.kind)):
            counts[kind] = number
    return {key: int(value) for key, value in counts.items()}


def import_history(engine: Engine, *, limit: int = 20) -> pd.DataFrame:
    """The most recent imports, newest first."""
    r = ImportRun.__table__.c
    return _frame(engine, select(ImportRun.__table__).order_by(r.id.desc()).limit(limit))
