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
import json
import logging
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, func, insert, select, update
from sqlalchemy import case as when

from advocacy.errors import InvalidInput, NotFound
from advocacy.store.engine import connected
from advocacy.store.tables import Case, CaseEvent, CaseItem, CaseRule, Customer, FeedbackItem

CASES = cast(Table, Case.__table__)
RULE_SETTINGS = cast(Table, CaseRule.__table__)
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
#: The owner filter that keeps cases nobody owns yet.
UNASSIGNED = "none"
log = logging.getLogger(__name__)
#: How far back the rules look for items without a case on their first run over a catalogue.
RULES_WINDOW = dt.timedelta(days=30)


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    """How long a case may stay unresolved, by priority and type. The defaults: urgent 4
    hours, high 1 day, normal 3 days, low 7 days, whatever the type; ``by_type`` overrides the
    hours of some priorities for one type (e.g. proactive cases: high in 8 hours)."""

    hours: dict[str, float] = field(
        default_factory=lambda: {"urgent": 4, "high": 24, "normal": 72, "low": 168}
    )
    by_type: dict[str, dict[str, float]] = field(default_factory=dict)

    def due(self, priority: str, opened: dt.datetime, type: str | None = None) -> dt.datetime:
        return opened + self.period(priority, type)

    def period(self, priority: str, type: str | None = None) -> dt.timedelta:
        hours = self.by_type.get(type or "", {}).get(priority, self.hours[priority])
        return dt.timedelta(hours=hours)

    def as_dict(self) -> dict[str, Any]:
        return {"hours": dict(self.hours), "by_type": {k: dict(v) for k, v in self.by_type.items()}}


#: The row of ``case_rules`` that keeps the SLA policy.
SLA_SETTING = "sla"
MAX_SLA_HOURS = 24 * 365


def sla_policy(engine: Engine | Connection) -> SlaPolicy:
    """The SLA policy in force: the defaults with the hours set by ``set_sla`` over them."""
    query = select(RULE_SETTINGS.c.params).where(RULE_SETTINGS.c.name == SLA_SETTING)
    with connected(engine) as connection:
        params = connection.execute(query).scalar()
    base = SlaPolicy()
    if not params:
        return base
    return SlaPolicy(
        hours={**base.hours, **{k: float(v) for k, v in (params.get("hours") or {}).items()
                                if k in PRIORITIES}},
        by_type={t: {k: float(v) for k, v in hours.items() if k in PRIORITIES}
                 for t, hours in (params.get("by_type") or {}).items() if t in TYPES},
    )  # fmt: skip


def set_sla(
    engine: Engine, *, priority: str, hours: float | None, now: dt.datetime, actor: str,
    type: str | None = None,
) -> SlaPolicy:  # fmt: skip
    """Set how many hours cases of ``priority`` (of one ``type``, or of all) may take; ``hours``
    ``None`` goes back to the default (or, for a type, to the policy of all types). New cases
    get the new due time; open ones keep theirs."""
    _check(priority, PRIORITIES, "priority")
    if type is not None:
        _check(type, TYPES, "type")
    if hours is not None and not (0 < hours <= MAX_SLA_HOURS):
        raise InvalidInput(f"hours: more than 0 and at most {MAX_SLA_HOURS:,}")
    with engine.begin() as connection:
        current = sla_policy(connection).as_dict()
        default = SlaPolicy().hours
        if type is None:
            current["hours"][priority] = hours if hours is not None else default[priority]
        elif hours is None:
            current["by_type"].get(type, {}).pop(priority, None)
        else:
            current["by_type"].setdefault(type, {})[priority] = hours
        current["by_type"] = {t: h for t, h in current["by_type"].items() if h}
        current["hours"] = {k: v for k, v in current["hours"].items() if v != default[k]}
        values = {"enabled": True, "params": current, "updated_at": now, "updated_by": actor}
        found = connection.execute(
            update(RULE_SETTINGS).where(RULE_SETTINGS.c.name == SLA_SETTING).values(**values)
        ).rowcount
        if not found:
            connection.execute(insert(RULE_SETTINGS).values(name=SLA_SETTING, **values))
    return sla_policy(engine)


@dataclass
class RulesReport:
    """What a run of the rules did: cases opened (``proactive`` of them by proactive rules),
    findings that joined a customer's open case, cases escalated, and the plugin rules that
    failed (with why)."""

    opened: int = 0
    joined: int = 0
    escalated: int = 0
    proactive: int = 0
    errors: dict[str, str] = field(default_factory=dict)
    #: The rules not run this time: run less often than every round (``last_runs``).
    waiting: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        done: dict[str, Any] = {"opened": self.opened, "joined": self.joined,
                                "escalated": self.escalated}  # fmt: skip
        if self.proactive:
            done["proactive"] = self.proactive
        if self.waiting:
            done["waiting"] = list(self.waiting)
        if self.errors:
            done["errors"] = dict(self.errors)
        return done


