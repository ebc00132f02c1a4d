"""The rules that open cases, their settings, who gets a new case, and the value at risk.

**Rules.** A rule looks at the catalogue and returns :class:`Finding` s: "this customer (or this
segment) needs someone, because…". Three *reactive* rules follow feedback up (``detractor``,
``negative_review``, ``urgent_ticket``), and a fourth, ``customer_wrote_again``, adds whatever
a customer with an open case writes next to that case; four *proactive* ones act before anyone
complains:

- ``late_delivery`` — an order delivered later than promised, or not delivered by the promised
  date (one case per order, whatever happens to it next). A promised date without a time
  promises the whole day; the delay is counted from the promised date (delivered on the 12th,
  promised for the 5th: 7 days);
- ``repeated_contacts`` — a customer who wrote ``min_contacts`` tickets or more within
  ``window_days`` about the same theme, none of them followed up yet;
- ``sentiment_turning_negative`` — a customer whose last ``recent`` analysed items are
  negative after at least ``earlier`` items that were mostly not;
- ``nps_drop`` — a segment (country, language, channel, touchpoint or customer segment) whose
  NPS over the last ``period_days`` fell from the period before by at least ``min_drop``
  points, significant by the z-test of :func:`advocacy.metrics.nps.compare`.

Each rule has settings (on/off and its parameters, kept in ``case_rules``; a rule without a row
runs with its defaults). New rule types are plugins: an object with the attributes of
:class:`Rule`, registered with :func:`register` or published by an installed package under the
entry-point group ``advocacy.case_rules``.

**Value at risk** (on every proactive case about a customer), in the customer's currency:

- the *order value* (what the late order is worth: a refund or a cancellation loses it) and
  its *delay* in days;
- the customer's *CLV* and *value tier*, as ``advocacy clv`` computes them
  (:func:`advocacy.services.value.customer_values`);
- the *expected CLV lost if the customer churns*: their yearly revenue × the expected lifespan
  of a customer (1 ÷ the annual churn rate, capped). A lifetime with a constant churn rate has
  no memory, so a customer who stays is expected to stay that long again; what was already
  earned and the acquisition cost already spent are not at risk;
- **value at risk** = order value + expected CLV lost (the order counted once, and only when it
  is in the customer's currency; amounts of different currencies are never added).

For an NPS drop the value at risk is the expected CLV lost of the segment's detractors of the
period, in the segment's main currency. The numbers and how they were obtained are kept in the
case's ``details``.

**Assignment.** A new case without an owner goes to the first enabled assignment rule whose
conditions all hold (``type``, ``rule``, ``language``, ``priority``, ``tier``: lists of accepted
values; no condition matches everything): the rule's team, and its owners in turn (round robin).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any, Protocol, cast

from sqlalchemy import Connection, Engine, Table, delete, func, insert, select, update

from advocacy.errors import InvalidInput, NotFound
from advocacy.metrics.nps import categorise, compare, nps_from_counts
from advocacy.store.tables import (
    AssignmentRule,
    Case,
    CaseItem,
    CaseRule,
    Customer,
    FeedbackItem,
    Order,
)

CASES = cast(Table, Case.__table__)
CASE_ITEMS = cast(Table, CaseItem.__table__)
RULES = cast(Table, CaseRule.__table__)
ASSIGNMENTS = cast(Table, AssignmentRule.__table__)
ITEMS = cast(Table, FeedbackItem.__table__)
CUSTOMERS = cast(Table, Customer.__table__)
ORDERS = cast(Table, Order.__table__)

OPEN = ("open", "in_progress", "waiting")
PRIORITIES = ("low", "normal", "high", "urgent")
NOT_DELIVERABLE = ("cancelled", "returned")
ENTRY_POINT_GROUP = "advocacy.case_rules"
CONDITIONS = ("type", "rule", "language", "priority", "tier")
NPS_DIMENSIONS = ("country", "segment", "language", "channel", "touchpoint")
_EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[^@\s<>\"']{1,255}$")


@dataclass(frozen=True, slots=True)
class Finding:
    """Something a rule wants followed up.

    ``key`` makes it idempotent: a key already given to a case never opens another.
    ``join_open_case``: a customer with an open case gets the items added to it (the priority
    raised if this one's is higher) instead of a second case; with ``only_join`` a customer
    without an open case gets nothing. ``order_id`` and ``customer_id``
    let the value at risk be computed; ``details`` are kept on the case.
    """

    title: str
    priority: str
    customer_id: int | None = None
    key: str | None = None
    item_ids: tuple[int, ...] = ()
    order_id: int | None = None
    join_open_case: bool = False
    details: Mapping[str, Any] = field(default_factory=dict)
    only_join: bool = False


@dataclass(frozen=True, slots=True)
class RuleContext:
    """What a rule sees when it runs: a connection (read only, by convention), the clock, its
    parameters, and how far back to look (``since``)."""

    connection: Connection
    now: dt.datetime
    params: Mapping[str, Any]
    since: dt.datetime


class Rule(Protocol):
    """A rule type. ``defaults`` gives each parameter's default (its type is the parameter's
    type), ``limits`` their (minimum, maximum), ``help`` a sentence each."""

    @property
    def name(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def kind(self) -> str: ...  # "reactive" or "proactive"
    @property
    def case_type(self) -> str: ...
    @property
    def defaults(self) -> Mapping[str, Any]: ...
    @property
    def limits(self) -> Mapping[str, tuple[float, float]]: ...
    @property
    def help(self) -> Mapping[str, str]: ...

    def find(self, context: RuleContext) -> Iterable[Finding]: ...


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter of a rule: its default (whose type is the parameter's), its limits and a
    sentence of help."""

    name: str
    default: Any
    low: float = -math.inf
    high: float = math.inf
    help: str = ""


