"""Cases: every unhappy customer followed up, by someone, in time.

A case is opened by a rule on incoming feedback (:func:`run_rules`: by default every detractor
answer, every public review at or below 2 of 5, every urgent ticket) or by hand, for one
customer. An item belongs to one case at most; a new item from a customer with an open case
joins that case. Each case has a priority, a due time from the SLA of that priority
(:class:`SlaPolicy`), an owner and a team, a status (``open`` → ``in_progress`` / ``waiting``
→ ``resolved`` → ``closed``, reopenable) and a timeline of everything done. A case still open
past its due time is escalated: one level more for every SLA period past due, its priority one
step up, recorded on the timeline.

Every function takes ``now`` (naive UTC), so tests move the clock; :func:`run_rules` is
idempotent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, func, insert, select, update
from sqlalchemy import case as when

from advocacy.errors import InvalidInput, NotFound
from advocacy.store.tables import Case, CaseEvent, CaseItem, Customer, FeedbackItem

CASES = cast(Table, Case.__table__)
CASE_ITEMS = cast(Table, CaseItem.__table__)
EVENTS = cast(Table, CaseEvent.__table__)

PRIORITIES = ("low", "normal", "high", "urgent")
STATUSES = ("open", "in_progress", "waiting", "resolved", "closed")
OPEN = ("open", "in_progress", "waiting")
TYPES = ("detractor", "negative_review", "urgent_ticket", "proactive", "manual")
TRANSITIONS: dict[str, frozenset[str]] = {
    "open": frozenset({"in_progress", "waiting", "resolved", "closed"}),
    "in_progress": frozenset({"waiting", "resolved", "closed"}),
    "waiting": frozenset({"in_progress", "resolved", "closed"}),
    "resolved": frozenset({"closed", "in_progress"}),
    "closed": frozenset({"in_progress"}),
}
MAX_ESCALATION = 3
#: How far back the rules look for items without a case on their first run over a catalogue.
RULES_WINDOW = dt.timedelta(days=30)


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    """How long a case of each priority may stay unresolved. The defaults: urgent 4 hours,
    high 1 day, normal 3 days, low 7 days."""

    hours: dict[str, float] = field(
        default_factory=lambda: {"urgent": 4, "high": 24, "normal": 72, "low": 168}
    )

    def due(self, priority: str, opened: dt.datetime) -> dt.datetime:
        return opened + self.period(priority)

    def period(self, priority: str) -> dt.timedelta:
        return dt.timedelta(hours=self.hours[priority])


@dataclass
class RulesReport:
    """What a run of the rules did."""

    opened: int = 0
    joined: int = 0
    escalated: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"opened": self.opened, "joined": self.joined, "escalated": self.escalated}


def _check(value: str, allowed: Sequence[str], what: str) -> str:
    if value not in allowed:
        raise InvalidInput(f"{what}: one of {', '.join(allowed)}, not {value!r}")
    return value


def _event(connection: Connection, case_id: int, now: dt.datetime, actor: str, kind: str,
           **detail: Any) -> None:  # fmt: skip
    connection.execute(
        insert(EVENTS).values(case_id=case_id, at=now, actor=actor, kind=kind, detail=detail)
    )


def priority_of(kind: str, rating: float | None, scale: float | None) -> str:
    """The priority a rule gives an item: an urgent ticket is urgent; a detractor of 0–3 or a
    review of at most 1 of 5 is high; other detractors and reviews of 2 of 5 are normal."""
    if kind == "ticket":
        return "urgent"
    if rating is None:
        return "normal"
    if kind == "nps":
        return "high" if rating <= 3 else "normal"
    share = rating / (scale or 5)
    return "high" if share <= 0.2 else "normal"


def open_case(
    engine: Engine,
    *,
    now: dt.datetime,
    title: str,
    customer_id: int | None = None,
    type: str = "manual",
    priority: str = "normal",
    item_ids: Sequence[int] = (),
    actor: str = "system",
    rule: str | None = None,
    owner: str | None = None,
    team: str | None = None,
    policy: SlaPolicy | None = None,
) -> int:
    """Open a case and return its id; ``item_ids`` already in a case are refused."""
    _check(type, TYPES, "type")
    _check(priority, PRIORITIES, "priority")
    title = title.strip()
    if not 0 < len(title) <= 300:
        raise InvalidInput("title: 1 to 300 characters")
    with engine.begin() as connection:
        taken = connection.execute(
            select(CASE_ITEMS.c.feedback_item_id, CASE_ITEMS.c.case_id).where(
                CASE_ITEMS.c.feedback_item_id.in_(list(item_ids))
            )
        ).all()
        if taken:
            raise InvalidInput(
                ", ".join(f"item {item} is in case {case} already" for item, case in taken)
            )
        return _new_case(
            connection,
            now=now,
            title=title,
            customer_id=customer_id,
            type=type,
            priority=priority,
            item_ids=item_ids,
            actor=actor,
            rule=rule,
            owner=owner,
            team=team,
            policy=policy or SlaPolicy(),
        )


def _new_case(connection: Connection, *, now: dt.datetime, title: str, customer_id: int | None,
              type: str, priority: str, item_ids: Sequence[int], actor: str,
              rule: str | None, owner: str | None, team: str | None,
              policy: SlaPolicy) -> int:  # fmt: skip
    case_id = int(
        connection.execute(
            insert(CASES).values(
                customer_id=customer_id,
                type=type,
                rule=rule,
                title=title,
                priority=priority,
                status="open",
                owner=owner,
                team=team,
                opened_at=now,
                due_at=policy.due(priority, now),
                escalation_level=0,
                details={},
                updated_at=now,
            )
        ).inserted_primary_key[0]  # type: ignore[index]
    )
    _event(connection, case_id, now, actor, "opened", type=type, priority=priority, rule=rule)
    for item in item_ids:
        connection.execute(
            insert(CASE_ITEMS).values(feedback_item_id=item, case_id=case_id, added_at=now)
        )
        _event(connection, case_id, now, actor, "item_added", item_id=item)
    return case_id


_RULES = {
    "nps": ("detractor", "detractor answer"),
    "review": ("negative_review", "review at or below 2 of 5"),
    "ticket": ("urgent_ticket", "urgent ticket"),
}


def run_rules(
    engine: Engine,
    *,
    now: dt.datetime,
    policy: SlaPolicy | None = None,
    since: dt.datetime | None = None,
) -> RulesReport:
    """Open (or join) a case for every item the rules pick that has none, from ``since``
    (default: the last 30 days), and escalate what is past due. Running it again changes
    nothing new."""
    policy = policy or SlaPolicy()
    report = RulesReport()
    f, c = FeedbackItem.__table__.c, Customer.__table__.c
    picked = (
        ((f.kind == "nps") & (f.rating <= 6))
        | ((f.kind == "review") & (f.rating_normalized <= 0.4))
        | ((f.kind == "ticket") & (f.urgent.is_(True)))
    )
    without_case = (
        ~select(CASE_ITEMS.c.feedback_item_id).where(CASE_ITEMS.c.feedback_item_id == f.id).exists()
    )
    with engine.begin() as connection:
        items = connection.execute(
            select(f.id, f.kind, f.rating, f.rating_scale, f.customer_id, f.platform, c.name)
            .select_from(
                FeedbackItem.__table__.outerjoin(Customer.__table__, c.id == f.customer_id)
            )
            .where(
                picked,
                without_case,
                f.occurred_at >= (since or now - RULES_WINDOW),
                f.occurred_at <= now,
            )
            .order_by(f.occurred_at, f.id)
        ).all()
        for item in items:
            case_type, rule = _RULES[item.kind]
            priority = priority_of(item.kind, item.rating, item.rating_scale)
            existing = None
            if item.customer_id is not None:
                existing = connection.execute(
                    select(CASES.c.id, CASES.c.priority)
                    .where(CASES.c.customer_id == item.customer_id, CASES.c.status.in_(OPEN))
                    .order_by(CASES.c.opened_at)
                    .limit(1)
                ).first()
            if existing is not None:
                connection.execute(
                    insert(CASE_ITEMS).values(
                        feedback_item_id=item.id, case_id=existing.id, added_at=now
                    )
                )
                _event(connection, existing.id, now, "rules", "item_added", item_id=item.id,
                       rule=rule)  # fmt: skip
                if PRIORITIES.index(priority) > PRIORITIES.index(existing.priority):
                    connection.execute(
                        update(CASES)
                        .where(CASES.c.id == existing.id)
                        .values(priority=priority, updated_at=now)
                    )
                    _event(connection, existing.id, now, "rules", "priority", priority=priority)
                report.joined += 1
                continue
            who = item.name or (f"a {item.platform} reviewer" if item.platform else "a customer")
            _new_case(
                connection,
                now=now,
                title=f"{rule.capitalize()}: {who}",
                customer_id=item.customer_id,
                type=case_type,
                priority=priority,
                item_ids=[item.id],
                actor="rules",
                rule=rule,
                owner=None,
                team=None,
                policy=policy,
            )
            report.opened += 1
    report.escalated = escalate_overdue(engine, now=now)
    return report


def escalate_overdue(engine: Engine, *, now: dt.datetime) -> int:
    """Escalate open cases past due: one level for every SLA period (the one the case was
    given) past it, at most :data:`MAX_ESCALATION`, the priority one step up each time.
    Returns the cases escalated."""
    escalated = 0
    with engine.begin() as connection:
        late = connection.execute(
            select(
                CASES.c.id,
                CASES.c.opened_at,
                CASES.c.due_at,
                CASES.c.priority,
                CASES.c.escalation_level,
            ).where(
                CASES.c.status.in_(OPEN), CASES.c.due_at < now,
                CASES.c.escalation_level < MAX_ESCALATION,
            )
        ).all()  # fmt: skip
        for case in late:
            # The SLA the case was given: escalating it does not shorten the periods counted.
            period = max((case.due_at - case.opened_at).total_seconds(), 60.0)
            level = min(MAX_ESCALATION, 1 + int((now - case.due_at).total_seconds() // period))
            if level <= case.escalation_level:
                continue
            priority = PRIORITIES[min(PRIORITIES.index(case.priority) + 1, len(PRIORITIES) - 1)]
            connection.execute(
                update(CASES)
                .where(CASES.c.id == case.id)
                .values(escalation_level=level, escalated_at=now, priority=priority, updated_at=now)
            )
            _event(connection, case.id, now, "sla", "escalated", level=level, priority=priority,
                   overdue_hours=round((now - case.due_at).total_seconds() / 3600, 1))  # fmt: skip
            escalated += 1
    return escalated


def change_status(
    engine: Engine, case_id: int, status: str, *, now: dt.datetime, actor: str,
    note: str | None = None,
) -> None:  # fmt: skip
    """Move a case to ``status`` (allowed moves: :data:`TRANSITIONS`), with an optional note."""
    _check(status, STATUSES, "status")
    with engine.begin() as connection:
        current = connection.execute(
            select(CASES.c.status, CASES.c.first_response_at).where(CASES.c.id == case_id)
        ).first()
        if current is None:
            raise NotFound(f"no case {case_id}")
        if status not in TRANSITIONS[current.status]:
            raise InvalidInput(f"a case {current.status} cannot become {status}")
        values: dict[str, Any] = {"status": status, "updated_at": now}
        if current.first_response_at is None:
            values["first_response_at"] = now
        if status == "resolved":
            values["resolved_at"] = now
        if status == "closed":
            values["closed_at"] = now
        if status == "in_progress":  # reopened, or picked up
            values.update(resolved_at=None, closed_at=None)
        connection.execute(update(CASES).where(CASES.c.id == case_id).values(**values))
        _event(connection, case_id, now, actor, "status", status=status, was=current.status,
               **({"note": note} if note else {}))  # fmt: skip


def assign(
    engine: Engine, case_id: int, *, now: dt.datetime, actor: str, owner: str | None,
    team: str | None = None,
) -> None:  # fmt: skip
    """Give a case an owner (an e-mail) and a team."""
    with engine.begin() as connection:
        done = connection.execute(
            update(CASES)
            .where(CASES.c.id == case_id)
            .values(owner=owner, team=team, updated_at=now)
        ).rowcount
        if not done:
            raise NotFound(f"no case {case_id}")
        _event(connection, case_id, now, actor, "assigned", owner=owner, team=team)


def add_note(engine: Engine, case_id: int, text: str, *, now: dt.datetime, actor: str) -> None:
    """Write a note on a case's timeline (the first counts as its first response)."""
    text = text.strip()
    if not 0 < len(text) <= 10_000:
        raise InvalidInput("note: 1 to 10,000 characters")
    with engine.begin() as connection:
        done = connection.execute(
            update(CASES)
            .where(CASES.c.id == case_id)
            .values(first_response_at=func.coalesce(CASES.c.first_response_at, now), updated_at=now)
        ).rowcount
        if not done:
            raise NotFound(f"no case {case_id}")
        _event(connection, case_id, now, actor, "note", text=text)


