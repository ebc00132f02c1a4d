"""The advocate programme: advocates kept over time, and the articles' six practices as work.

The articles' brand advocates expect respect, appreciation, accessibility, active listening,
recognition and presence. :func:`run_programme` turns what the catalogue knows into that work,
idempotently (every task and message has a dedupe key), on every worker round that has something
new to read and at least hourly otherwise:

- **lifecycle** — every customer :func:`advocacy.services.advocates.evaluate` finds is kept in
  ``advocates`` with their status since when; a change of status (``candidate`` → ``active`` →
  ``lapsed``, or back) is written to the advocate's log (``advocate_events``, kind ``status``)
  with the reasons. An advocate the evidence no longer supports (a detractor answer, a score
  under 25) becomes ``lapsed`` with the reason. A new advocate gets an owner: of the programme's
  ``owners``, the one who looks after the fewest advocates.
- **respect** — a case opened for an active advocate starts one priority higher
  (:func:`advocacy.services.cases.open_case` asks :func:`is_active_advocate`), and a customer who
  becomes active has their open cases raised the same way, on the case's timeline.
- **appreciation** — a thank-you in their language (template ``advocate_thanks``) is queued
  after each promoter answer or positive review of an advocate in the last 14 days, at most one
  every ``thank_you.min_days_between`` days (the others are recorded ``skipped`` with the
  reason); it goes ``thank_you.delay_hours`` later, so the owner can still cancel it.
- **accessibility** — the programme's ``contact`` (a direct e-mail or phone) is in every
  thank-you and on the advocate's page; a new active advocate gets a ``welcome`` task: call or
  write to give it to them.
- **active listening** — after each purchase of an active advocate (orders of the last 30 days)
  a personal feedback request of the ``listening_survey`` (the default survey if none) is queued
  in the surveys' outbox (trigger ``advocate-order:ID``), unless the order was surveyed already;
  the rules of contact (unsubscribe, consent) are honoured, the frequency rule is not — asking
  an advocate after each purchase is the practice.
- **recognition** — milestones (first promoter answer, three of them, first positive review,
  first and fifth referral, a year as an advocate) are logged when reached; the newest one gives
  the owner a ``reward`` task. :func:`give_reward` logs a reward against the yearly ``budget``
  and refuses one that would exceed it.
- **presence** — each positive public review or social post of an advocate in the last 14 days
  gives a task: thank them publicly for the review, share or answer the post.

The two practices that write to customers on their own — thank-yous and feedback requests — are
off until a lead turns them on (``thank_you``, ``listening``), as are review invitations.

Tasks have an owner (the advocate's) and a due date (``task_days`` after they are created); the
owner is reminded by e-mail when a task falls due and every ``reminder_hours`` after, at most
``max_reminders`` times (:func:`remind_due_tasks`). Everything done for an advocate — messages,
tasks done or skipped, rewards, notes, calls — is in their log.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, and_, exists, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from advocacy.config import Settings
from advocacy.errors import InvalidInput, NotFound
from advocacy.mail.smtp import Mailer, MailError, MailPermanentError
from advocacy.store.engine import connected
from advocacy.store.tables import (
    Advocate,
    AdvocateEvent,
    AdvocateReward,
    AdvocateSetting,
    AdvocateTask,
    Customer,
    FeedbackItem,
    Order,
)

log = logging.getLogger("advocacy.advocates")

ADVOCATES = cast(Table, Advocate.__table__)
EVENTS = cast(Table, AdvocateEvent.__table__)
TASKS = cast(Table, AdvocateTask.__table__)
REWARDS = cast(Table, AdvocateReward.__table__)
SETTINGS = cast(Table, AdvocateSetting.__table__)
_CUSTOMERS = cast(Table, Customer.__table__)
_ITEMS = cast(Table, FeedbackItem.__table__)
_ORDERS = cast(Table, Order.__table__)

PROGRAMME = "programme"  # the actor of what the programme does by itself
RECENT_WORK_DAYS = 14
LISTENING_DAYS = 30
EVALUATE_EVERY = dt.timedelta(hours=1)
TASK_KINDS = ("welcome", "reply_review", "share_post", "reward", "call", "other")
TASK_STATUSES = ("open", "done", "skipped")
LOG_KINDS = ("note", "call", "meeting", "gift", "other")
MILESTONES = {
    "first_promoter_answer": "first promoter answer",
    "three_promoter_answers": "three promoter answers",
    "first_positive_review": "first positive review",
    "first_referral": "first customer referred",
    "five_referrals": "five customers referred",
    "one_year": "a year as an advocate",
}
_STATE = "_state"
_CODE = re.compile(r"^[A-Z]{3}$")


# --- settings ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeSettings:
    """The programme's settings (``advocate_settings``), each with its default."""

    owners: tuple[str, ...] = ()
    contact: str | None = None
    budget_amount: float = 0.0
    budget_currency: str = "EUR"
    thank_you: bool = False
    thank_you_delay_hours: float = 24.0
    thank_you_min_days_between: int = 30
    listening: bool = False
    listening_survey: str | None = None
    review_invitations: bool = False
    review_delay_days: int = 7
    review_min_days_between: int = 90
    review_platforms: tuple[tuple[str, str], ...] = ()
    task_days: int = 3
    reminder_hours: float = 48.0
    max_reminders: int = 3

    def as_dict(self) -> dict[str, Any]:
        found = asdict(self)
        found["owners"] = list(self.owners)
        found["review_platforms"] = [{"name": n, "url": u} for n, u in self.review_platforms]
        return found


def _text(value: Any, name: str, limit: int) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str) or len(value.strip()) > limit or "\x00" in value:
        raise InvalidInput(f"{name}: text of at most {limit} characters")
    return " ".join(value.split())