class ParamsDeclared:
    """A rule type whose parameters are declared once, as :class:`Param` s, in
    ``parameters``; ``defaults``, ``limits`` and ``help`` come from them."""

    parameters: tuple[Param, ...] = ()

    @property
    def defaults(self) -> Mapping[str, Any]:
        return {p.name: p.default for p in self.parameters}

    @property
    def limits(self) -> Mapping[str, tuple[float, float]]:
        return {p.name: (p.low, p.high) for p in self.parameters}

    @property
    def help(self) -> Mapping[str, str]:
        return {p.name: p.help for p in self.parameters}

    @staticmethod
    def window_start(context: RuleContext) -> dt.datetime:
        """The later of ``since`` and ``window_days`` before now."""
        return max(context.since, context.now - dt.timedelta(days=context.params["window_days"]))


class ProactiveRule(ParamsDeclared):
    """A rule that opens ``proactive`` cases.

    ``every``, when set, is how often a background round needs to run the rule: one that reads
    a long history, whose findings move only with new data (or once a day), is run by the
    worker at most that often, and by the commands every time.
    """

    kind = "proactive"
    case_type = "proactive"
    every: dt.timedelta | None = None


# --- the shipped rules -----------------------------------------------------------------------


def _uncased(item_id: Any) -> Any:
    return (
        ~select(CASE_ITEMS.c.feedback_item_id)
        .where(CASE_ITEMS.c.feedback_item_id == item_id)
        .exists()
    )


def _who(name: str | None, platform: str | None) -> str:
    return name or (f"a {platform} reviewer" if platform else "a customer")


@dataclass(frozen=True)
class _ItemRule(ParamsDeclared):
    """A reactive rule: every item it picks, not in a case yet, is followed up."""

    name: str
    title: str
    description: str
    case_type: str
    item_kind: str
    picks: Callable[[Any, Mapping[str, Any]], Any]
    parameters: tuple[Param, ...] = ()
    kind: str = "reactive"

    def find(self, context: RuleContext) -> Iterable[Finding]:
        f, c = ITEMS.c, CUSTOMERS.c
        rows = context.connection.execute(
            select(f.id, f.rating, f.rating_scale, f.customer_id, f.platform, c.name)
            .select_from(ITEMS.outerjoin(CUSTOMERS, c.id == f.customer_id))
            .where(
                f.kind == self.item_kind,
                self.picks(f, context.params),
                _uncased(f.id),
                f.occurred_at >= context.since,
                f.occurred_at <= context.now,
            )
            .order_by(f.occurred_at, f.id)
        ).all()
        for row in rows:
            yield Finding(
                title=f"{self.title}: {_who(row.name, row.platform)}",
                priority=_item_priority(self.item_kind, row.rating, row.rating_scale),
                customer_id=row.customer_id,
                item_ids=(row.id,),
                join_open_case=True,
            )


def _item_priority(kind: str, rating: float | None, scale: float | None) -> str:
    """An urgent ticket is urgent; a detractor of 0–3 or a review of at most 1 of 5 is high;
    other detractors and reviews of 2 of 5 are normal."""
    if kind == "ticket":
        return "urgent"
    if rating is None:
        return "normal"
    if kind == "nps":
        return "high" if rating <= 3 else "normal"
    return "high" if rating / (scale or 5) <= 0.2 else "normal"


DETRACTOR = _ItemRule(
    name="detractor",
    title="Detractor answer",
    description="Every NPS answer of 0 to max_score (detractors: 0–6).",
    case_type="detractor",
    item_kind="nps",
    parameters=(Param("max_score", 6, 0, 10, "answers at or below this score open a case"),),
    picks=lambda f, p: f.rating <= p["max_score"],
)
NEGATIVE_REVIEW = _ItemRule(
    name="negative_review",
    title="Review at or below 2 of 5",
    description="Every public review at or below max_share of its scale (0.4: 2 of 5).",
    case_type="negative_review",
    item_kind="review",
    parameters=(
        Param(
            "max_share", 0.4, 0, 1, "reviews rated at or below this share of the scale open a case"
        ),
    ),
    picks=lambda f, p: f.rating_normalized <= p["max_share"],
)
URGENT_TICKET = _ItemRule(
    name="urgent_ticket",
    title="Urgent ticket",
    description="Every ticket text analysis found urgent (legal threats, safety, cancelling…).",
    case_type="urgent_ticket",
    item_kind="ticket",
    picks=lambda f, p: f.urgent.is_(True),
)


