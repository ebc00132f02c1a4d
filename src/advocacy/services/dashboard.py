"""What the dashboard shows, computed in the database: NPS and its trend, feedback volume,
sentiment and themes, churn, and customer value, under one set of filters.

Every number is aggregated by SQL (``GROUP BY`` over the filtered items) so that the dashboard
reads counts, not rows; only churn and CLV, which follow customers over time, load their
customers' dates and orders. The filters apply to every feedback item the same way: a date range
(of when the item was given), the customer's segment and country, the channel and the platform
(review site or social network). A filter a kind of item does not carry leaves none of it:
``platform=trustpilot`` has no NPS answers.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import polars as pl
from sqlalchemy import (
    ColumnElement,
    Engine,
    Select,
    case,
    func,
    literal_column,
    select,
    true,
)

from advocacy.errors import InvalidInput
from advocacy.metrics.nps import nps_from_counts
from advocacy.metrics.nps_groups import trend_from_counts
from advocacy.metrics.segments import TIERS
from advocacy.services.churn import churn_report
from advocacy.services.facts import ensure_facts, month_of, theme_mentions
from advocacy.services.value import customer_values
from advocacy.store.tables import Customer, FeedbackItem, FeedbackMonthly, ThemeMonthly

KINDS = ("nps", "review", "social", "ticket")
SENTIMENTS = ("negative", "neutral", "positive")
THEMES_SHOWN = 12
CLV_BINS = 20


@dataclass(frozen=True, slots=True)
class DashboardFilter:
    """The dashboard's filters. ``since`` and ``until`` are dates, both inclusive."""

    since: dt.date | None = None
    until: dt.date | None = None
    segment: str | None = None
    country: str | None = None
    channel: str | None = None
    platform: str | None = None

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise InvalidInput("the start date is after the end date")

    def as_dict(self) -> dict[str, str | None]:
        return {
            key: (value.isoformat() if isinstance(value, dt.date) else value)
            for key, value in asdict(self).items()
        }

    @property
    def customer_filtered(self) -> bool:
        return self.segment is not None or self.country is not None

    @property
    def whole_months(self) -> bool:
        """Whether the dates start and end on month boundaries (or are open): the monthly
        facts then answer exactly."""
        starts = self.since is None or self.since.day == 1
        ends = self.until is None or (self.until + dt.timedelta(days=1)).day == 1
        return starts and ends


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def _conditions(filters: DashboardFilter) -> list[ColumnElement[bool]]:
    f, c = FeedbackItem.__table__.c, Customer.__table__.c
    chosen: list[ColumnElement[bool]] = []
    if filters.since:
        chosen.append(f.occurred_at >= _start(filters.since))
    if filters.until:
        chosen.append(f.occurred_at < _start(filters.until + dt.timedelta(days=1)))
    if filters.channel:
        chosen.append(f.channel == filters.channel)
    if filters.platform:
        chosen.append(f.platform == filters.platform)
    if filters.segment:
        chosen.append(c.segment == filters.segment)
    if filters.country:
        chosen.append(c.country == filters.country)
    return chosen


def _items(filters: DashboardFilter, *columns: Any) -> Select[Any]:
    """``SELECT columns FROM feedback_items`` (joined to the customer when a filter needs it)."""
    f, c = FeedbackItem.__table__.c, Customer.__table__.c
    source: Any = FeedbackItem.__table__
    if filters.customer_filtered:
        source = source.join(Customer.__table__, c.id == f.customer_id)
    return select(*columns).select_from(source).where(*_conditions(filters))


def _category() -> ColumnElement[str]:
    rating = FeedbackItem.__table__.c.rating
    return case(
        (rating >= 9, literal_column("'promoter'")),
        (rating >= 7, literal_column("'passive'")),
        else_=literal_column("'detractor'"),
    )


