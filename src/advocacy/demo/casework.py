"""The demo company's advocacy team at work over the last 30 days.

Who gets which case (assignment rules by language, proactive cases to the key-account lead;
English cases are left to triage), and what the team did each day: most cases get a first
answer within hours — a reply from the template in the customer's language, by e-mail or, for a
public review, to be posted on the platform — and are resolved within their SLA, some wait on
the customer, some are resolved late, and a few nobody picked up — those are past due and
escalated, as in any real queue. Two days after a resolution the customer is re-surveyed
("After your case"), and most of those who answer score higher than before.

Each case's fate is a stable draw from its id, so a seed gives the same demo. No e-mail is
sent (the demo has no mail server): replies and re-survey invitations are recorded as sent when
they were due, like the survey history's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, select, update

from advocacy.config import Settings
from advocacy.errors import InvalidInput
from advocacy.services import answers, case_replies, case_rules, invitations, resurveys, surveys
from advocacy.services import cases as casework
from advocacy.store.tables import CaseReply, SurveyInvitation

RESURVEY_KEY = "after-case"
RESURVEY_DELAY_DAYS = 2

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
    """The assignment rules, and the re-survey two days after each resolution."""
    for rule in team_rules(domain):
        case_rules.add_assignment_rule(engine, now=now, **rule)
    surveys.create_survey(engine, now=now, key=RESURVEY_KEY, name="After your case",
                          touchpoint="case", public_enabled=False, starts_at=now)  # fmt: skip
    resurveys.set_resurvey(engine, survey_key=RESURVEY_KEY, delay_days=RESURVEY_DELAY_DAYS,
                           enabled=True, actor=f"lead@{domain}", now=now)  # fmt: skip


def _reply(engine: Engine, case_id: int, case_type: str, actor: str, at: dt.datetime) -> None:
    """The first answer to the customer, from the template that fits, recorded as sent."""
    template = {"proactive": "late_delivery", "negative_review": "review_reply"}.get(
        case_type, "apology"
    )
    agent = actor.split("@")[0].split(".")[0].title()
    try:
        reply = case_replies.write_reply(
            engine, case_id, actor=actor, now=at, template=template, agent=agent
        )
    except InvalidInput:
        return  # no address and no public review: the team called instead (the note says so)
    if reply["channel"] == "email":
        with engine.begin() as connection:
            connection.execute(
                update(CaseReply).where(CaseReply.id == reply["id"])
                .values(status="sent", sent_at=at, attempts=1)
            )  # fmt: skip


def resurvey_the_day(engine: Engine, settings: Settings, day: dt.datetime) -> dict[str, int]:
    """The worker's re-surveys of the day, recorded as sent; the answers of the day before."""
    made = resurveys.resurvey_resolved(engine, settings, now=day)
    i = SurveyInvitation.__table__.c
    answered = 0
    with engine.begin() as connection:
        connection.execute(
            update(SurveyInvitation)
            .where(i.trigger_key.like("case:%"), i.status == "queued")
            .values(status="sent", sent_at=day, attempts=1)
        )
        due = connection.execute(
            select(i.id).where(
                i.trigger_key.like("case:%"), i.status == "sent", i.answered_at.is_(None),
                i.sent_at <= day - dt.timedelta(days=1), i.sent_at > day - dt.timedelta(days=2),
            )
        ).scalars().all()  # fmt: skip
    for invitation_id in due:
        draw = stable_draw(invitation_id, 3)
        if draw >= 65:
            continue  # a third never answer
        score = 10 if draw < 25 else 9 if draw < 40 else 8 if draw < 52 else 7 if draw < 58 else 5
        token = invitations.get_invitation(engine, settings, invitation_id).links.url
        answers.answer_link(engine, settings, token.rsplit("/", 1)[1],
                            now=day - dt.timedelta(hours=draw % 20), score=score)  # fmt: skip
        answered += 1
    return {"resurveyed": made, "resurvey_answers": answered}


def stable_draw(key: int, salt: int = 0) -> int:
    """A stable number 0–99 for an id (Knuth's multiplicative hash)."""
    return ((key + salt * 7919) * 2654435761 % 2**32) * 100 // 2**32


def work_the_day(engine: Engine, day: dt.datetime, domain: str) -> dict[str, int]:
    """What the team did up to ``day`` on the cases opened before it; returns the counts."""
    c = casework.CASES.c
    done = {"answered": 0, "waiting": 0, "resolved": 0, "closed": 0}
    with engine.connect() as connection:
        cases = connection.execute(
            select(c.id, c.status, c.type, c.customer_id, c.opened_at, c.due_at, c.owner,
                   c.team, c.updated_at, c.resolved_at).where(c.opened_at < day).order_by(c.id)
        ).all()  # fmt: skip
    for case in cases:
        draw = stable_draw(case.id)
        if draw < 6:
            continue  # nobody picked it up: it goes past due and is escalated
        actor = case.owner or f"triage@{domain}"
        sla = case.due_at - case.opened_at
        answer_at = case.opened_at + sla * (0.05 + stable_draw(case.id, 1) / 400)
        resolve_at = case.opened_at + sla * (0.3 + stable_draw(case.id, 2) / 110)  # some late
        status, updated = case.status, case.updated_at
        if status == "open" and answer_at <= day:
            updated = max(answer_at, updated)
            if case.owner is None:
                casework.assign(engine, case.id, now=updated, actor=actor, owner=actor,
                                team="Triage")  # fmt: skip
            casework.add_note(engine, case.id, NOTES[draw % len(NOTES)], now=updated, actor=actor)
            if case.customer_id is not None:
                _reply(engine, case.id, case.type, actor, updated)
            status = "waiting" if 6 <= draw < 16 else "in_progress"
            casework.change_status(engine, case.id, status, now=updated, actor=actor)
            if status == "waiting":
                casework.add_note(engine, case.id, WAITING_NOTES[draw % 2], now=updated,
                                  actor=actor)  # fmt: skip
                done["waiting"] += 1
            done["answered"] += 1
        if status in ("in_progress", "waiting") and resolve_at <= day:
            updated = max(resolve_at, updated)
            casework.change_status(engine, case.id, "resolved", now=updated, actor=actor)
            done["resolved"] += 1
        elif status == "resolved" and case.resolved_at + dt.timedelta(days=5) <= day:
            at = max(case.resolved_at + dt.timedelta(days=5), updated)
            casework.change_status(engine, case.id, "closed", now=at, actor=actor)
            done["closed"] += 1
    return done