class CustomerWroteAgain(ParamsDeclared):
    """Whatever a customer with an open case writes next (an answer, a review, a ticket, a
    post) joins that case, so whoever owns it sees it: items from the case's start on (its
    earliest item, or its opening), not in a case yet. It never opens a case."""

    name = "customer_wrote_again"
    title = "The customer wrote again"
    description = "A new item from a customer with an open case joins that case."
    kind = "reactive"
    case_type = "manual"

    def find(self, context: RuleContext) -> Iterable[Finding]:
        f = ITEMS.c
        connection = context.connection
        starts: dict[int, dt.datetime] = {}
        earliest = (
            select(CASE_ITEMS.c.case_id, func.min(f.occurred_at).label("first"))
            .select_from(CASE_ITEMS.join(ITEMS, f.id == CASE_ITEMS.c.feedback_item_id))
            .group_by(CASE_ITEMS.c.case_id)
            .subquery()
        )
        for row in connection.execute(
            select(CASES.c.customer_id, CASES.c.opened_at, earliest.c.first)
            .select_from(CASES.outerjoin(earliest, earliest.c.case_id == CASES.c.id))
            .where(CASES.c.status.in_(OPEN), CASES.c.customer_id.is_not(None))
        ):
            start = min(row.opened_at, row.first) if row.first is not None else row.opened_at
            starts[row.customer_id] = min(start, starts.get(row.customer_id, start))
        if not starts:
            return
        rows = connection.execute(
            select(f.id, f.customer_id, f.occurred_at)
            .where(
                f.customer_id.in_(list(starts)),
                _uncased(f.id),
                f.occurred_at >= context.since,
                f.occurred_at <= context.now,
            )
            .order_by(f.occurred_at, f.id)
        ).all()
        for row in rows:
            if row.occurred_at >= starts[row.customer_id]:
                yield Finding(
                    title=self.title,
                    priority="low",
                    customer_id=row.customer_id,
                    item_ids=(row.id,),
                    join_open_case=True,
                    only_join=True,
                )


class LateDelivery(ProactiveRule):
    """An order delivered later than promised, or still not delivered after the promised date
    (plus ``grace_days``): one proactive case per order, opened before the customer complains."""

    name = "late_delivery"
    title = "Late delivery"
    description = (
        "Orders delivered later than promised, or not delivered by the promised date, "
        "promised within the last window_days."
    )
    parameters = (
        Param("grace_days", 0.0, 0, 60, "days past the promised date before an order is late"),
        Param("window_days", 30, 1, 3650, "orders promised within this many days are watched"),
        Param("min_order_value", 0.0, 0, 1e12, "smaller orders are left alone"),
        Param("high_delay_days", 7.0, 0, 365,
              "a delay this long (or a top-tier customer) makes the case high"),
    )  # fmt: skip

    def find(self, context: RuleContext) -> Iterable[Finding]:
        o, c = ORDERS.c, CUSTOMERS.c
        grace = dt.timedelta(days=float(context.params["grace_days"]))
        start = self.window_start(context)
        rows = context.connection.execute(
            select(
                o.id, o.external_id, o.customer_id, o.amount, o.currency, o.status,
                o.promised_delivery_at, o.delivered_at, c.name,
            )
            .select_from(ORDERS.join(CUSTOMERS, c.id == o.customer_id))
            .where(
                o.promised_delivery_at.is_not(None),
                o.promised_delivery_at >= start,
                o.promised_delivery_at < context.now,
                (o.delivered_at.is_(None)) | (o.delivered_at > o.promised_delivery_at),
                o.amount >= context.params["min_order_value"],
            )
            .order_by(o.promised_delivery_at, o.id)
        ).all()  # fmt: skip
        for row in rows:
            if (row.status or "").lower() in NOT_DELIVERABLE:
                continue
            promised: dt.datetime = row.promised_delivery_at
            arrived: dt.datetime | None = row.delivered_at
            end = arrived if arrived is not None else context.now
            if end <= _deadline(promised) + grace:
                continue
            delay = round((end - promised).total_seconds() / 86_400, 1)
            who = row.name or "a customer"
            if arrived is None:
                title = (
                    f"Not delivered: order {row.external_id} for {who}, "
                    f"promised {promised:%Y-%m-%d}"
                )
            else:
                title = f"Late delivery: order {row.external_id} for {who}, {delay:g} days late"
            yield Finding(
                title=title[:300],
                priority="high" if arrived is None or delay >= context.params["high_delay_days"]
                else "normal",
                customer_id=row.customer_id,
                key=f"late_delivery:order:{row.id}",
                order_id=row.id,
                details={
                    "order": row.external_id,
                    "order_value": _money(row.amount),
                    "order_currency": (row.currency or "XXX").upper(),
                    "promised_at": promised.isoformat(),
                    "delivered_at": arrived.isoformat() if arrived else None,
                    "delivered": arrived is not None,
                    "delay_days": delay,
                },
            )  # fmt: skip


def _deadline(promised: dt.datetime) -> dt.datetime:
    """When a promise runs out: a date without a time promises the whole day."""
    return promised + dt.timedelta(days=1) if promised.time() == dt.time() else promised