def _number(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else value


def _fact_conditions(table: Any, filters: DashboardFilter) -> list[ColumnElement[bool]]:
    t = table.__table__.c
    chosen: list[ColumnElement[bool]] = []
    if filters.since:
        chosen.append(t.month >= f"{filters.since:%Y-%m}")
    if filters.until:
        chosen.append(t.month <= f"{filters.until:%Y-%m}")
    for name in ("channel", "platform", "segment", "country"):
        value = getattr(filters, name)
        if value is not None:
            chosen.append(t[name] == value)
    return chosen


def nps_section(engine: Engine, filters: DashboardFilter, *, facts: bool = False) -> dict[str, Any]:
    """The NPS of the filtered answers, with its interval, and its month-by-month trend."""
    f = FeedbackItem.__table__.c
    if facts:
        m = FeedbackMonthly.__table__.c
        query = (
            select(m.month, m.category, func.sum(m["items"]))
            .where(m.kind == "nps", m.category != "", *_fact_conditions(FeedbackMonthly, filters))
            .group_by(m.month, m.category)
            .order_by(m.month)
        )
    else:
        month, category = month_of(engine).label("month"), _category().label("category")
        query = (
            _items(filters, month, category, func.count().label("answers"))
            .where(f.kind == "nps", f.rating.is_not(None))
            .group_by(month, category)
            .order_by(month)
        )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    by_month: dict[str, dict[str, int]] = {}
    for label, kind, count in rows:
        by_month.setdefault(label, {"promoter": 0, "passive": 0, "detractor": 0})[kind] += int(
            count
        )
    totals = {key: sum(cell[key] for cell in by_month.values()) for key in ("promoter", "passive")}
    totals["detractor"] = sum(cell["detractor"] for cell in by_month.values())
    overall = nps_from_counts(totals["promoter"], totals["passive"], totals["detractor"])
    trend = trend_from_counts(
        [(key, c["promoter"], c["passive"], c["detractor"]) for key, c in by_month.items()]
    )
    return {
        "nps": overall.score if overall.n else None,
        "answers": overall.n,
        "promoters": overall.promoters,
        "passives": overall.passives,
        "detractors": overall.detractors,
        "margin_of_error": overall.margin_of_error if overall.n else None,
        "ci_low": overall.ci_low if overall.n else None,
        "ci_high": overall.ci_high if overall.n else None,
        "interval": overall.interval,
        "trend": [
            {
                "month": group.key,
                "nps": group.result.score,
                "answers": group.result.n,
                "ci_low": group.result.ci_low,
                "ci_high": group.result.ci_high,
                "change": _number(group.change),
                "p_value": _number(group.p_value),
                "significant": group.significant,
            }
            for group in trend
        ],
    }


def volume_section(
    engine: Engine, filters: DashboardFilter, *, facts: bool = False
) -> dict[str, Any]:
    """How many items each source gave (kind and platform, largest first), how many are of
    each sentiment, still to analyse, or without text to read — in one scan of the items."""
    f = FeedbackItem.__table__.c
    if facts:
        m = FeedbackMonthly.__table__.c
        query = (
            select(m.kind, m.platform, m.sentiment, m.pending, func.sum(m["items"]))
            .where(*_fact_conditions(FeedbackMonthly, filters))
            .group_by(m.kind, m.platform, m.sentiment, m.pending)
        )
    else:
        pending = f.analyzed_at.is_(None).label("pending")
        query = _items(filters, f.kind, f.platform, f.sentiment, pending, func.count()).group_by(
            f.kind, f.platform, f.sentiment, pending
        )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    sources: dict[tuple[str, str], int] = {}
    sentiment = dict.fromkeys(SENTIMENTS, 0)
    not_analysed = without_text = 0
    for kind, platform, label, waiting, count in rows:
        sources[(kind, platform)] = sources.get((kind, platform), 0) + int(count)
        if waiting:
            not_analysed += int(count)
        elif label in sentiment:
            sentiment[label] += int(count)
        else:
            without_text += int(count)
    ordered = sorted(sources.items(), key=lambda pair: (-pair[1], pair[0]))
    return {
        "volume": [
            {"kind": kind, "platform": platform or None, "items": n}
            for (kind, platform), n in ordered
        ],
        "sentiment": sentiment,
        "not_analysed": not_analysed,
        "without_text": without_text,
    }


def _themes(
    engine: Engine, filters: DashboardFilter, *, facts: bool = False
) -> list[dict[str, Any]]:
    f = FeedbackItem.__table__.c
    if facts:
        m = ThemeMonthly.__table__.c
        counted = (
            select(
                m.theme,
                func.sum(m["items"]),
                func.sum(case((m.tone == "negative", m["items"]), else_=0)),
                func.sum(case((m.tone == "positive", m["items"]), else_=0)),
            )
            .where(m.theme != "", *_fact_conditions(ThemeMonthly, filters))
            .group_by(m.theme)
            .order_by(func.sum(m["items"]).desc(), m.theme)
            .limit(THEMES_SHOWN)
        )
        with engine.connect() as connection:
            rows = connection.execute(counted).all()
        return [
            {"theme": str(name), "items": int(n), "negative": int(neg), "positive": int(pos)}
            for name, n, neg, pos in rows
        ]
    element, theme, tone = theme_mentions(engine)
    query = (
        _items(filters, theme.label("theme"), tone.label("tone"))
        .where(f.themes.is_not(None))
        .join(element, true())
    )
    inner = query.subquery()
    counted = (
        select(
            inner.c.theme,
            func.count().label("items"),
            func.sum(case((inner.c.tone == "negative", 1), else_=0)).label("negative"),
            func.sum(case((inner.c.tone == "positive", 1), else_=0)).label("positive"),
        )
        .group_by(inner.c.theme)
        .order_by(func.count().desc(), inner.c.theme)
        .limit(THEMES_SHOWN)
    )
    with engine.connect() as connection:
        rows = connection.execute(counted).all()
    return [
        {
            "theme": str(name),
            "items": int(n),
            "negative": int(negative or 0),
            "positive": int(positive or 0),
        }
        for name, n, negative, positive in rows
    ]


def churn_section(engine: Engine, filters: DashboardFilter) -> dict[str, Any]:
    """The 12-month churn rate ending on the filter's last day (or now) of its customers."""
    as_of = _start(filters.until + dt.timedelta(days=1)) if filters.until else None
    report = churn_report(engine, as_of=as_of, segment=filters.segment, country=filters.country)
    return {
        key: report[key]
        for key in (
            "churn_rate",
            "lost",
            "average_customers",
            "window_start",
            "window_end",
            "definition",
        )
    } | {"monthly": report["monthly"]}


def value_section(
    engine: Engine, filters: DashboardFilter, *, values: pl.DataFrame | None = None
) -> dict[str, Any]:
    """The CLV of the customers (of the segment and country chosen): tiers and distribution,
    in the currency most of them buy in. ``values`` (today's values of every customer) is
    used when no end date is chosen."""
    as_of = _start(filters.until + dt.timedelta(days=1)) if filters.until else None
    if values is None or as_of is not None:
        values = customer_values(engine, as_of=as_of).table
    values = values.filter(pl.col("currency").is_not_null())
    if filters.customer_filtered:
        if "customer_country" not in values.columns:
            values = with_customer_groups(engine, values)
        if filters.segment is not None:
            values = values.filter(pl.col("customer_segment") == filters.segment)
        if filters.country is not None:
            values = values.filter(pl.col("customer_country") == filters.country)
    if values.height == 0:
        return {"currency": None, "customers": 0, "tiers": {}, "histogram": [], "currencies": {}}
    currencies = (
        values.group_by("currency").len().sort(["len", "currency"], descending=[True, False])
    )
    currency = str(currencies["currency"][0])
    group = values.filter(pl.col("currency") == currency)
    clv = group["clv"].to_numpy()
    tiers = {tier: int((group["tier"] == tier).sum()) for tier in TIERS}
    return {
        "currency": currency,
        "customers": group.height,
        "total_clv": float(clv.sum()),
        "mean_clv": float(clv.mean()),
        "median_clv": float(clv.mean() if clv.size == 0 else float(np.median(clv))),
        "tiers": tiers,
        "tier_clv": {
            tier: float(group.filter(pl.col("tier") == tier)["clv"].sum()) for tier in TIERS
        },
        "histogram": _histogram(clv),
        "currencies": {str(code): int(n) for code, n in currencies.iter_rows()},
    }


def with_customer_groups(engine: Engine, values: pl.DataFrame) -> pl.DataFrame:
    """The values table with each customer's ``customer_segment`` and ``customer_country``
    (the ``segment`` column of the values is their RFM segment)."""
    c = Customer.__table__.c
    with engine.connect() as connection:
        rows = connection.execute(select(c.external_id, c.segment, c.country)).all()
    groups = pl.DataFrame(
        rows,
        schema={
            "customer_id": pl.String,
            "customer_segment": pl.String,
            "customer_country": pl.String,
        },
        orient="row",
    )
    return values.join(groups, on="customer_id", how="left")


def _histogram(values: Any) -> list[dict[str, float]]:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return []
    # The top 5 % fall in the last column ("and more"): CLV has a long tail.
    low, high = float(finite.min()), float(np.percentile(finite, 95))
    if high <= low:
        high = low + 1.0
    counts, edges = np.histogram(np.clip(finite, low, high), bins=CLV_BINS, range=(low, high))
    return [
        {"low": float(edges[i]), "high": float(edges[i + 1]), "customers": int(counts[i])}
        for i in range(len(counts))
    ]


def filter_choices(engine: Engine) -> dict[str, list[str]]:
    """The values each filter can take, for the filter bar's lists."""
    f, c = FeedbackItem.__table__.c, Customer.__table__.c
    with engine.connect() as connection:

        def distinct(column: Any) -> list[str]:
            rows = connection.execute(
                select(column).where(column.is_not(None), column != "").distinct().order_by(column)
            ).scalars()
            return [str(value) for value in rows][:500]

        return {
            "segment": distinct(c.segment),
            "country": distinct(c.country),
            "channel": distinct(f.channel),
            "platform": distinct(f.platform),
        }


def dashboard(
    engine: Engine,
    filters: DashboardFilter,
    *,
    values: pl.DataFrame | None = None,
    churn: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Every section of the dashboard, JSON-ready.

    Filters on whole months are counted from the monthly facts (rebuilt first if the catalogue
    changed since, :mod:`advocacy.services.facts`); other date ranges from the items.
    ``values`` is the catalogue's customer values table and ``churn`` the churn section of
    these filters when the caller keeps them (they follow customers, not items).
    """
    facts = filters.whole_months
    if facts:
        ensure_facts(engine)
    return {
        "filters": filters.as_dict(),
        "counted_from": "monthly facts" if facts else "items",
        "nps": nps_section(engine, filters, facts=facts),
        **volume_section(engine, filters, facts=facts),
        "themes": _themes(engine, filters, facts=facts),
        "churn": churn if churn is not None else churn_section(engine, filters),
        "value": value_section(engine, filters, values=values),
        "surveys": surveys_section(engine, filters),
    }


def surveys_section(engine: Engine, filters: DashboardFilter) -> list[dict[str, Any]]:
    """Each survey's response rate and time to answer, over the invitations made in the date
    range (the other filters do not apply: an invitation is not yet an answer)."""
    from advocacy.services.survey_stats import survey_stats

    since = dt.datetime.combine(filters.since, dt.time()) if filters.since else None
    until = (
        dt.datetime.combine(filters.until + dt.timedelta(days=1), dt.time())
        if filters.until
        else None
    )
    return survey_stats(engine, since=since, until=until)


def as_json(document: dict[str, Any]) -> str:
    """The dashboard as a JSON text (dates as ISO 8601)."""
    return json.dumps(document, default=str)
