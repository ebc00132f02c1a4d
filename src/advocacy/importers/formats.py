"""The canonical import formats: which columns each kind has, their types and where they land.

This is the single description the readers, the validator, the loader and the documentation
(``docs/import-formats.md``) follow. A column not listed here is kept as an attribute.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class ColumnType(Enum):
    ID = "id"  # text, trimmed, no control characters, at most 200 characters
    TEXT = "text"  # free text, kept as written
    NAME = "name"  # a platform or network name: trimmed, lower-cased
    INTEGER = "integer"
    NUMBER = "number"
    DATETIME = "datetime"  # ISO 8601; a date alone is midnight UTC
    CHOICE = "choice"  # one of ``choices`` (case-insensitive)
    EMAIL = "email"
    PHONE = "phone"
    URL = "url"  # http(s) only
    COUNTRY = "country"  # ISO 3166-1 alpha-2
    CURRENCY = "currency"  # ISO 4217
    LOCALE = "locale"  # BCP 47 language tag, e.g. es-ES
    LANGUAGE = "language"  # ISO 639 language code, e.g. es


@dataclass(frozen=True, slots=True)
class Column:
    """One canonical column: its name in the file and the catalogue column it fills."""

    name: str
    type: ColumnType
    target: str
    required: bool = False
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class ImportKind:
    """One kind of import (``advocacy import KIND``) and the catalogue table it fills."""

    name: str
    table: str
    columns: tuple[Column, ...]
    # For feedback: the item kind stored, and the column whose value scopes the ids.
    feedback_kind: str | None = None
    scope_column: str | None = None
    rating_scale: float | None = None
    references: dict[str, str] = field(default_factory=dict)

    @property
    def id_column(self) -> Column:
        return self.columns[0]

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


T = ColumnType
TEXT_LIMIT = 50_000
SHORT_TEXT = 1_000

ORDER_STATUSES = ("placed", "shipped", "delivered", "cancelled", "returned")
NPS_CHANNELS = ("email", "web", "link", "sms", "in-app", "phone", "other")


def _feedback_refs() -> tuple[Column, Column]:
    return (
        Column("customer_id", T.ID, "customer_ref", max_length=200),
        Column("order_id", T.ID, "order_ref", max_length=200),
    )


CUSTOMERS = ImportKind(
    name="customers",
    table="customers",
    columns=(
        Column("customer_id", T.ID, "external_id", required=True, max_length=200),
        Column("name", T.TEXT, "name", max_length=300),
        Column("email", T.EMAIL, "email", max_length=320),
        Column("phone", T.PHONE, "phone", max_length=50),
        Column("locale", T.LOCALE, "locale"),
        Column("country", T.COUNTRY, "country"),
        Column("segment", T.TEXT, "segment", max_length=100),
        Column("acquired_at", T.DATETIME, "acquired_at"),
        Column("churned_at", T.DATETIME, "churned_at"),
        Column("acquisition_cost", T.NUMBER, "acquisition_cost", minimum=0),
    ),
)

ORDERS = ImportKind(
    name="orders",
    table="orders",
    columns=(
        Column("order_id", T.ID, "external_id", required=True, max_length=200),
        Column("customer_id", T.ID, "customer_ref", required=True, max_length=200),
        Column("ordered_at", T.DATETIME, "ordered_at", required=True),
        Column("amount", T.NUMBER, "amount", required=True, minimum=0),
        Column("currency", T.CURRENCY, "currency"),
        Column("status", T.CHOICE, "status", choices=ORDER_STATUSES),
        Column("promised_delivery_at", T.DATETIME, "promised_delivery_at"),
        Column("delivered_at", T.DATETIME, "delivered_at"),
        Column("product", T.TEXT, "product", max_length=300),
    ),
    references={"customer_ref": "customers"},
)

NPS = ImportKind(
    name="nps",
    table="feedback_items",
    feedback_kind="nps",
    rating_scale=10,
    columns=(
        Column("response_id", T.ID, "external_id", required=True, max_length=200),
        *_feedback_refs(),
        Column("score", T.INTEGER, "rating", required=True, minimum=0, maximum=10),
        Column("comment", T.TEXT, "text", max_length=TEXT_LIMIT),
        Column("responded_at", T.DATETIME, "occurred_at", required=True),
        Column("channel", T.CHOICE, "channel", choices=NPS_CHANNELS),
        Column("language", T.LANGUAGE, "language"),
        Column("touchpoint", T.TEXT, "touchpoint", max_length=100),
    ),
)

REVIEWS = ImportKind(
    name="reviews",
    table="feedback_items",
    feedback_kind="review",
    scope_column="platform",
    columns=(
        Column("review_id", T.ID, "external_id", required=True, max_length=200),
        Column("platform", T.NAME, "platform", required=True, max_length=50),
        Column("rating", T.NUMBER, "rating", required=True, minimum=0),
        Column("rating_scale", T.NUMBER, "rating_scale", minimum=1, maximum=100),
        Column("title", T.TEXT, "title", max_length=SHORT_TEXT),
        Column("text", T.TEXT, "text", max_length=TEXT_LIMIT),
        Column("author", T.TEXT, "author", max_length=300),
        Column("posted_at", T.DATETIME, "occurred_at", required=True),
        Column("url", T.URL, "url", max_length=2048),
        *_feedback_refs(),
        Column("language", T.LANGUAGE, "language"),
        Column("product", T.TEXT, "product", max_length=300),
    ),
)

TICKETS = ImportKind(
    name="tickets",
    table="feedback_items",
    feedback_kind="ticket",
    columns=(
        Column("ticket_id", T.ID, "external_id", required=True, max_length=200),
        *_feedback_refs(),
        Column("opened_at", T.DATETIME, "occurred_at", required=True),
        Column("closed_at", T.DATETIME, "closed_at"),
        Column("channel", T.NAME, "channel", max_length=50),
        Column("subject", T.TEXT, "title", max_length=SHORT_TEXT),
        Column("text", T.TEXT, "text", max_length=TEXT_LIMIT),
        Column("status", T.NAME, "status", max_length=50),
        Column("contacts", T.INTEGER, "contacts", minimum=0, maximum=100_000),
        Column("language", T.LANGUAGE, "language"),
    ),
)

SOCIAL = ImportKind(
    name="social",
    table="feedback_items",
    feedback_kind="social",
    scope_column="network",
    columns=(
        Column("post_id", T.ID, "external_id", required=True, max_length=200),
        Column("network", T.NAME, "platform", required=True, max_length=50),
        Column("author", T.TEXT, "author", max_length=300),
        Column("text", T.TEXT, "text", required=True, max_length=TEXT_LIMIT),
        Column("posted_at", T.DATETIME, "occurred_at", required=True),
        Column("url", T.URL, "url", max_length=2048),
        *_feedback_refs(),
        Column("likes", T.INTEGER, "likes", minimum=0),
        Column("shares", T.INTEGER, "shares", minimum=0),
        Column("language", T.LANGUAGE, "language"),
    ),
)

KINDS: dict[str, ImportKind] = {
    kind.name: kind for kind in (CUSTOMERS, ORDERS, NPS, REVIEWS, TICKETS, SOCIAL)
}
FEEDBACK_KINDS = ("nps", "review", "social", "ticket")


def import_kind(name: str) -> ImportKind:
    """The import kind called ``name`` (``customers``, ``orders``, ``nps``, ``reviews``, …)."""
    from advocacy.errors import InvalidInput

    try:
        return KINDS[name]
    except KeyError:
        known = ", ".join(KINDS)
        raise InvalidInput(f"unknown import kind {name!r}: use one of {known}") from None