def _main_theme(themes: Any) -> str:
    """The theme a ticket is mostly about: its first negative theme, else its first, else
    ``any``."""
    mentions = [m for m in themes or [] if isinstance(m, Mapping) and m.get("theme")]
    for mention in mentions:
        if mention.get("sentiment") == "negative":
            return str(mention["theme"])
    return str(mentions[0]["theme"]) if mentions else "any"


class RepeatedContacts(ProactiveRule):
    """A customer who keeps writing about the same problem and nobody has followed up."""

    name = "repeated_contacts"
    title = "Repeated contacts"
    description = (
        "A customer's min_contacts tickets or more within window_days about the same theme, "
        "none of them in a case yet."
    )
    parameters = (
        Param("min_contacts", 3, 2, 100, "how many tickets about one theme make a pattern"),
        Param("window_days", 14, 1, 365, "within how many days"),
    )

    def find(self, context: RuleContext) -> Iterable[Finding]:
        f, c = ITEMS.c, CUSTOMERS.c
        start = self.window_start(context)
        rows = context.connection.execute(
            select(f.id, f.customer_id, f.themes, c.name)
            .select_from(ITEMS.join(CUSTOMERS, c.id == f.customer_id))
            .where(
                f.kind == "ticket",
                _uncased(f.id),
                f.occurred_at >= start,
                f.occurred_at <= context.now,
            )
            .order_by(f.customer_id, f.occurred_at, f.id)
        ).all()
        groups: dict[tuple[int, str], list[Any]] = defaultdict(list)
        for row in rows:
            groups[(row.customer_id, _main_theme(row.themes))].append(row)
        for (customer_id, theme), tickets in groups.items():
            if len(tickets) < context.params["min_contacts"]:
                continue
            about = "" if theme == "any" else f" about {theme}"
            yield Finding(
                title=f"Repeated contacts: {tickets[0].name or 'a customer'}, "
                f"{len(tickets)} tickets{about}"[:300],
                priority="high",
                customer_id=customer_id,
                key=f"repeated_contacts:{customer_id}:{theme}:{tickets[0].id}",
                item_ids=tuple(t.id for t in tickets),
                join_open_case=True,
                details={"theme": theme, "contacts": len(tickets)},
            )


class SentimentTurningNegative(ProactiveRule):
    """A customer who was content and no longer is: their last ``recent`` analysed items are
    negative, after at least ``earlier`` items of which at most ``max_earlier_negative_share``
    were negative."""

    name = "sentiment_turning_negative"
    title = "Sentiment turning negative"
    every = dt.timedelta(minutes=15)  # it reads every analysed item of the customers it looks at
    description = (
        "A customer's last recent analysed items all negative (the latest within window_days), "
        "after at least earlier items that were mostly not."
    )
    parameters = (
        Param("recent", 2, 1, 20, "how many of the latest items must be negative"),
        Param("earlier", 2, 1, 100,
              "how many items before them are needed to know the customer was content"),
        Param("max_earlier_negative_share", 0.34, 0, 1,
              "at most this share of the earlier items negative"),
        Param("window_days", 30, 1, 365, "the latest negative item is at most this old"),
    )  # fmt: skip

    def find(self, context: RuleContext) -> Iterable[Finding]:
        f, c = ITEMS.c, CUSTOMERS.c
        start = self.window_start(context)
        recent_negative = (
            select(f.customer_id)
            .where(
                f.sentiment == "negative",
                f.customer_id.is_not(None),
                f.occurred_at >= start,
                f.occurred_at <= context.now,
            )
            .distinct()
        )
        rows = context.connection.execute(
            select(f.id, f.customer_id, f.sentiment, f.occurred_at, c.name)
            .select_from(ITEMS.join(CUSTOMERS, c.id == f.customer_id))
            .where(
                f.customer_id.in_(recent_negative),
                f.sentiment.is_not(None),
                f.occurred_at <= context.now,
            )
            .order_by(f.customer_id, f.occurred_at, f.id)
        ).all()
        history: dict[int, list[Any]] = defaultdict(list)
        for row in rows:
            history[row.customer_id].append(row)
        recent, earlier = int(context.params["recent"]), int(context.params["earlier"])
        for customer_id, items in history.items():
            if len(items) < recent + earlier:
                continue
            latest, before = items[-recent:], items[:-recent]
            if any(item.sentiment != "negative" for item in latest):
                continue
            share = sum(item.sentiment == "negative" for item in before) / len(before)
            if share > context.params["max_earlier_negative_share"]:
                continue
            yield Finding(
                title=f"Sentiment turning negative: {items[0].name or 'a customer'}"[:300],
                priority="normal",
                customer_id=customer_id,
                key=f"sentiment_turning_negative:{customer_id}:{latest[0].id}",
                item_ids=tuple(item.id for item in latest),
                join_open_case=True,
                details={
                    "recent_negative": len(latest),
                    "earlier_items": len(before),
                    "earlier_negative_share": round(share, 3),
                },
            )


