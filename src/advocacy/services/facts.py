"""The dashboard's monthly facts: every count it shows, pre-counted by month.

Counting two million items for every new set of filters takes tens of seconds; counting their
facts — one row per month, source, channel, customer segment and country, NPS category,
sentiment and analysis state (``feedback_monthly``), and per theme and tone
(``theme_monthly``) — takes milliseconds, and gives the same numbers for any filter that
starts and ends on month boundaries.

Freshness: every writer of feedback or customers (imports, text analysis) calls
:func:`mark_changed` in its own transaction, which raises the ``data`` counter of
``catalogue_state``. :func:`refresh_facts` rebuilds both fact tables from the items and records
the ``data`` value they were built from as ``facts``; :func:`facts_are_current` compares the
two. The command line refreshes the facts after an import or an analysis, so the dashboard
finds them current; the dashboard refreshes them itself when they are not.
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    literal_column,
    select,
    text,
    true,
    update,
)

from advocacy.store.tables import (
    CatalogueState,
    Customer,
    FeedbackItem,
    FeedbackMonthly,
    ThemeMonthly,
)

DATA = "data"
FACTS = "facts"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def mark_changed(connection: Connection) -> None:
    """Record, inside the caller's transaction, that feedback or customers changed."""
    _write_counter(connection, DATA, CatalogueState.value + 1, first=1)


def _write_counter(connection: Connection, key: str, value: Any, *, first: int) -> None:
    """Set counter ``key`` to ``value`` (an expression may read the old one), or create it
    with ``first``."""
    done = connection.execute(
        update(CatalogueState)
        .where(CatalogueState.key == key)
        .values(value=value, changed_at=_now())
    )
    if done.rowcount == 0:
        connection.execute(insert(CatalogueState).values(key=key, value=first, changed_at=_now()))


def _counter(connection: Connection, key: str) -> int:
    value = connection.scalar(select(CatalogueState.value).where(CatalogueState.key == key))
    return int(value or 0)


def facts_are_current(engine: Engine) -> bool:
    """Whether the facts were built from the catalogue as it is now."""
    with engine.connect() as connection:
        found = connection.execute(
            select(CatalogueState.key, CatalogueState.value).where(
                CatalogueState.key.in_((DATA, FACTS))
            )
        ).all()
    rows = {str(row[0]): int(row[1]) for row in found}
    return rows.get(FACTS) is not None and rows.get(FACTS) == rows.get(DATA, 0)


def month_of(engine: Engine) -> ColumnElement[str]:
    """An item's month as ``YYYY-MM``, in the database's own dialect."""
    occurred = FeedbackItem.__table__.c.occurred_at
    if engine.dialect.name == "postgresql":
        return func.to_char(occurred, "YYYY-MM")
    return func.strftime("%Y-%m", occurred)


def theme_mentions(engine: Engine) -> tuple[Any, ColumnElement[Any], ColumnElement[Any]]:
    """An item's theme mentions as rows (a table-valued function over its ``themes`` JSON, to
    join with ``ON true``), with each mention's theme and tone, in the database's dialect."""
    themes = FeedbackItem.__table__.c.themes
    if engine.dialect.name == "postgresql":
        element = func.jsonb_array_elements(themes).table_valued("value").alias("mention")
        return element, element.c.value.op("->>")("theme"), element.c.value.op("->>")("sentiment")
    element = func.json_each(themes).table_valued("value").alias("mention")
    return (
        element,
        func.json_extract(element.c.value, "$.theme"),
        func.json_extract(element.c.value, "$.sentiment"),
    )


def _positions(count: int) -> list[ColumnElement[Any]]:
    """``GROUP BY 1, 2, …``: the selected expressions by position (PostgreSQL does not see
    two renderings of one expression with its own bound values as the same)."""
    return [literal_column(str(position)) for position in range(1, count + 1)]


_COLUMNS = ["month", "kind", "platform", "channel", "segment", "country"]