def one_step_up(priority: str) -> str:
    """The priority above ``priority`` (urgent stays urgent)."""
    return PRIORITIES[min(PRIORITIES.index(priority) + 1, len(PRIORITIES) - 1)]


def _check(value: str, allowed: Sequence[str], what: str) -> str:
    if value not in allowed:
        raise InvalidInput(f"{what}: one of {', '.join(allowed)}, not {value!r}")
    return value


def _event(connection: Connection, case_id: int, now: dt.datetime, actor: str, kind: str,
           **detail: Any) -> None:  # fmt: skip
    connection.execute(
        insert(EVENTS).values(case_id=case_id, at=now, actor=actor, kind=kind, detail=detail)
    )


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
            policy=policy or sla_policy(connection),
        )


def open_case_about(
    engine: Engine,
    *,
    now: dt.datetime,
    actor: str,
    item_ids: Sequence[int] = (),
    customer_ref: str | None = None,
    title: str | None = None,
    priority: str = "normal",
    owner: str | None = None,
    team: str | None = None,
) -> int:
    """Open a case by hand about feedback items and/or a customer (their own id); the customer
    of the items when none is given. Returns the case's id."""
    f, c = FeedbackItem.__table__.c, Customer.__table__.c
    items = list(dict.fromkeys(int(i) for i in item_ids))
    if not items and not customer_ref:
        raise InvalidInput("a case is about feedback items, a customer, or both")
    if len(items) > 1000:
        raise InvalidInput("at most 1,000 items in a case")
    with engine.connect() as connection:
        customer_id, name = None, None
        if customer_ref:
            found = connection.execute(
                select(c.id, c.name).where(c.external_id == customer_ref.strip())
            ).first()
            if found is None:
                raise NotFound(f"no customer {customer_ref!r}")
            customer_id, name = found
        rows = connection.execute(
            select(f.id, f.customer_id, f.kind, c.name)
            .select_from(
                FeedbackItem.__table__.outerjoin(Customer.__table__, c.id == f.customer_id)
            )
            .where(f.id.in_(items))
        ).all()
    missing = sorted(set(items) - {row.id for row in rows})
    if missing:
        raise NotFound(f"no feedback item {missing[0]}")
    if customer_id is None:
        owners = {row.customer_id for row in rows if row.customer_id is not None}
        if len(owners) > 1:
            raise InvalidInput("the items are from different customers: name the customer")
        if owners:
            customer_id = owners.pop()
            name = next(row.name for row in rows if row.customer_id == customer_id)
    if not title:
        about = name or "a customer"
        title = f"Follow-up: {about}" if not rows else f"Follow-up of {rows[0].kind}: {about}"
    return open_case(
        engine, now=now, title=title, customer_id=customer_id, type="manual", priority=priority,
        item_ids=items, actor=actor, owner=owner, team=team,
    )  # fmt: skip


def language_code(value: str | None) -> str | None:
    """The language of a locale or language tag (``es-ES``, ``pt_BR`` → ``es``, ``pt``), or
    ``None`` when there is no two- or three-letter code in it (``unknown``)."""
    if not value:
        return None
    code = value.replace("_", "-").split("-")[0].strip().lower()
    return code if code.isalpha() and 2 <= len(code) <= 3 else None


def _language_of(connection: Connection, item_ids: Sequence[int],
                 customer_id: int | None) -> str | None:  # fmt: skip
    """A case's language: its first item's (as detected, else as given), else the customer's."""
    f = FeedbackItem.__table__.c
    if item_ids:
        found = connection.execute(
            select(func.coalesce(f.detected_language, f.language)).where(f.id.in_(list(item_ids)))
            .order_by(f.occurred_at, f.id).limit(1)
        ).scalar()  # fmt: skip
        if (code := language_code(found)) is not None:
            return code
    if customer_id is None:
        return None
    return language_code(
        connection.execute(
            select(Customer.__table__.c.locale).where(Customer.__table__.c.id == customer_id)
        ).scalar()
    )