class NpsDrop(ProactiveRule):
    """A segment whose NPS fell significantly: the last ``period_days`` against the period
    before, each with at least ``min_answers`` answers, by at least ``min_drop`` points, the
    z-test of the difference significant at ``confidence``."""

    name = "nps_drop"
    title = "NPS drop in a segment"
    every = dt.timedelta(hours=1)  # it reads two periods of answers; its days end at midnight
    description = (
        "A statistically significant fall of the NPS of a segment over the last period_days "
        "against the period before."
    )
    parameters = (
        Param("period_days", 30, 7, 365, "the length of the two periods compared"),
        Param("min_answers", 30, 10, 1_000_000, "answers each period needs before it is compared"),
        Param("min_drop", 5.0, 0, 200, "the smallest fall, in NPS points, worth a case"),
        Param("confidence", 0.95, 0.5, 0.999, "the confidence of the significance test"),
        Param("dimensions", list(NPS_DIMENSIONS), help="what segments are: "
              + ", ".join(NPS_DIMENSIONS)),
    )  # fmt: skip

    def find(self, context: RuleContext) -> Iterable[Finding]:
        f, c = ITEMS.c, CUSTOMERS.c
        period = dt.timedelta(days=context.params["period_days"])
        end = dt.datetime.combine(context.now.date(), dt.time())  # whole days: stable all day
        middle, start = end - period, end - 2 * period
        dimensions = [d for d in context.params["dimensions"] if d in NPS_DIMENSIONS]
        if not dimensions:
            return
        columns = [f[d] if d in ("language", "channel", "touchpoint") else c[d] for d in dimensions]
        rows = context.connection.execute(
            select(f.rating, f.occurred_at, f.customer_id, *columns)
            .select_from(ITEMS.outerjoin(CUSTOMERS, c.id == f.customer_id))
            .where(
                f.kind == "nps",
                f.rating.is_not(None),
                f.occurred_at >= start,
                f.occurred_at < end,
            )
        ).all()
        for index, dimension in enumerate(dimensions):
            scores: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
            detractors: dict[str, list[int]] = defaultdict(list)
            for row in rows:
                value = row[3 + index]
                if value is None or value == "":
                    continue
                current = row.occurred_at >= middle
                scores[str(value)][1 if current else 0].append(int(row.rating))
                if current and row.rating <= 6 and row.customer_id is not None:
                    detractors[str(value)].append(row.customer_id)
            for value, (before, now_scores) in sorted(scores.items()):
                if min(len(before), len(now_scores)) < context.params["min_answers"]:
                    continue
                was = nps_from_counts(*categorise(before))
                is_ = nps_from_counts(*categorise(now_scores))
                change = compare(is_, was, confidence=context.params["confidence"])
                if not (change.significant and change.change <= -context.params["min_drop"]):
                    continue
                yield Finding(
                    title=f"NPS drop: {dimension} {value}, {was.score:.0f} → {is_.score:.0f}"[:300],
                    priority="high",
                    key=f"nps_drop:{dimension}={value}:{end:%Y-%m-%d}"[:200],
                    details={
                        "segment": {"dimension": dimension, "value": value},
                        "period": {"from": middle.isoformat(), "to": end.isoformat()},
                        "previous_period": {"from": start.isoformat(), "to": middle.isoformat()},
                        "nps": round(is_.score, 1),
                        "previous_nps": round(was.score, 1),
                        "answers": is_.n,
                        "previous_answers": was.n,
                        "change": round(change.change, 1),
                        "ci": [round(change.ci_low, 1), round(change.ci_high, 1)],
                        "p_value": round(change.p_value, 6),
                        "detractor_customer_ids": sorted(set(detractors[value])),
                    },
                )


# --- the registry and the settings -----------------------------------------------------------

SHIPPED: tuple[Rule, ...] = (
    DETRACTOR,
    NEGATIVE_REVIEW,
    URGENT_TICKET,
    LateDelivery(),
    RepeatedContacts(),
    SentimentTurningNegative(),
    NpsDrop(),
    CustomerWroteAgain(),  # last: the other rules first pick what is theirs
)
_REGISTERED: dict[str, Rule] = {}
_plugins_loaded = False


def register(rule: Rule) -> Rule:
    """Add a rule type (a plugin); its ``name`` must be new. Returns the rule."""
    if not re.fullmatch(r"[a-z][a-z0-9_]{1,59}", getattr(rule, "name", "") or ""):
        raise InvalidInput("a rule's name: 2–60 lowercase letters, digits and _")
    if rule.name in {r.name for r in SHIPPED} or rule.name in _REGISTERED:
        raise InvalidInput(f"a rule named {rule.name!r} exists already")
    if rule.kind not in ("reactive", "proactive"):
        raise InvalidInput("a rule's kind: reactive or proactive")
    _REGISTERED[rule.name] = rule
    return rule


def unregister(name: str) -> None:
    """Remove a plugin rule type (its settings stay, for when it comes back)."""
    _REGISTERED.pop(name, None)


def _load_plugins() -> None:
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    for point in entry_points(group=ENTRY_POINT_GROUP):
        loaded = point.load()
        rule = loaded() if isinstance(loaded, type) else loaded
        if rule.name not in _REGISTERED:
            register(rule)


def reload_plugins() -> None:
    """Look for plugin rules again (after installing a package)."""
    global _plugins_loaded
    _plugins_loaded = False
    _load_plugins()