def _fact_queries(engine: Engine, *where: ColumnElement[bool]) -> tuple[Any, Any]:
    """The two grouped counts the facts hold — per item, and per theme mention — over the
    items matching ``where`` (every item without it)."""
    f, c = FeedbackItem.__table__.c, Customer.__table__.c
    dimensions = [
        month_of(engine),
        f.kind,
        f.platform,
        func.coalesce(f.channel, ""),
        func.coalesce(c.segment, ""),
        func.coalesce(c.country, ""),
    ]
    category = case(
        (f.kind != "nps", literal("")),
        (f.rating.is_(None), literal("")),
        (f.rating >= 9, literal("promoter")),
        (f.rating >= 7, literal("passive")),
        else_=literal("detractor"),
    )
    sentiment = func.coalesce(f.sentiment, "")
    pending = f.analyzed_at.is_(None)
    source = FeedbackItem.__table__.outerjoin(Customer.__table__, c.id == f.customer_id)
    items = (
        select(*dimensions, category, sentiment, pending, func.count())
        .select_from(source)
        .where(*where)
        .group_by(*_positions(len(dimensions) + 3))
    )
    element, theme, tone = theme_mentions(engine)
    themes = (
        select(
            *dimensions,
            func.substr(func.coalesce(theme, ""), 1, 64),
            func.coalesce(tone, ""),
            func.count(),
        )
        .select_from(source.join(element, true()))
        .where(f.themes.is_not(None), *where)
        .group_by(*_positions(len(dimensions) + 2))
    )
    return items, themes


def refresh_facts(engine: Engine) -> float:
    """Rebuild the monthly facts from the items; returns the seconds it took."""
    started = time.perf_counter()
    items, themes = _fact_queries(engine)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # One refresh at a time: two would both delete, then both insert.
            connection.execute(text("LOCK TABLE feedback_monthly IN EXCLUSIVE MODE"))
        version = _counter(connection, DATA)
        connection.execute(delete(FeedbackMonthly))
        connection.execute(delete(ThemeMonthly))
        connection.execute(
            insert(FeedbackMonthly).from_select(
                [*_COLUMNS, "category", "sentiment", "pending", "items"], items
            )
        )
        connection.execute(
            insert(ThemeMonthly).from_select([*_COLUMNS, "theme", "tone", "items"], themes)
        )
        _write_counter(connection, FACTS, version, first=version)
    return time.perf_counter() - started


#: What some items make up of the facts: (fact table, key) → number of items.
FactCounts = dict[tuple[Any, tuple[tuple[str, Any], ...]], int]


def fact_counts(connection: Connection, item_ids: Sequence[int]) -> FactCounts:
    """What the items ``item_ids``, as they are now in this transaction, count in the facts."""
    counts: FactCounts = {}
    if not item_ids:
        return counts
    ids = FeedbackItem.__table__.c.id.in_(list(item_ids))
    items, themes = _fact_queries(connection.engine, ids)
    for table, query, names in (
        (FeedbackMonthly, items, [*_COLUMNS, "category", "sentiment", "pending"]),
        (ThemeMonthly, themes, [*_COLUMNS, "theme", "tone"]),
    ):
        for row in connection.execute(query).all():
            key = tuple(zip(names, row[:-1], strict=True))
            counts[(table, key)] = counts.get((table, key), 0) + int(row[-1])
    return counts


def count_change(connection: Connection, before: FactCounts, after: FactCounts) -> None:
    """Move the facts from what some items counted ``before`` a change to what they count
    ``after`` it (:func:`fact_counts` both, in the changing transaction): only the keys whose
    count changed are written, so items analysed again with the same result cost nothing, and
    the rest in two statements a table (the rows of the keys are read first, then updated and
    inserted all at once)."""
    changes: dict[Any, dict[tuple[tuple[str, Any], ...], int]] = {}
    for table_key in before.keys() | after.keys():
        change = after.get(table_key, 0) - before.get(table_key, 0)
        if change:
            table, key = table_key
            changes.setdefault(table, {})[key] = change
    for table in (FeedbackMonthly, ThemeMonthly):  # in the order a rebuild locks them
        if table in changes:
            _add_facts(connection, table, changes[table])