def list_cases(
    engine: Engine,
    *,
    now: dt.datetime,
    status: str | None = None,
    type: str | None = None,
    owner: str | None = None,
    overdue: bool | None = None,
    customer_ref: str | None = None,
    limit: int = 200,
) -> list[dict[str, Any]]:
    """Cases, most urgent first (past due, then priority, then due time), JSON-ready."""
    c = Customer.__table__.c
    query = select(CASES, c.external_id.label("customer_ref")).select_from(
        CASES.outerjoin(Customer.__table__, c.id == CASES.c.customer_id)
    )
    if status == "active":
        query = query.where(CASES.c.status.in_(OPEN))
    elif status:
        query = query.where(CASES.c.status == _check(status, STATUSES, "status"))
    if type:
        query = query.where(CASES.c.type == _check(type, TYPES, "type"))
    if owner:
        query = query.where(CASES.c.owner == owner)
    if overdue is not None:
        late = CASES.c.status.in_(OPEN) & (CASES.c.due_at < now)
        query = query.where(late if overdue else ~late)
    if customer_ref:
        query = query.where(c.external_id == customer_ref)
    with engine.connect() as connection:
        # Most urgent first, in the database: the limit then keeps the most urgent ones.
        past_due = when((CASES.c.status.in_(OPEN) & (CASES.c.due_at < now), 0), else_=1)
        rank = when(*((CASES.c.priority == p, -i) for i, p in enumerate(PRIORITIES)), else_=0)
        query = query.order_by(past_due, rank, CASES.c.due_at, CASES.c.id)
        rows = connection.execute(query.limit(max(1, min(limit, 10_000)))).all()
        items: dict[int, list[int]] = {}
        if rows:
            for case_id, item_id in connection.execute(
                select(CASE_ITEMS.c.case_id, CASE_ITEMS.c.feedback_item_id)
                .where(CASE_ITEMS.c.case_id.in_([row.id for row in rows]))
                .order_by(CASE_ITEMS.c.added_at, CASE_ITEMS.c.feedback_item_id)
            ):
                items.setdefault(case_id, []).append(int(item_id))
    return [_document(row, items.get(row.id, []), now) for row in rows]