def available_rules() -> dict[str, Rule]:
    """Every rule type: the shipped ones, then the plugins."""
    _load_plugins()
    return {**{rule.name: rule for rule in SHIPPED}, **_REGISTERED}


def _rule(name: str) -> Rule:
    rules = available_rules()
    if name not in rules:
        raise NotFound(f"no rule {name!r}: the rules are {', '.join(rules)}")
    return rules[name]


def check_params(rule: Rule, params: Mapping[str, Any], base: Mapping[str, Any]) -> dict[str, Any]:
    """``params`` over ``base`` (the current ones), each converted to its default's type and
    checked against the rule's limits; unknown names refused."""
    merged = {**rule.defaults, **{k: v for k, v in base.items() if k in rule.defaults}}
    for name, value in params.items():
        if name not in rule.defaults:
            known = ", ".join(rule.defaults) or "none"
            raise InvalidInput(f"{rule.name} has no parameter {name!r} (its parameters: {known})")
        merged[name] = _convert(rule, name, value)
    return merged


def _convert(rule: Rule, name: str, value: Any) -> Any:
    default = rule.defaults[name]
    try:
        if isinstance(default, bool):
            if isinstance(value, str):
                value = value.strip().lower() in ("1", "true", "yes", "on")
            return bool(value)
        if isinstance(default, list):
            items = value.split(",") if isinstance(value, str) else list(value)
            converted = [str(v).strip() for v in items if str(v).strip()]
            if name == "dimensions" and not set(converted) <= set(NPS_DIMENSIONS):
                raise InvalidInput(f"{name}: some of {', '.join(NPS_DIMENSIONS)}")
            return converted
        number = float(str(value).strip()) if isinstance(value, str) else float(value)
        if not math.isfinite(number):
            raise ValueError
        if isinstance(default, int) and not number.is_integer():
            raise ValueError
    except (TypeError, ValueError):
        raise InvalidInput(f"{rule.name}.{name}: a number, not {str(value)[:40]!r}") from None
    low, high = rule.limits.get(name, (-math.inf, math.inf))
    if not low <= number <= high:
        raise InvalidInput(f"{rule.name}.{name}: from {low:g} to {high:g}, not {number:g}")
    return int(number) if isinstance(default, int) else number


def _settings(connection: Connection) -> dict[str, Any]:
    return {row.name: row for row in connection.execute(select(RULES)).all()}


def effective(connection: Connection) -> list[tuple[Rule, bool, dict[str, Any]]]:
    """Every rule with whether it is on and the parameters it runs with. A stored parameter
    that no longer passes the checks falls back to its default."""
    stored = _settings(connection)
    found = []
    for name, rule in available_rules().items():
        row = stored.get(name)
        params = dict(rule.defaults)
        if row is not None:
            for key, value in (row.params or {}).items():
                try:
                    params.update(check_params(rule, {key: value}, params))
                except InvalidInput:
                    continue
        found.append((rule, True if row is None else bool(row.enabled), params))
    return found


def rules_overview(engine: Engine) -> list[dict[str, Any]]:
    """Every rule, its state and parameters, JSON-ready."""
    with engine.connect() as connection:
        rules = effective(connection)
        stored = _settings(connection)
    return [
        {
            "name": rule.name,
            "title": rule.title,
            "description": rule.description,
            "kind": rule.kind,
            "case_type": rule.case_type,
            "enabled": enabled,
            "params": params,
            "defaults": dict(rule.defaults),
            "param_help": dict(rule.help),
            "updated_at": stored[rule.name].updated_at.isoformat() if rule.name in stored else None,
            "updated_by": stored[rule.name].updated_by if rule.name in stored else None,
        }
        for rule, enabled, params in rules
    ]


