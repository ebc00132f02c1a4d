"""The demo company's advocacy team at work over the last 30 days.

Who gets which case (assignment rules by language, proactive cases to the key-account lead;
English cases are left to triage), and what the team did each day: most cases get a first
answer within hours and are resolved within their SLA, some wait on the customer, some are
resolved late, and a few nobody picked up — those are past due and escalated, as in any real
queue. Each case's fate is a stable draw from its id, so a seed gives the same demo.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, select

from advocacy.services import case_rules
from advocacy.services import cases as casework

NOTES = (
    "Called the customer: the parcel was held at the depot. Re-sent by express courier.",
    "Refund of the delivery charge approved; the customer was told by e-mail.",
    "The product was faulty: replacement on its way, return label sent.",
    "Spoke to the warehouse: the order left today, tracking shared with the customer.",
    "Apologised for the wait and explained the new support hours.",
    "Escalated to the courier's account manager; they confirmed delivery for tomorrow.",
)
WAITING_NOTES = (
    "Asked the customer for the order number and a photo of the damage.",
    "Waiting for the customer to confirm the new delivery address.",
)


def team_rules(domain: str) -> list[dict[str, Any]]:
    """The demo's assignment rules, in the order they are tried."""
    return [
        {"name": "Proactive cases to key accounts", "conditions": {"type": ["proactive"]},
         "team": "Key accounts", "owners": [f"lead@{domain}"]},
        {"name": "Spanish-speaking customers", "conditions": {"language": ["es"]},
         "team": "Iberia", "owners": [f"advocate@{domain}", f"lucia.gomez@{domain}"]},
        {"name": "Romanian-speaking customers", "conditions": {"language": ["ro"]},
         "team": "Romania", "owners": [f"mihai.ionescu@{domain}", f"ana.dumitru@{domain}"]},
        {"name": "Russian-speaking customers", "conditions": {"language": ["ru"]},
         "team": "CIS", "owners": [f"olga.smirnova@{domain}"]},
    ]  # fmt: skip


def set_up_team(engine: Engine, domain: str, now: dt.datetime) -> None:
    for rule in team_rules(domain):
        case_rules.add_assignment_rule(engine, now=now, **rule)


def _draw(case_id: int, salt: int = 0) -> int:
    """A stable number 0–99 for a case (Knuth's multiplicative hash)."""
    return ((case_id + salt * 7919) * 2654435761 % 2**32) * 100 // 2**32


def work_the_day(engine: Engine, day: dt.datetime, domain: str) -> dict[str, int]:
    """What the team did up to ``day`` on the cases opened before it; returns the counts."""
    c = casework.CASES.c
    done = {"answered": 0, "waiting": 0, "resolved": 0, "closed": 0}
    with engine.connect() as connection:
        cases = connection.execute(
            select(c.id, c.status, c.opened_at, c.due_at, c.owner, c.team, c.updated_at,
                   c.resolved_at).where(c.opened_at < day).order_by(c.id)
        ).all()  # fmt: skip
    for case in cases:
        draw = _draw(case.id)
        if draw < 6:
            continue  # nobody picked it up: it goes past due and is escalated
        actor = case.owner or f"triage@{domain}"
        sla = case.due_at - case.opened_at
        answer_at = case.opened_at + sla * (0.05 + _draw(case.id, 1) / 400)
        resolve_at = case.opened_at + sla * (0.3 + _draw(case.id, 2) / 110)  # some late
        if case.status == "open" and answer_at <= day:
            at = max(answer_at, case.updated_at)
            if case.owner is None:
                casework.assign(engine, case.id, now=at, actor=actor, owner=actor, team="Triage")
            casework.add_note(engine, case.id, NOTES[draw % len(NOTES)], now=at, actor=actor)
            waiting = 6 <= draw < 16
            casework.change_status(engine, case.id, "waiting" if waiting else "in_progress",
                                   now=at, actor=actor)  # fmt: skip
            if waiting:
                casework.add_note(engine, case.id, WAITING_NOTES[draw % 2], now=at, actor=actor)
                done["waiting"] += 1
            done["answered"] += 1
        elif case.status in ("in_progress", "waiting") and resolve_at <= day:
            at = max(resolve_at, case.updated_at)
            casework.change_status(engine, case.id, "resolved", now=at, actor=actor)
            done["resolved"] += 1
        elif case.status == "resolved" and case.resolved_at + dt.timedelta(days=5) <= day:
            at = max(case.resolved_at + dt.timedelta(days=5), case.updated_at)
            casework.change_status(engine, case.id, "closed", now=at, actor=actor)
            done["closed"] += 1
    return done