def _document(row: Any, item_ids: list[int], now: dt.datetime) -> dict[str, Any]:
    return {
        "id": row.id,
        "customer_id": row.customer_ref,
        "type": row.type,
        "rule": row.rule,
        "title": row.title,
        "status": row.status,
        "priority": row.priority,
        "owner": row.owner,
        "team": row.team,
        "opened_at": row.opened_at.isoformat(),
        "due_at": row.due_at.isoformat(),
        "overdue": row.status in OPEN and row.due_at < now,
        "escalation_level": row.escalation_level,
        "first_response_at": row.first_response_at.isoformat() if row.first_response_at else None,
        "resolved_at": row.resolved_at.isoformat() if row.resolved_at else None,
        "source_item_ids": item_ids,
        "value_at_risk": row.value_at_risk,
        "currency": row.currency,
    }


def get_case(engine: Engine, case_id: int, *, now: dt.datetime) -> dict[str, Any]:
    """One case with its timeline."""
    c = Customer.__table__.c
    with engine.connect() as connection:
        row = connection.execute(
            select(CASES, c.external_id.label("customer_ref"))
            .select_from(CASES.outerjoin(Customer.__table__, c.id == CASES.c.customer_id))
            .where(CASES.c.id == case_id)
        ).first()
        if row is None:
            raise NotFound(f"no case {case_id}")
        item_ids = [
            int(i)
            for i in connection.scalars(
                select(CASE_ITEMS.c.feedback_item_id)
                .where(CASE_ITEMS.c.case_id == case_id)
                .order_by(CASE_ITEMS.c.added_at, CASE_ITEMS.c.feedback_item_id)
            )
        ]
        events = connection.execute(
            select(EVENTS.c.at, EVENTS.c.actor, EVENTS.c.kind, EVENTS.c.detail)
            .where(EVENTS.c.case_id == case_id)
            .order_by(EVENTS.c.at, EVENTS.c.id)
        ).all()
    document = _document(row, item_ids, now)
    document["details"] = dict(row.details or {})
    document["timeline"] = [
        {"at": e.at.isoformat(), "actor": e.actor, "kind": e.kind, **dict(e.detail or {})}
        for e in events
    ]
    return document