def set_rule(
    engine: Engine,
    name: str,
    *,
    now: dt.datetime,
    actor: str,
    enabled: bool | None = None,
    params: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Turn a rule on or off and change its parameters (those not given stay)."""
    rule = _rule(name)
    with engine.begin() as connection:
        row = connection.execute(select(RULES).where(RULES.c.name == name)).first()
        current = dict(row.params or {}) if row is not None else {}
        merged = check_params(rule, params or {}, current)
        values = {
            "enabled": enabled if enabled is not None else (True if row is None else row.enabled),
            "params": {k: v for k, v in merged.items() if v != rule.defaults.get(k)},
            "updated_at": now,
            "updated_by": actor,
        }
        if row is None:
            connection.execute(insert(RULES).values(name=name, **values))
        else:
            connection.execute(update(RULES).where(RULES.c.name == name).values(**values))
    return next(r for r in rules_overview(engine) if r["name"] == name)


# --- value at risk ---------------------------------------------------------------------------


def _money(value: Any) -> float | None:
    return None if value is None else round(float(value), 2)


class CustomerValueBook:
    """Customers' value at one instant, computed once when first asked for."""

    def __init__(self, engine: Engine, as_of: dt.datetime) -> None:
        self.engine, self.as_of = engine, as_of
        self._rows: dict[int, dict[str, Any]] | None = None

    def of(self, customer_id: int) -> dict[str, Any] | None:
        """The row of ``advocacy clv``'s table of the customer whose catalogue id is
        ``customer_id``, or ``None`` for one not a customer yet at that instant."""
        if self._rows is None:
            from advocacy.services.value import customer_values

            table = customer_values(self.engine, as_of=self.as_of).table
            with self.engine.connect() as connection:
                rows = connection.execute(select(CUSTOMERS.c.external_id, CUSTOMERS.c.id))
                ids = dict(rows.all())
            self._rows = {ids[row["customer_id"]]: row for row in table.iter_rows(named=True)}
        return self._rows.get(customer_id)


def value_at_risk(
    customer: Mapping[str, Any] | None,
    *,
    order_value: float | None = None,
    order_currency: str | None = None,
) -> dict[str, Any]:
    """The documented value at risk of one customer (a row of the value table) and, for a
    late order, its value: see the module docstring."""
    document: dict[str, Any] = {}
    if customer is not None and customer.get("currency"):
        yearly = customer.get("yearly_revenue") or 0.0
        lifespan = customer.get("lifespan_years") or 0.0
        churned = bool(customer.get("churned"))
        lost = 0.0 if churned else yearly * lifespan
        document.update(
            currency=customer["currency"],
            clv=_money(customer.get("clv")),
            tier=customer.get("tier"),
            yearly_revenue=_money(yearly),
            expected_lifespan_years=round(float(lifespan), 2),
            expected_clv_lost=_money(lost),
        )
        at_risk = lost
        if order_value is not None and (order_currency or "XXX") == customer["currency"]:
            at_risk += order_value
        document["value_at_risk"] = _money(at_risk)
        document["explanation"] = (
            f"order value {order_value:,.2f} + " if order_value is not None
            and (order_currency or "XXX") == customer["currency"] else ""
        ) + (
            f"expected CLV lost if the customer churns: yearly revenue {yearly:,.2f} × "
            f"expected lifespan {lifespan:.2f} years = {lost:,.2f} {customer['currency']}"
        )  # fmt: skip
    elif order_value is not None:
        document.update(
            currency=(order_currency or "XXX"),
            tier="none",
            expected_clv_lost=0.0,
            value_at_risk=_money(order_value),
            explanation=f"order value {order_value:,.2f} (no order history to value the customer)",
        )
    return document


# --- assignment ------------------------------------------------------------------------------


def _clean_conditions(conditions: Mapping[str, Any]) -> dict[str, list[str]]:
    clean: dict[str, list[str]] = {}
    for name, values in conditions.items():
        if name not in CONDITIONS:
            raise InvalidInput(f"condition {name!r}: one of {', '.join(CONDITIONS)}")
        items = values.split(",") if isinstance(values, str) else list(values or [])
        accepted = [str(v).strip().lower() for v in items if str(v).strip()]
        if accepted:
            clean[name] = accepted[:50]
    return clean


def add_assignment_rule(
    engine: Engine,
    *,
    name: str,
    now: dt.datetime,
    conditions: Mapping[str, Any] | None = None,
    team: str | None = None,
    owners: Sequence[str] = (),
    position: int | None = None,
) -> int:
    """Add an assignment rule (last, or at ``position``) and return its id."""
    name = name.strip()
    if not 0 < len(name) <= 100:
        raise InvalidInput("name: 1 to 100 characters")
    team = (team or "").strip() or None
    if team is not None and len(team) > 100:
        raise InvalidInput("team: at most 100 characters")
    people = [o.strip() for o in owners if o and o.strip()]
    bad = [o for o in people if not _EMAIL.match(o) or len(o) > 320]
    if bad:
        raise InvalidInput(f"owners are e-mail addresses: {bad[0][:60]!r} is not one")
    if len(people) > 100:
        raise InvalidInput("at most 100 owners")
    if team is None and not people:
        raise InvalidInput("an assignment rule gives a team, owners, or both")
    clean = _clean_conditions(conditions or {})
    with engine.begin() as connection:
        last = connection.execute(select(func.max(ASSIGNMENTS.c.position))).scalar()
        place = position if position is not None else (last or 0) + 1
        return int(
            connection.execute(
                insert(ASSIGNMENTS).values(
                    position=place, name=name, conditions=clean, team=team,
                    owners=list(dict.fromkeys(people)), turn=0, enabled=True, updated_at=now,
                )
            ).inserted_primary_key[0]  # type: ignore[index]
        )  # fmt: skip


def remove_assignment_rule(engine: Engine, rule_id: int) -> None:
    with engine.begin() as connection:
        if not connection.execute(delete(ASSIGNMENTS).where(ASSIGNMENTS.c.id == rule_id)).rowcount:
            raise NotFound(f"no assignment rule {rule_id}")


def list_assignment_rules(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(ASSIGNMENTS).order_by(ASSIGNMENTS.c.position, ASSIGNMENTS.c.id)
        ).all()
    return [
        {
            "id": row.id,
            "position": row.position,
            "name": row.name,
            "conditions": dict(row.conditions or {}),
            "team": row.team,
            "owners": list(row.owners or []),
            "next_owner": (row.owners or [None])[row.turn % len(row.owners)]
            if row.owners
            else None,
            "enabled": row.enabled,
        }
        for row in rows
    ]


def choose_assignee(
    connection: Connection, facts: Mapping[str, Any]
) -> tuple[str | None, str | None, str | None]:
    """The (owner, team, rule name) the first matching assignment rule gives a case with these
    ``facts`` (type, rule, language, priority, tier), taking its next owner in turn."""
    rows = connection.execute(
        select(ASSIGNMENTS)
        .where(ASSIGNMENTS.c.enabled.is_(True))
        .order_by(ASSIGNMENTS.c.position, ASSIGNMENTS.c.id)
    ).all()
    for row in rows:
        conditions = row.conditions or {}
        if all(str(facts.get(k) or "").lower() in v for k, v in conditions.items()):
            owner = None
            if row.owners:
                owner = row.owners[row.turn % len(row.owners)]
                connection.execute(
                    update(ASSIGNMENTS)
                    .where(ASSIGNMENTS.c.id == row.id)
                    .values(turn=(row.turn + 1) % len(row.owners))
                )
            return owner, row.team, row.name
    return None, None, None


# --- the decision maker's summary ------------------------------------------------------------

SUMMARY_SORTS = ("value_at_risk", "delay_days", "clv", "due_at", "opened_at")
DEFINITIONS = {
    "order_value": "what the late order is worth (a refund or a cancellation loses it)",
    "delay_days": "days past the promised delivery date (until delivery, or until now)",
    "clv": "the customer's lifetime value, as advocacy clv computes it",
    "tier": "the customer's value tier by CLV within their currency: top 10 %, next 20 %, rest",
    "expected_clv_lost": "yearly revenue × the expected lifespan of a customer (1 ÷ annual "
    "churn rate): the future revenue lost if the customer churns",
    "value_at_risk": "order value + expected CLV lost (the order only when in the customer's "
    "currency); for an NPS drop, the expected CLV lost of the segment's detractors",
}


def value_summary(
    engine: Engine,
    *,
    now: dt.datetime,
    sort: str = "value_at_risk",
    status: str = "active",
    limit: int = 500,
) -> dict[str, Any]:
    """The cases with a value at risk (proactive ones), sorted by ``sort`` (largest first, the
    due time soonest first), with totals per currency: one page for a decision maker."""
    if sort not in SUMMARY_SORTS:
        raise InvalidInput(f"sort by one of {', '.join(SUMMARY_SORTS)}, not {sort!r}")
    if status not in ("active", "all", *OPEN, "resolved", "closed"):
        raise InvalidInput(f"status: active, all, or one status, not {status!r}")
    c = CUSTOMERS.c
    query = (
        select(CASES, c.external_id.label("customer_ref"), c.name.label("customer_name"))
        .select_from(CASES.outerjoin(CUSTOMERS, c.id == CASES.c.customer_id))
        .where(CASES.c.value_at_risk.is_not(None))
    )
    if status == "active":
        query = query.where(CASES.c.status.in_(OPEN))
    elif status != "all":
        query = query.where(CASES.c.status == status)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    cases = []
    for row in rows:
        details = dict(row.details or {})
        cases.append(
            {
                "id": row.id,
                "title": row.title,
                "rule": row.rule,
                "status": row.status,
                "priority": row.priority,
                "owner": row.owner,
                "team": row.team,
                "customer_id": row.customer_ref,
                "customer_name": row.customer_name,
                "opened_at": row.opened_at.isoformat(),
                "due_at": row.due_at.isoformat(),
                "overdue": row.status in OPEN and row.due_at < now,
                "value_at_risk": row.value_at_risk,
                "currency": row.currency,
                "order": details.get("order"),
                "order_value": details.get("order_value"),
                "delay_days": details.get("delay_days"),
                "delivered": details.get("delivered"),
                "clv": details.get("clv"),
                "tier": details.get("tier"),
                "expected_clv_lost": details.get("expected_clv_lost"),
                "explanation": details.get("explanation"),
            }
        )

    def key(case: dict[str, Any]) -> tuple[Any, ...]:
        if sort in ("due_at", "opened_at"):
            return (case[sort], case["id"])
        value = case.get(sort)
        return (value is None, -(value or 0.0), case["id"])

    cases.sort(key=key)
    totals: dict[str, dict[str, Any]] = {}
    for case in cases:
        total = totals.setdefault(
            case["currency"] or "XXX",
            {"currency": case["currency"] or "XXX", "cases": 0, "value_at_risk": 0.0,
             "expected_clv_lost": 0.0, "overdue": 0},
        )  # fmt: skip
        total["cases"] += 1
        total["value_at_risk"] = round(total["value_at_risk"] + (case["value_at_risk"] or 0), 2)
        total["expected_clv_lost"] = round(
            total["expected_clv_lost"] + (case["expected_clv_lost"] or 0), 2
        )
        total["overdue"] += case["overdue"]
    return {
        "as_of": now.isoformat(),
        "sort": sort,
        "status": status,
        "cases": cases[: max(1, min(limit, 10_000))],
        "total_cases": len(cases),
        "totals": sorted(totals.values(), key=lambda t: -t["value_at_risk"]),
        "definitions": DEFINITIONS,
    }