def _new_case(connection: Connection, *, now: dt.datetime, title: str, customer_id: int | None,
              type: str, priority: str, item_ids: Sequence[int], actor: str,
              rule: str | None, owner: str | None, team: str | None,
              policy: SlaPolicy, dedupe_key: str | None = None,
              details: dict[str, Any] | None = None, value_at_risk: float | None = None,
              currency: str | None = None,
              tier: Callable[[], str | None] = lambda: None) -> int:  # fmt: skip
    from advocacy.services.advocate_programme import is_active_advocate
    from advocacy.services.case_rules import choose_assignee

    if is_active_advocate(connection, customer_id):  # respect: an advocate's case jumps the queue
        priority = one_step_up(priority)
        details = {**(details or {}), "advocate": True}
    language = _language_of(connection, item_ids, customer_id)
    assigned_by = None
    if owner is None and team is None:
        owner, team, assigned_by = choose_assignee(
            connection,
            {"type": type, "rule": rule, "language": language, "priority": priority, "tier": tier},
        )
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
                due_at=policy.due(priority, now, type),
                escalation_level=0,
                details=details or {},
                dedupe_key=dedupe_key,
                value_at_risk=value_at_risk,
                currency=currency,
                language=language,
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
    if assigned_by is not None:
        _event(connection, case_id, now, "assignment", "assigned", owner=owner, team=team,
               by_rule=assigned_by)  # fmt: skip
    return case_id


def run_rules(
    engine: Engine,
    *,
    now: dt.datetime,
    policy: SlaPolicy | None = None,
    since: dt.datetime | None = None,
    last_runs: MutableMapping[str, dt.datetime] | None = None,
) -> RulesReport:
    """Run every enabled rule (:mod:`advocacy.services.case_rules`) over the items of the last
    30 days (or from ``since``): open a case for each finding, or add its items to the
    customer's open case; then escalate what is past due. Running it again changes nothing
    new.

    With ``last_runs`` (the background worker's memory of when each rule last ran), a rule
    with an ``every`` (one that reads a long history) is left for a later round until that much
    time has passed since it last ran with the same parameters; without, every rule runs.
    """
    from advocacy.services import case_rules

    policy = policy or sla_policy(engine)
    report = RulesReport()
    book = case_rules.CustomerValueBook(engine, now)
    with engine.connect() as connection:
        rules = case_rules.effective(connection)
    shipped = {rule.name for rule in case_rules.SHIPPED}
    for rule, enabled, params in rules:
        if not enabled:
            continue
        every = getattr(rule, "every", None)
        memory = None  # the key of the rule's last run, when the caller keeps them
        if last_runs is not None and isinstance(every, dt.timedelta):
            memory = f"{rule.name}:{json.dumps(params, sort_keys=True, default=str)}"
            last = last_runs.get(memory)
            if last is not None and dt.timedelta(0) <= now - last < every:
                report.waiting.append(rule.name)
                continue
        try:
            with engine.begin() as connection:
                context = case_rules.RuleContext(
                    connection=connection, now=now, params=params,
                    since=since or now - RULES_WINDOW,
                )  # fmt: skip
                for finding in list(rule.find(context)):
                    _follow_up(connection, rule, finding, now=now, policy=policy, book=book,
                               report=report)  # fmt: skip
            if memory is not None and last_runs is not None:
                last_runs[memory] = now
        except Exception as exc:
            if rule.name in shipped:
                raise
            log.exception("the rule %s failed", rule.name)  # a plugin's fault stops only it
            report.errors[rule.name] = str(exc)[:500]
    report.escalated = escalate_overdue(engine, now=now)
    return report


def _follow_up(connection: Connection, rule: Any, finding: Any, *, now: dt.datetime,
               policy: SlaPolicy, book: Any, report: RulesReport) -> None:  # fmt: skip
    """Open (or join) the case of one finding, unless it has one already."""
    if (
        finding.key is not None
        and connection.execute(select(CASES.c.id).where(CASES.c.dedupe_key == finding.key)).first()
    ):
        return
    items = list(finding.item_ids)
    if items:
        taken = set(
            connection.scalars(
                select(CASE_ITEMS.c.feedback_item_id).where(
                    CASE_ITEMS.c.feedback_item_id.in_(items)
                )
            )
        )
        items = [item for item in items if item not in taken]
        if not items:
            return
    priority = _check(finding.priority, PRIORITIES, "priority")
    if finding.join_open_case and finding.customer_id is not None:
        existing = connection.execute(
            select(CASES.c.id, CASES.c.priority)
            .where(CASES.c.customer_id == finding.customer_id, CASES.c.status.in_(OPEN))
            .order_by(CASES.c.opened_at, CASES.c.id)
            .limit(1)
        ).first()
        if existing is not None:
            for item in items:
                connection.execute(
                    insert(CASE_ITEMS).values(
                        feedback_item_id=item, case_id=existing.id, added_at=now
                    )
                )
                _event(connection, existing.id, now, "rules", "item_added", item_id=item,
                       rule=rule.name)  # fmt: skip
            if PRIORITIES.index(priority) > PRIORITIES.index(existing.priority):
                connection.execute(
                    update(CASES)
                    .where(CASES.c.id == existing.id)
                    .values(priority=priority, updated_at=now)
                )
                _event(connection, existing.id, now, "rules", "priority", priority=priority)
            report.joined += 1
            return
    if finding.only_join:
        return
    details = dict(finding.details)
    value: dict[str, Any] = {}
    if rule.kind == "proactive":
        value = _value_of(finding, book)
        details.update(value)
        if value.get("tier") == "top" and PRIORITIES.index(priority) < PRIORITIES.index("high"):
            priority = "high"  # the most valuable customers are not kept waiting
    customer = finding.customer_id

    def tier() -> str | None:
        if "tier" in value:
            return str(value["tier"])
        row = book.of(customer) if customer is not None else None
        return None if row is None else str(row.get("tier"))

    with connection.begin_nested():  # a concurrent run that got there first wins, cleanly
        _new_case(
            connection,
            now=now,
            title=finding.title,
            customer_id=customer,
            type=rule.case_type,
            priority=priority,
            item_ids=items,
            actor="rules",
            rule=rule.name,
            owner=None,
            team=None,
            policy=policy,
            dedupe_key=finding.key,
            details=details,
            value_at_risk=value.get("value_at_risk"),
            currency=value.get("currency"),
            tier=tier,
        )
    report.opened += 1
    if rule.kind == "proactive":
        report.proactive += 1