def _add_facts(
    connection: Connection, table: Any, by_key: dict[tuple[tuple[str, Any], ...], int]
) -> None:
    """Add each count to the first fact row of its key, or insert the row (see
    :func:`_add_fact`, one key at a time)."""
    columns = table.__table__.c
    if connection.dialect.name == "postgresql":
        # What an update takes anyway, taken before reading: a rebuild (which deletes every
        # row, in EXCLUSIVE mode) cannot then remove the rows read before they are updated.
        connection.execute(text(f"LOCK TABLE {table.__tablename__} IN ROW EXCLUSIVE MODE"))
    names = [column.name for column in columns if column.name not in ("id", "items")]
    months = sorted({dict(key)["month"] for key in by_key})
    first_row: dict[tuple[Any, ...], int] = {}
    for row in connection.execute(
        select(columns.id, *(columns[name] for name in names))
        .where(columns.month.in_(months))
        .order_by(columns.id)
    ):
        first_row.setdefault(tuple(row[1:]), row[0])  # a flag: 0/1 or a boolean, equal
    updates, inserts = [], []
    for key, count in by_key.items():
        values = dict(key)
        fact_id = first_row.get(tuple(values[name] for name in names))
        if fact_id is not None:
            updates.append({"fact_id": fact_id, "count": count})
        elif count > 0:
            inserts.append({**values, "items": count})
    if updates:
        connection.execute(
            update(table.__table__)
            .where(columns.id == bindparam("fact_id"))
            .values(items=columns["items"] + bindparam("count")),
            updates,
        )
    if inserts:
        connection.execute(insert(table.__table__), inserts)


def count_items(connection: Connection, item_ids: Sequence[int], *, sign: int) -> None:
    """Add (``sign=1``) or take away (``sign=-1``) the items ``item_ids``, as they are now in
    this transaction, to or from the facts.

    The writers that change a few items at a time — a survey answer, a batch of text analysis —
    take the items out of the facts before they change them and count them in again after, in
    the same transaction (or, the same with fewer writes, :func:`count_change` between their
    :func:`fact_counts`): the facts stay as current as they were, with no rebuild. (A rebuild
    that runs meanwhile either sees the transaction's items or waits for it: it locks the facts.)
    """
    counts = fact_counts(connection, item_ids)
    count_change(connection, {}, {key: sign * count for key, count in counts.items()})


@functools.cache
def _fact_statements(table: Any) -> tuple[Any, Any]:
    """Adding to the first fact row of a key, and inserting one: built once (building a
    statement costs more than running it)."""
    columns = table.__table__.c
    keys = [column.name for column in columns if column.name not in ("id", "items")]
    first = (
        select(func.min(columns.id))
        .where(*(columns[name] == bindparam(f"key_{name}") for name in keys))
        .scalar_subquery()
    )
    add = (
        update(table.__table__)
        .where(columns.id == first)
        .values(items=columns["items"] + bindparam("count"))
    )
    return add, insert(table.__table__)


def _add_fact(connection: Connection, table: Any, key: dict[str, Any], count: int) -> None:
    """Add ``count`` to the one fact row of ``key`` (the first, should two writers each have
    inserted one at the same moment: the sums stay right), or insert it."""
    add, new = _fact_statements(table)
    done = connection.execute(
        add, {"count": count, **{f"key_{name}": value for name, value in key.items()}}
    )
    if done.rowcount == 0 and count > 0:
        connection.execute(new, {**key, "items": count})


def nps_category(kind: str, rating: float | None) -> str:
    """An item's NPS category as the facts hold it (the same rule as the facts' SQL)."""
    if kind != "nps" or rating is None:
        return ""
    return "promoter" if rating >= 9 else "passive" if rating >= 7 else "detractor"


def new_item_key(
    *,
    occurred_at: dt.datetime,
    kind: str,
    platform: str,
    channel: str | None,
    rating: float | None,
    segment: str | None = None,
    country: str | None = None,
) -> dict[str, Any]:
    """The fact key of an item just written and not analysed yet (no sentiment, no themes):
    what :func:`refresh_facts` would count it under (``occurred_at`` naive UTC, as stored)."""
    return {
        "month": occurred_at.strftime("%Y-%m"),
        "kind": kind,
        "platform": platform,
        "channel": channel or "",
        "segment": segment or "",
        "country": country or "",
        "category": nps_category(kind, rating),
        "sentiment": "",
        "pending": True,
    }


def count_new_item(connection: Connection, key: dict[str, Any]) -> None:
    """Count one new, unanalysed item of fact key ``key`` (:func:`new_item_key`) in, inside the
    caller's transaction — what :func:`count_items` does for it, without reading it back: a
    survey answer is counted in as it arrives, hundreds a second."""
    _add_fact(connection, FeedbackMonthly, key, 1)


def ensure_facts(engine: Engine) -> None:
    """Rebuild the facts when the catalogue changed since they were built."""
    if not facts_are_current(engine):
        refresh_facts(engine)