def _number(value: Any, name: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{name}: a number from {low:g} to {high:g}, not {value!r}") from None
    if not math.isfinite(number) or not low <= number <= high:
        raise InvalidInput(f"{name}: a number from {low:g} to {high:g}, not {value!r}")
    return number


def _whole(value: Any, name: str, low: int, high: int) -> int:
    number = _number(value, name, low, high)
    if number != int(number):
        raise InvalidInput(f"{name}: a whole number from {low} to {high}, not {value!r}")
    return int(number)


def _flag(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "on", "1"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "no", "off", "0"):
        return False
    raise InvalidInput(f"{name}: true or false, not {value!r}")


def _owners(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [part for part in re.split(r"[,\s]+", value) if part]
    if not isinstance(value, list | tuple) or len(value) > 100:
        raise InvalidInput("owners: a list of at most 100 e-mail addresses")
    found = []
    for owner in value:
        address = str(owner).strip().lower()
        if not re.fullmatch(r"[^@\s<>\"']{1,200}@[^@\s<>\"']{1,118}", address):
            raise InvalidInput(f"owners: {str(owner)[:80]!r} is not an e-mail address")
        if address not in found:
            found.append(address)
    return tuple(found)


def _platforms(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list | tuple) or len(value) > 10:
        raise InvalidInput("review_platforms: a list of at most 10 {name, url}")
    found = []
    for platform in value:
        if not isinstance(platform, Mapping):
            raise InvalidInput("review_platforms: each one a {name, url}")
        name = _text(platform.get("name"), "review_platforms name", 60)
        url = str(platform.get("url") or "").strip()
        if not name or not re.fullmatch(r"https?://[^\s<>\"']{1,1990}", url):
            raise InvalidInput(f"review_platforms: a name and an http(s) address, not {url!r}")
        found.append((name, url))
    return tuple(found)


#: Every setting: how a value given is checked, and the field it sets.
_CHECKS: dict[str, Callable[[Any], Any]] = {
    "owners": _owners,
    "contact": lambda v: _text(v, "contact", 300),
    "budget_amount": lambda v: _number(v, "budget_amount", 0, 1e12),
    "budget_currency": lambda v: _currency(v),
    "thank_you": lambda v: _flag(v, "thank_you"),
    "thank_you_delay_hours": lambda v: _number(v, "thank_you_delay_hours", 0, 24 * 30),
    "thank_you_min_days_between": lambda v: _whole(v, "thank_you_min_days_between", 0, 3650),
    "listening": lambda v: _flag(v, "listening"),
    "listening_survey": lambda v: _text(v, "listening_survey", 64),
    "review_invitations": lambda v: _flag(v, "review_invitations"),
    "review_delay_days": lambda v: _whole(v, "review_delay_days", 0, 365),
    "review_min_days_between": lambda v: _whole(v, "review_min_days_between", 0, 3650),
    "review_platforms": _platforms,
    "task_days": lambda v: _whole(v, "task_days", 1, 365),
    "reminder_hours": lambda v: _number(v, "reminder_hours", 1, 24 * 365),
    "max_reminders": lambda v: _whole(v, "max_reminders", 0, 20),
}
SETTING_NAMES = tuple(_CHECKS)


def _currency(value: Any) -> str:
    code = str(value or "").strip().upper()
    if not _CODE.match(code):
        raise InvalidInput(f"budget_currency: a three-letter currency code, not {value!r}")
    return code


def programme_settings(engine: Engine | Connection) -> ProgrammeSettings:
    """The settings saved, over the defaults (a value saved before a rule changed and no
    longer valid is ignored, with a warning in the log)."""
    query = select(SETTINGS.c.name, SETTINGS.c.value).where(SETTINGS.c.name.in_(SETTING_NAMES))
    with connected(engine) as connection:
        rows = connection.execute(query).all()
    values: dict[str, Any] = {}
    for name, value in rows:
        try:
            values[name] = _CHECKS[name](value)
        except InvalidInput as exc:
            log.warning("advocate setting %s ignored: %s", name, exc)
    return ProgrammeSettings(**values)


def set_setting(
    engine: Engine, name: str, value: Any, *, actor: str, now: dt.datetime
) -> ProgrammeSettings:
    """Save one setting, checked; ``None`` (or an empty text) puts the default back."""
    return set_settings(engine, {name: value}, actor=actor, now=now)


def set_settings(
    engine: Engine, values: Mapping[str, Any], *, actor: str, now: dt.datetime
) -> ProgrammeSettings:
    """Save settings, all or none: every value is checked before anything is saved, then they
    are saved in one transaction; ``None`` (or an empty text) puts a default back. Review
    invitations may be turned on with the platforms they invite to, saved or given here.

    Raises
    ------
    InvalidInput
        For an unknown name or a bad value (the first), with nothing saved.
    """
    if not values:
        raise InvalidInput(f"settings: some of {', '.join(SETTING_NAMES)}")
    stored: dict[str, Any] = {}
    checked: dict[str, Any] = {}
    for name, value in values.items():
        if name not in _CHECKS:
            raise InvalidInput(f"no advocate setting {name!r}: one of {', '.join(SETTING_NAMES)}")
        checked[name] = None if value is None or value == "" else _CHECKS[name](value)
        stored[name] = checked[name]
        if name == "review_platforms" and checked[name]:
            stored[name] = [{"name": n, "url": u} for n, u in checked[name]]
        elif isinstance(checked[name], tuple):
            stored[name] = list(checked[name])
    if checked.get("review_invitations"):
        platforms = (
            checked["review_platforms"]
            if "review_platforms" in checked
            else programme_settings(engine).review_platforms
        )
        if not platforms:
            raise InvalidInput("review_invitations: add the review platforms to invite to first")
    _save(engine, stored, actor=actor, now=now)
    return programme_settings(engine)


def _save(engine: Engine, values: Mapping[str, Any], *, actor: str, now: dt.datetime) -> None:
    """Save settings (``None``: delete one) in one transaction."""
    for _attempt in range(2):
        try:
            with engine.begin() as connection:
                for name, value in values.items():
                    _save_in(connection, name, value, actor=actor, now=now)
            return
        except IntegrityError:  # one saved by someone else meanwhile: update theirs
            continue


def _save_in(
    connection: Connection, name: str, value: Any, *, actor: str, now: dt.datetime
) -> None:
    s = SETTINGS.c
    if value is None:
        connection.execute(SETTINGS.delete().where(s.name == name))
        return
    values = {"value": value, "updated_at": now, "updated_by": actor}
    if not connection.execute(update(SETTINGS).where(s.name == name).values(**values)).rowcount:
        connection.execute(insert(SETTINGS).values(name=name, **values))


# --- the log -----------------------------------------------------------------------------------


def log_event(
    connection: Connection, customer_id: int, kind: str, *, now: dt.datetime, actor: str,
    **detail: Any,
) -> None:  # fmt: skip
    """Write one entry of an advocate's log."""
    connection.execute(
        insert(EVENTS).values(
            customer_id=customer_id, at=now, actor=actor, kind=kind, detail=detail
        )
    )


def customer_id_of(connection: Connection, customer_ref: str) -> int:
    """The catalogue's id of the customer known to the company as ``customer_ref``."""
    found = connection.scalar(
        select(_CUSTOMERS.c.id).where(_CUSTOMERS.c.external_id == str(customer_ref))
    )
    if found is None:
        raise NotFound(f"no customer {str(customer_ref)[:200]!r}")
    return int(found)


def add_log_entry(
    engine: Engine, customer_ref: str, kind: str, text: str, *, actor: str, now: dt.datetime
) -> dict[str, Any]:
    """Write what someone did for an advocate (a call, a meeting, a gift, a note) in their log."""
    one_of(kind, LOG_KINDS, "kind")
    text = (text or "").strip()
    if not 0 < len(text) <= 2_000:
        raise InvalidInput("text: 1 to 2,000 characters")
    with engine.begin() as connection:
        customer_id = customer_id_of(connection, customer_ref)
        _require_advocate(connection, customer_id, customer_ref)
        log_event(connection, customer_id, kind, now=now, actor=actor, text=text)
    return {"customer_id": customer_ref, "kind": kind, "text": text, "at": now.isoformat()}


def _require_advocate(connection: Connection, customer_id: int, customer_ref: str) -> Any:
    row = connection.execute(
        select(ADVOCATES).where(ADVOCATES.c.customer_id == customer_id)
    ).first()
    if row is None:
        raise NotFound(f"customer {customer_ref[:200]!r} is not in the advocate programme")
    return row


# --- respect -----------------------------------------------------------------------------------


def is_active_advocate(connection: Connection, customer_id: int | None) -> bool:
    """Whether the customer is an active advocate now (their cases jump the queue)."""
    if customer_id is None:
        return False
    status = connection.scalar(
        select(ADVOCATES.c.status).where(ADVOCATES.c.customer_id == customer_id)
    )
    return status == "active"


def _raise_open_cases(connection: Connection, customer_id: int, now: dt.datetime) -> int:
    from advocacy.services.cases import CASES, OPEN, _event, one_step_up

    raised = 0
    for case in connection.execute(
        select(CASES.c.id, CASES.c.priority, CASES.c.details).where(
            CASES.c.customer_id == customer_id, CASES.c.status.in_(OPEN)
        )
    ).all():
        if (case.details or {}).get("advocate"):
            continue  # opened for the advocate already, or raised before
        priority = one_step_up(case.priority)
        connection.execute(
            update(CASES)
            .where(CASES.c.id == case.id)
            .values(priority=priority, details={**(case.details or {}), "advocate": True},
                    updated_at=now)
        )  # fmt: skip
        _event(connection, case.id, now, PROGRAMME, "priority", priority=priority,
               reason="the customer is a brand advocate")  # fmt: skip
        raised += 1
    return raised


# --- a round of the programme ------------------------------------------------------------------


@dataclass
class ProgrammeReport:
    """What one round of the programme did."""

    evaluated: bool = False
    advocates: int = 0
    changes: dict[str, int] = field(default_factory=dict)
    tasks: dict[str, int] = field(default_factory=dict)
    messages: dict[str, int] = field(default_factory=dict)
    feedback_requests: dict[str, int] = field(default_factory=dict)
    milestones: int = 0
    cases_raised: int = 0
    referrals: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _marker(connection: Connection) -> dict[str, Any]:
    return {
        "items": int(connection.scalar(select(func.max(_ITEMS.c.id))) or 0),
        "orders": int(connection.scalar(select(func.max(_ORDERS.c.id))) or 0),
        "referrals": int(
            connection.scalar(select(func.count()).select_from(_referrals_table())) or 0
        ),
    }


def _referrals_table() -> Table:
    from advocacy.store.tables import Referral

    return cast(Table, Referral.__table__)


def run_programme(
    engine: Engine, settings: Settings, *, now: dt.datetime, force: bool = False
) -> ProgrammeReport:
    """One round of the programme (the module's rules). Without ``force`` it reads the catalogue
    only when something landed since the last round, or an hour has gone by."""
    report = ProgrammeReport()
    with engine.connect() as connection:
        marker = _marker(connection)
        state = connection.scalar(select(SETTINGS.c.value).where(SETTINGS.c.name == _STATE))
    if not force and isinstance(state, dict) and state.get("marker") == marker:
        last = dt.datetime.fromisoformat(str(state.get("at")))
        if dt.timedelta(0) <= now - last < EVALUATE_EVERY:
            return report
    options = programme_settings(engine)
    report.referrals = _attribute_imported(engine, now)
    from advocacy.services.advocates import evaluate

    evaluation = evaluate(engine, now=now)
    report.evaluated = True
    with engine.begin() as connection:
        newly_active = _keep_statuses(connection, evaluation, options, now, report)
        for customer_id in newly_active:
            report.cases_raised += _raise_open_cases(connection, customer_id, now)
            _task(connection, report, customer_id, "welcome", now=now, options=options,
                  key=f"welcome:{customer_id}",
                  title="Welcome them and give them the direct contact")  # fmt: skip
        active = _advocate_rows(connection)
        _presence(connection, evaluation, active, options, now, report)
        _milestones(connection, evaluation, active, options, now, report)
    from advocacy.services import customer_messages, referrals

    for customer_id in newly_active:  # their link to bring others
        referrals.issue_code(engine, customer_id, now=now, actor=PROGRAMME)
    report.messages = customer_messages.queue_thanks(engine, settings, evaluation, now=now)
    if options.review_invitations:
        invited = customer_messages.invite_reviews(engine, settings, now=now)
        report.messages.update({f"review_{k}": v for k, v in invited.items()})
    if options.listening:
        report.feedback_requests = _listening(engine, settings, options, now)
    _save(engine, {_STATE: {"marker": marker, "at": now.isoformat()}}, actor=PROGRAMME, now=now)
    return report


def _attribute_imported(engine: Engine, now: dt.datetime) -> dict[str, Any]:
    from advocacy.services.referrals import attribute_from_imports

    return dict(attribute_from_imports(engine, now=now))


def _advocate_rows(connection: Connection) -> dict[int, Any]:
    return {row.customer_id: row for row in connection.execute(select(ADVOCATES)).all()}


def _pick_owner(connection: Connection, owners: Sequence[str]) -> str | None:
    if not owners:
        return None
    counts: dict[str, int] = dict(
        connection.execute(
            select(ADVOCATES.c.owner, func.count())
            .where(ADVOCATES.c.owner.in_(owners), ADVOCATES.c.status != "lapsed")
            .group_by(ADVOCATES.c.owner)
        ).all()
    )
    return min(owners, key=lambda owner: (counts.get(owner, 0), owners.index(owner)))


def _keep_statuses(
    connection: Connection, evaluation: Any, options: ProgrammeSettings, now: dt.datetime,
    report: ProgrammeReport,
) -> list[int]:  # fmt: skip
    """Bring ``advocates`` up to the evaluation; the customers who became active."""
    known = _advocate_rows(connection)
    changes: Counter[str] = Counter()
    newly_active = []
    for customer_id, found in evaluation.advocates.items():
        row = known.get(customer_id)
        status, score, reasons = found["status"], found["score"], found["reasons"]
        if row is None:
            connection.execute(
                insert(ADVOCATES).values(
                    customer_id=customer_id, status=status, score=score, reasons=reasons,
                    since=now, first_seen_at=now, evaluated_at=now,
                    owner=None if status == "lapsed" else _pick_owner(connection, options.owners),
                )
            )  # fmt: skip
            log_event(connection, customer_id, "status", now=now, actor=PROGRAMME,
                      previous=None, status=status, score=score, reasons=reasons)  # fmt: skip
            changes[f"new_{status}"] += 1
        else:
            values: dict[str, Any] = {"score": score, "reasons": reasons, "evaluated_at": now}
            if row.status != status:
                values.update(status=status, since=now)
                log_event(connection, customer_id, "status", now=now, actor=PROGRAMME,
                          previous=row.status, status=status, score=score,
                          reasons=reasons)  # fmt: skip
                changes[f"{row.status}_to_{status}"] += 1
            if row.owner is None and options.owners and status != "lapsed":
                values["owner"] = _pick_owner(connection, options.owners)
            connection.execute(
                update(ADVOCATES).where(ADVOCATES.c.customer_id == customer_id).values(**values)
            )
        if status == "active" and (row is None or row.status != "active"):
            newly_active.append(customer_id)
    for customer_id, row in known.items():
        if customer_id in evaluation.advocates or row.status == "lapsed":
            continue
        reasons = evaluation.excluded.get(customer_id) or ["no positive evidence left"]
        reasons = [f"no longer an advocate: {reason}" for reason in reasons]
        connection.execute(
            update(ADVOCATES)
            .where(ADVOCATES.c.customer_id == customer_id)
            .values(status="lapsed", since=now, reasons=reasons, evaluated_at=now)
        )
        log_event(connection, customer_id, "status", now=now, actor=PROGRAMME,
                  previous=row.status, status="lapsed", score=row.score,
                  reasons=reasons)  # fmt: skip
        changes[f"{row.status}_to_lapsed"] += 1
    report.advocates = len(evaluation.advocates)
    report.changes = dict(changes)
    return newly_active


def _task(
    connection: Connection, report: ProgrammeReport | None, customer_id: int, kind: str, *,
    now: dt.datetime, options: ProgrammeSettings, key: str | None, title: str,
    item_id: int | None = None, order_id: int | None = None,
    details: dict[str, Any] | None = None, owner: str | None = None, actor: str = PROGRAMME,
    due_at: dt.datetime | None = None,
) -> int | None:  # fmt: skip
    """Create a task unless one with ``key`` exists; its id, or ``None`` when it did."""
    if key is not None and connection.scalar(select(TASKS.c.id).where(TASKS.c.dedupe_key == key)):
        return None
    if owner is None:
        owner = connection.scalar(
            select(ADVOCATES.c.owner).where(ADVOCATES.c.customer_id == customer_id)
        )
    due = due_at or now + dt.timedelta(days=options.task_days)
    try:
        with connection.begin_nested():
            task_id = connection.execute(
                insert(TASKS).values(
                    customer_id=customer_id, kind=kind, title=title[:300], status="open",
                    owner=owner, created_at=now, due_at=due, feedback_item_id=item_id,
                    order_id=order_id, reminders=0, next_reminder_at=due if owner else None,
                    dedupe_key=key, details=details or {},
                )
            ).inserted_primary_key[0]  # type: ignore[index]  # fmt: skip
    except IntegrityError:  # a concurrent round made it first
        return None
    log_event(connection, customer_id, "task_created", now=now, actor=actor, task_id=task_id,
              task=kind, title=title[:300], owner=owner, due=due.isoformat())  # fmt: skip
    if report is not None:
        report.tasks[kind] = report.tasks.get(kind, 0) + 1
    return int(task_id)


def _presence(
    connection: Connection, evaluation: Any, active: Mapping[int, Any],
    options: ProgrammeSettings, now: dt.datetime, report: ProgrammeReport,
) -> None:  # fmt: skip
    """A task for each recent positive public review or post of an advocate."""
    since = (now - dt.timedelta(days=RECENT_WORK_DAYS)).date().isoformat()
    for customer_id, found in evaluation.advocates.items():
        if found["status"] == "lapsed" or customer_id not in active:
            continue
        name = found["name"] or found["customer_id"]
        for review in found["evidence"]["positive_reviews"]:
            if review["at"] >= since:
                where = review.get("platform") or "a review site"
                _task(connection, report, customer_id, "reply_review", now=now, options=options,
                      key=f"presence:item:{review['item_id']}", item_id=review["item_id"],
                      title=f"Thank {name} publicly for their review on {where}")  # fmt: skip
        for post in found["evidence"]["social_posts"]:
            if post["at"] >= since:
                where = post.get("network") or "social media"
                _task(connection, report, customer_id, "share_post", now=now, options=options,
                      key=f"presence:item:{post['item_id']}", item_id=post["item_id"],
                      title=f"Share or answer {name}'s post on {where}",
                      details={"url": post.get("url")})  # fmt: skip


def reached_milestones(found: Mapping[str, Any], first_seen: dt.datetime | None,
                       now: dt.datetime) -> list[str]:  # fmt: skip
    """The milestones an advocate's evidence has reached, oldest kind first."""
    evidence = found["evidence"]
    promoters = len(evidence["promoter_answers"])
    referred = len(evidence.get("referrals", []))
    reached = []
    if promoters >= 1:
        reached.append("first_promoter_answer")
    if promoters >= 3:
        reached.append("three_promoter_answers")
    if evidence["positive_reviews"]:
        reached.append("first_positive_review")
    if referred >= 1:
        reached.append("first_referral")
    if referred >= 5:
        reached.append("five_referrals")
    if first_seen is not None and now - first_seen >= dt.timedelta(days=365):
        reached.append("one_year")
    return reached


def _milestones(
    connection: Connection, evaluation: Any, rows: Mapping[int, Any],
    options: ProgrammeSettings, now: dt.datetime, report: ProgrammeReport,
) -> None:  # fmt: skip
    """Log the milestones active advocates reached; the newest gives a reward task."""
    logged: dict[int, set[str]] = {}
    for customer_id, detail in connection.execute(
        select(EVENTS.c.customer_id, EVENTS.c.detail).where(EVENTS.c.kind == "milestone")
    ):
        logged.setdefault(customer_id, set()).add(str((detail or {}).get("milestone")))
    for customer_id, found in evaluation.advocates.items():
        row = rows.get(customer_id)
        if found["status"] != "active" or row is None:
            continue
        new = [m for m in reached_milestones(found, row.first_seen_at, now)
               if m not in logged.get(customer_id, set())]  # fmt: skip
        for milestone in new:
            log_event(connection, customer_id, "milestone", now=now, actor=PROGRAMME,
                      milestone=milestone, title=MILESTONES[milestone])  # fmt: skip
            report.milestones += 1
        if new:
            name = found["name"] or found["customer_id"]
            _task(connection, report, customer_id, "reward", now=now, options=options,
                  key=f"milestone:{customer_id}:{new[-1]}",
                  title=f"Recognise {name}: {MILESTONES[new[-1]]}",
                  details={"milestone": new[-1]})  # fmt: skip


def _listening(
    engine: Engine, settings: Settings, options: ProgrammeSettings, now: dt.datetime
) -> dict[str, int]:
    """Queue a feedback request after each recent purchase of an active advocate."""
    from advocacy.services.invitations import (
        insert_ignoring_duplicates,
        invitation_row,
    )
    from advocacy.services.surveys import (
        INVITATIONS,
        contact_facts,
        default_survey,
        get_survey,
        policy_of,
    )
    from advocacy.surveys import rules
    from advocacy.surveys.texts import language_of

    o, c, i = _ORDERS.c, _CUSTOMERS.c, INVITATIONS.c
    surveyed = exists().where(i.order_id == o.id, i.status.not_in(("skipped", "failed")))
    with engine.connect() as connection:
        orders = connection.execute(
            select(o.id, o.customer_id, o.external_id, c.locale, c.email)
            .join(ADVOCATES, ADVOCATES.c.customer_id == o.customer_id)
            .join(_CUSTOMERS, c.id == o.customer_id)
            .where(
                ADVOCATES.c.status == "active",
                o.ordered_at >= now - dt.timedelta(days=LISTENING_DAYS),
                o.ordered_at <= now,
                func.coalesce(o.status, "") != "cancelled",
                ~surveyed,
            )
            .order_by(o.ordered_at, o.id)
            .limit(5_000)
        ).all()
    if not orders:
        return {}
    try:  # only now: the default survey is made the first time it is needed
        if options.listening_survey:
            survey = get_survey(engine, options.listening_survey)
        else:
            survey = default_survey(engine, now=now)
    except (NotFound, InvalidInput) as exc:
        log.warning("advocates' feedback requests wait: %s", exc)
        return {"waiting": len(orders)}
    if not survey.active:
        return {"waiting": len(orders)}
    done: Counter[str] = Counter()
    with engine.begin() as connection:
        facts = contact_facts(connection, [row.customer_id for row in orders])
        policy = policy_of(survey, settings)
        for row in orders:
            reason = rules.refusal(facts[row.customer_id], policy, now, needs_email=True,
                                   check_frequency=False)  # fmt: skip
            language = language_of(row.locale, dict.fromkeys(survey.languages),
                                   survey.default_language)  # fmt: skip
            values = invitation_row(
                survey, customer_id=row.customer_id, order_id=row.id, channel="email",
                language=language, email=row.email, status="skipped" if reason else "queued",
                error=reason, now=now, trigger_key=f"advocate-order:{row.id}",
            )  # fmt: skip
            if not insert_ignoring_duplicates(connection, values):
                continue
            done["skipped" if reason else "queued"] += 1
            log_event(connection, row.customer_id, "feedback_request", now=now,
                      actor=PROGRAMME, survey=survey.key, order=row.external_id,
                      status="skipped" if reason else "queued", reason=reason)  # fmt: skip
    return dict(done)


# --- tasks -------------------------------------------------------------------------------------


def _task_query() -> Any:
    c = _CUSTOMERS.c
    return select(TASKS, c.external_id.label("customer_ref"), c.name.label("customer_name")).join(
        _CUSTOMERS, c.id == TASKS.c.customer_id
    )


def _task_document(row: Any, now: dt.datetime) -> dict[str, Any]:
    def when(value: dt.datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "id": row.id,
        "customer_id": row.customer_ref,
        "customer_name": row.customer_name,
        "kind": row.kind,
        "title": row.title,
        "status": row.status,
        "owner": row.owner,
        "created_at": when(row.created_at),
        "due_at": when(row.due_at),
        "overdue": row.status == "open" and row.due_at < now,
        "done_at": when(row.done_at),
        "done_by": row.done_by,
        "note": row.note,
        "feedback_item_id": row.feedback_item_id,
        "reminders": row.reminders,
        "details": row.details or {},
    }


UNASSIGNED = "-"


def one_of(value: str, allowed: Sequence[str], name: str) -> str:
    """``value`` when it is one of ``allowed``; InvalidInput naming them otherwise."""
    if value not in allowed:
        raise InvalidInput(f"{name}: one of {', '.join(allowed)}, not {str(value)[:40]!r}")
    return value


def _owned_by(column: Any, owner: str) -> Any:
    """Rows of ``owner`` (an e-mail), or of nobody for :data:`UNASSIGNED`."""
    return column.is_(None) if owner == UNASSIGNED else column == owner.strip().lower()


def list_tasks(
    engine: Engine, *, now: dt.datetime, status: str | None = "open", owner: str | None = None,
    kind: str | None = None, overdue: bool | None = None, customer_ref: str | None = None,
    limit: int = 200,
) -> list[dict[str, Any]]:  # fmt: skip
    """Tasks, the first due first; ``owner`` :data:`UNASSIGNED` keeps those nobody owns."""
    t = TASKS.c
    query = _task_query()
    if status:
        query = query.where(t.status == one_of(status, TASK_STATUSES, "status"))
    if kind:
        query = query.where(t.kind == one_of(kind, TASK_KINDS, "kind"))
    if owner:
        query = query.where(_owned_by(t.owner, owner))
    if overdue is not None:
        late = and_(t.status == "open", t.due_at < now)
        query = query.where(late if overdue else ~late)
    if customer_ref:
        query = query.where(_CUSTOMERS.c.external_id == customer_ref)
    order = (t.due_at, t.id) if status == "open" else (t.due_at.desc(), t.id.desc())
    with engine.connect() as connection:
        rows = connection.execute(query.order_by(*order).limit(max(1, min(limit, 10_000)))).all()
    return [_task_document(row, now) for row in rows]


def task_counts(engine: Engine, *, now: dt.datetime) -> dict[str, int]:
    """Open tasks, those overdue and those nobody owns."""
    t = TASKS.c
    with engine.connect() as connection:
        row = connection.execute(
            select(
                func.count(),
                func.count().filter(t.due_at < now),
                func.count().filter(t.owner.is_(None)),
            ).where(t.status == "open")
        ).one()
    return {"open": int(row[0]), "overdue": int(row[1]), "unassigned": int(row[2])}


def _open_task(connection: Connection, task_id: int) -> Any:
    row = connection.execute(select(TASKS).where(TASKS.c.id == task_id)).first()
    if row is None:
        raise NotFound(f"no advocate task {task_id}")
    if row.status != "open":
        raise InvalidInput(f"task {task_id} is {row.status} already")
    return row


def finish_task(
    engine: Engine, task_id: int, *, actor: str, now: dt.datetime, note: str | None = None,
    skipped: bool = False,
) -> dict[str, Any]:  # fmt: skip
    """Mark a task done (or skipped), with an optional note; written in the advocate's log."""
    note = (note or "").strip() or None
    if note is not None and len(note) > 1_000:
        raise InvalidInput("note: at most 1,000 characters")
    status = "skipped" if skipped else "done"
    with engine.begin() as connection:
        row = _open_task(connection, task_id)
        done = connection.execute(
            update(TASKS)
            .where(TASKS.c.id == task_id, TASKS.c.status == "open")
            .values(status=status, done_at=now, done_by=actor, note=note, next_reminder_at=None)
        ).rowcount
        if not done:
            raise InvalidInput(f"task {task_id} was closed meanwhile")
        log_event(connection, row.customer_id, f"task_{status}", now=now, actor=actor,
                  task_id=task_id, task=row.kind, title=row.title, note=note)  # fmt: skip
    return get_task(engine, task_id, now=now)


def assign_task(
    engine: Engine, task_id: int, owner: str | None, *, actor: str, now: dt.datetime
) -> dict[str, Any]:
    """Give an open task to ``owner`` (``None``: nobody); the reminders follow the owner."""
    owner = _owners([owner])[0] if owner else None
    with engine.begin() as connection:
        row = _open_task(connection, task_id)
        connection.execute(
            update(TASKS)
            .where(TASKS.c.id == task_id)
            .values(owner=owner, next_reminder_at=max(row.due_at, now) if owner else None,
                    reminders=0)
        )  # fmt: skip
        log_event(connection, row.customer_id, "task_assigned", now=now, actor=actor,
                  task_id=task_id, owner=owner)  # fmt: skip
    return get_task(engine, task_id, now=now)


def create_task(
    engine: Engine, customer_ref: str, title: str, *, kind: str = "other", due: dt.datetime,
    owner: str | None, actor: str, now: dt.datetime,
) -> dict[str, Any]:  # fmt: skip
    """A task someone sets for an advocate by hand (a call, a gift to send, …)."""
    one_of(kind, TASK_KINDS, "kind")
    title = " ".join((title or "").split())
    if not 0 < len(title) <= 300:
        raise InvalidInput("title: 1 to 300 characters")
    if due < now - dt.timedelta(days=1) or due > now + dt.timedelta(days=3650):
        raise InvalidInput("due: from today to ten years ahead")
    checked_owner = _owners([owner])[0] if owner else None
    with engine.begin() as connection:
        customer_id = customer_id_of(connection, customer_ref)
        advocate = _require_advocate(connection, customer_id, customer_ref)
        task_id = _task(connection, None, customer_id, kind, now=now,
                        options=ProgrammeSettings(), key=None, title=title,
                        owner=checked_owner or advocate.owner, actor=actor,
                        due_at=due)  # fmt: skip
    return get_task(engine, int(task_id or 0), now=now)


def get_task(engine: Engine, task_id: int, *, now: dt.datetime) -> dict[str, Any]:
    with engine.connect() as connection:
        row = connection.execute(_task_query().where(TASKS.c.id == task_id)).first()
    if row is None:
        raise NotFound(f"no advocate task {task_id}")
    return _task_document(row, now)


@dataclass
class ReminderReport:
    """What one round of reminders did."""

    sent: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def remind_due_tasks(
    engine: Engine, settings: Settings, mailer: Mailer | None, *, now: dt.datetime,
    limit: int = 200,
) -> ReminderReport:  # fmt: skip
    """E-mail the owners of the open tasks that fell due (and every ``reminder_hours`` after,
    at most ``max_reminders`` times). A reminder is claimed before it is sent, so two workers
    never send the same one; one the mail server refuses for now is tried again in ten minutes."""
    from advocacy.services import staff_mail

    report = ReminderReport()
    if mailer is None:
        return report
    options = programme_settings(engine)
    t = TASKS.c
    due = and_(t.status == "open", t.owner.is_not(None), t.next_reminder_at <= now)
    try:
        with mailer.connect() as send:
            for _ in range(limit):
                with engine.begin() as connection:
                    row = connection.execute(
                        _task_query().where(due).order_by(t.next_reminder_at, t.id).limit(1)
                    ).first()
                    if row is None:
                        break
                    count = row.reminders + 1
                    more = count < options.max_reminders
                    after = now + dt.timedelta(hours=options.reminder_hours) if more else None
                    if not connection.execute(
                        update(TASKS)
                        .where(t.id == row.id, t.next_reminder_at == row.next_reminder_at)
                        .values(reminders=count, next_reminder_at=after)
                    ).rowcount:
                        continue
                if options.max_reminders == 0:
                    continue
                try:
                    language = staff_mail.staff_language(engine, row.owner)
                    send(staff_mail.task_reminder(settings, row, now=now, language=language))
                except MailPermanentError as exc:
                    report.failed += 1
                    log.warning("task reminder to %s refused: %s", row.owner, exc)
                    continue
                except MailError:
                    with engine.begin() as connection:
                        connection.execute(
                            update(TASKS)
                            .where(t.id == row.id)
                            .values(reminders=row.reminders,
                                    next_reminder_at=now + dt.timedelta(minutes=10))
                        )  # fmt: skip
                    raise
                report.sent += 1
                with engine.begin() as connection:
                    log_event(connection, row.customer_id, "reminder", now=now,
                              actor=PROGRAMME, task_id=row.id, owner=row.owner,
                              reminder=count)  # fmt: skip
    except MailError as exc:
        log.warning("task reminders wait: %s", exc)
    return report


# --- recognition -------------------------------------------------------------------------------


def budget_status(engine: Engine | Connection, *, now: dt.datetime) -> dict[str, Any]:
    """The year's rewards budget: the amount, what was given (in its currency) and what is left."""
    options = programme_settings(engine)
    start = dt.datetime(now.year, 1, 1)
    query = select(func.coalesce(func.sum(REWARDS.c.amount), 0), func.count()).where(
        REWARDS.c.given_at >= start,
        REWARDS.c.given_at < dt.datetime(now.year + 1, 1, 1),
        REWARDS.c.currency == options.budget_currency,
    )
    with connected(engine) as connection:
        spent, count = connection.execute(query).one()
    return {
        "year": now.year,
        "currency": options.budget_currency,
        "budget": options.budget_amount,
        "spent": round(float(spent), 2),
        "left": round(options.budget_amount - float(spent), 2),
        "rewards": int(count),
    }


def give_reward(
    engine: Engine, customer_ref: str, *, kind: str, amount: float, currency: str | None = None,
    description: str | None = None, task_id: int | None = None, actor: str, now: dt.datetime,
) -> dict[str, Any]:  # fmt: skip
    """Give an advocate a reward worth ``amount`` (0 for a thank-you without cost), counted
    against this year's budget in the budget's currency; one that would exceed it is refused.
    With ``task_id`` (a reward task of this advocate) that task is done and the reward
    recognises its milestone."""
    kind = _text(kind, "kind", 60) or ""
    if not kind:
        raise InvalidInput("kind: what the reward is (a gift card, early access, …)")
    description = _text(description, "description", 300)
    value = round(_number(amount, "amount", 0, 1e9), 2)
    options = programme_settings(engine)
    code = _currency(currency) if currency else options.budget_currency
    if code != options.budget_currency:
        raise InvalidInput(f"currency: the budget is in {options.budget_currency}, not {code}")
    with engine.begin() as connection:
        customer_id = customer_id_of(connection, customer_ref)
        _require_advocate(connection, customer_id, customer_ref)
        milestone = None
        if task_id is not None:
            task = _open_task(connection, task_id)
            if task.customer_id != customer_id:
                raise InvalidInput(f"task {task_id} is not about customer {customer_ref!r}")
            milestone = (task.details or {}).get("milestone")
        budget = budget_status(connection, now=now)
        if value > 0 and value > budget["left"] + 1e-9:
            raise InvalidInput(
                f"over budget: {value:,.2f} {code} asked, {max(budget['left'], 0):,.2f} {code} "
                f"left of {budget['budget']:,.2f} for {now.year}"
            )
        reward_id = connection.execute(
            insert(REWARDS).values(
                customer_id=customer_id, kind=kind, description=description, amount=value,
                currency=code, milestone=milestone, task_id=task_id, given_at=now, given_by=actor,
            )
        ).inserted_primary_key[0]  # type: ignore[index]  # fmt: skip
        log_event(connection, customer_id, "reward", now=now, actor=actor, reward_id=reward_id,
                  reward=kind, amount=value, currency=code, milestone=milestone,
                  description=description)  # fmt: skip
        if task_id is not None:
            connection.execute(
                update(TASKS)
                .where(TASKS.c.id == task_id)
                .values(status="done", done_at=now, done_by=actor, next_reminder_at=None,
                        note=f"reward: {kind}")
            )  # fmt: skip
            log_event(connection, customer_id, "task_done", now=now, actor=actor,
                      task_id=task_id, task="reward", note=f"reward: {kind}")  # fmt: skip
    return {"id": int(reward_id), "customer_id": customer_ref, "kind": kind, "amount": value,
            "currency": code, "milestone": milestone, "given_at": now.isoformat(),
            "budget": budget_status(engine, now=now)}  # fmt: skip


def list_rewards(engine: Engine, *, customer_ref: str | None = None,
                 limit: int = 500) -> list[dict[str, Any]]:  # fmt: skip
    """Rewards given, newest first."""
    c = _CUSTOMERS.c
    query = select(REWARDS, c.external_id, c.name).join(_CUSTOMERS, c.id == REWARDS.c.customer_id)
    if customer_ref:
        query = query.where(c.external_id == customer_ref)
    with engine.connect() as connection:
        rows = connection.execute(
            query.order_by(REWARDS.c.given_at.desc(), REWARDS.c.id.desc()).limit(limit)
        ).all()
    return [
        {"id": r.id, "customer_id": r.external_id, "customer_name": r.name, "kind": r.kind,
         "description": r.description, "amount": r.amount, "currency": r.currency,
         "milestone": r.milestone, "given_at": r.given_at.isoformat(), "given_by": r.given_by}
        for r in rows
    ]  # fmt: skip


# --- reading the programme ---------------------------------------------------------------------


def _advocate_document(row: Any) -> dict[str, Any]:
    return {
        "customer_id": row.external_id,
        "name": row.name,
        "status": row.status,
        "score": row.score,
        "reasons": list(row.reasons or []),
        "since": row.since.isoformat(),
        "first_seen_at": row.first_seen_at.isoformat(),
        "evaluated_at": row.evaluated_at.isoformat(),
        "owner": row.owner,
        "referral_code": row.referral_code,
    }


def list_programme(
    engine: Engine, *, status: str | None = None, owner: str | None = None,
    min_score: float | None = None, query: str | None = None, limit: int = 500,
) -> list[dict[str, Any]]:  # fmt: skip
    """The advocates the programme keeps, highest score first, with filters."""
    from advocacy.services.advocates import STATUSES

    c, a = _CUSTOMERS.c, ADVOCATES.c
    statement = select(ADVOCATES, c.external_id, c.name).join(_CUSTOMERS, c.id == a.customer_id)
    if status:
        statement = statement.where(a.status == one_of(status, STATUSES, "status"))
    if owner:
        statement = statement.where(_owned_by(a.owner, owner))
    if min_score is not None:
        statement = statement.where(a.score >= _number(min_score, "min_score", 0, 100))
    if query:
        needle = f"%{query.strip()[:100].lower()}%"
        statement = statement.where(
            or_(func.lower(c.name).like(needle), func.lower(c.external_id).like(needle))
        )
    with engine.connect() as connection:
        rows = connection.execute(
            statement.order_by(a.score.desc(), c.external_id).limit(max(1, min(limit, 100_000)))
        ).all()
    return [_advocate_document(row) for row in rows]


def programme_counts(engine: Engine) -> dict[str, int]:
    """How many advocates the programme keeps in each status."""
    with engine.connect() as connection:
        found: dict[str, int] = dict(
            connection.execute(
                select(ADVOCATES.c.status, func.count()).group_by(ADVOCATES.c.status)
            ).all()
        )
    return {status: int(found.get(status, 0)) for status in ("active", "candidate", "lapsed")}


def advocate_log(engine: Engine | Connection, customer_id: int,
                 limit: int = 200) -> list[dict[str, Any]]:  # fmt: skip
    """An advocate's log, newest first."""
    query = (
        select(EVENTS)
        .where(EVENTS.c.customer_id == customer_id)
        .order_by(EVENTS.c.at.desc(), EVENTS.c.id.desc())
        .limit(limit)
    )
    with connected(engine) as connection:
        rows = connection.execute(query).all()
    return [
        {"at": r.at.isoformat(), "actor": r.actor, "kind": r.kind, "detail": r.detail or {}}
        for r in rows
    ]


def advocate_detail(engine: Engine, customer_ref: str, *, now: dt.datetime) -> dict[str, Any]:
    """Everything the programme knows of one advocate: status, log, tasks, rewards, messages,
    the direct contact shown to them, and their live evidence."""
    from advocacy.services.customer_messages import list_messages

    c = _CUSTOMERS.c
    with engine.connect() as connection:
        customer_id = customer_id_of(connection, customer_ref)
        row = connection.execute(
            select(ADVOCATES, c.external_id, c.name)
            .join(_CUSTOMERS, c.id == ADVOCATES.c.customer_id)
            .where(ADVOCATES.c.customer_id == customer_id)
        ).first()
        if row is None:
            raise NotFound(f"customer {customer_ref[:200]!r} is not in the advocate programme")
        history = advocate_log(connection, customer_id)
    options = programme_settings(engine)
    return {
        **_advocate_document(row),
        "contact": options.contact,
        "log": history,
        "tasks": list_tasks(engine, now=now, status=None, customer_ref=customer_ref),
        "rewards": list_rewards(engine, customer_ref=customer_ref),
        "messages": list_messages(engine, customer_ref=customer_ref, limit=50),
        "milestones": [e["detail"].get("milestone") for e in reversed(history)
                       if e["kind"] == "milestone"],
    }  # fmt: skip


def advocates_overview(
    engine: Engine, *, now: dt.datetime, status: str | None = None, owner: str | None = None,
    min_score: float | None = None, limit: int = 500,
) -> list[dict[str, Any]]:  # fmt: skip
    """The advocates at ``now`` with their evidence (:func:`advocacy.services.advocates.
    find_advocates`), each with the programme's ``owner`` and ``since`` where it keeps them;
    filtered by owner (:data:`UNASSIGNED`: nobody) and least score."""
    from advocacy.services.advocates import find_advocates

    found = find_advocates(engine, now=now, status=status, limit=100_000)
    kept = {a["customer_id"]: a for a in list_programme(engine, limit=100_000)}
    for advocate in found:
        row = kept.get(advocate["customer_id"])
        advocate["owner"] = row["owner"] if row else None
        advocate["since"] = row["since"] if row else None
        advocate["referral_code"] = row["referral_code"] if row else None
    if owner == UNASSIGNED:
        found = [a for a in found if a["owner"] is None]
    elif owner:
        found = [a for a in found if a["owner"] == owner.strip().lower()]
    if min_score is not None:
        floor = _number(min_score, "min_score", 0, 100)
        found = [a for a in found if a["score"] >= floor]
    return found[: max(1, min(limit, 100_000))]