def _value_of(finding: Any, book: Any) -> dict[str, Any]:
    """The value at risk of a proactive finding (see :mod:`advocacy.services.case_rules`)."""
    from advocacy.services.case_rules import value_at_risk

    details = finding.details
    if finding.customer_id is not None:
        return value_at_risk(
            book.of(finding.customer_id),
            order_value=details.get("order_value"),
            order_currency=details.get("order_currency"),
        )
    detractors = details.get("detractor_customer_ids") or []
    if not detractors:
        return {}
    totals: dict[str, float] = {}
    for customer_id in detractors:
        row = value_at_risk(book.of(customer_id))
        if row.get("currency"):
            totals[row["currency"]] = totals.get(row["currency"], 0.0) + row["expected_clv_lost"]
    if not totals:
        return {}
    currency = max(totals, key=lambda code: (totals[code], code))
    return {
        "currency": currency,
        "value_at_risk": round(totals[currency], 2),
        "value_by_currency": {code: round(total, 2) for code, total in sorted(totals.items())},
        "explanation": f"expected CLV lost if the {len(detractors)} detractors of the period "
        f"churn, in {currency}",
    }


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
            priority = one_step_up(case.priority)
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
    priority: str | None = None,
    team: str | None = None,
    rule: str | None = None,
) -> list[dict[str, Any]]:
    """Cases, most urgent first (past due, then priority, then due time), JSON-ready.
    ``owner`` :data:`UNASSIGNED` keeps the cases nobody owns yet."""
    c = Customer.__table__.c
    query = select(
        CASES, c.external_id.label("customer_ref"), c.name.label("customer_name")
    ).select_from(CASES.outerjoin(Customer.__table__, c.id == CASES.c.customer_id))
    if status == "active":
        query = query.where(CASES.c.status.in_(OPEN))
    elif status:
        query = query.where(CASES.c.status == _check(status, STATUSES, "status"))
    if type:
        query = query.where(CASES.c.type == _check(type, TYPES, "type"))
    if owner == UNASSIGNED:
        query = query.where(CASES.c.owner.is_(None))
    elif owner:
        query = query.where(CASES.c.owner == owner)
    if priority:
        query = query.where(CASES.c.priority == _check(priority, PRIORITIES, "priority"))
    if team:
        query = query.where(CASES.c.team == team)
    if rule:
        query = query.where(CASES.c.rule == rule)
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
        "customer_name": row.customer_name,
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
        "language": row.language,
    }


def get_case(engine: Engine, case_id: int, *, now: dt.datetime) -> dict[str, Any]:
    """One case with its timeline."""
    c = Customer.__table__.c
    with engine.connect() as connection:
        row = connection.execute(
            select(CASES, c.external_id.label("customer_ref"), c.name.label("customer_name"))
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


def status_counts(engine: Engine, *, now: dt.datetime) -> dict[str, int]:
    """How many cases are in each status, and how many open ones are past due (``overdue``)."""
    with engine.connect() as connection:
        counts = dict.fromkeys(STATUSES, 0)
        for status, count in connection.execute(
            select(CASES.c.status, func.count()).group_by(CASES.c.status)
        ):
            counts[status] = int(count)
        counts["overdue"] = int(
            connection.scalar(
                select(func.count()).where(CASES.c.status.in_(OPEN), CASES.c.due_at < now)
            )
            or 0
        )
    return counts
