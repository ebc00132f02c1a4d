"""The demo company's advocate programme over the last 30 days.

The programme runs day by day as the worker would: advocates found and kept with their
transitions, thank-yous after promoter answers and positive reviews, tasks for their reviews
and posts, milestones to reward, feedback requests after their purchases, and review
invitations to every customer a week after each delivery. The team works the tasks: most are
done within a few days (rewards from the budget for the milestones), a few are skipped, some
are still open or overdue at the end, as in any real team.

Referrals: some customers who joined in the last 30 days came with an advocate's referral code
(written in their imported attributes, as a sign-up form would), and the links were visited.
The teams' departments are set, so the maturity assessment reads the organisation as it is.

Each fate is a stable draw from an id, so a seed gives the same demo. No e-mail is sent (the
demo has no mail server): messages and invitations are recorded as sent when they were due.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, func, select, update

from advocacy.config import Settings
from advocacy.demo.casework import stable_draw
from advocacy.errors import InvalidInput
from advocacy.services import advocate_programme as programme
from advocacy.services import customer_messages, maturity, referrals
from advocacy.store.tables import Customer, SurveyInvitation

REWARDS = (("Vetra gift card", 50.0), ("Early access to the new collection", 0.0),
           ("Handwritten thank-you card", 0.0), ("Vetra mug", 15.0))  # fmt: skip
TASK_NOTES = {
    "welcome": "Called them: thanked them and gave them the advocates' direct line.",
    "reply_review": "Thanked them publicly under the review.",
    "share_post": "Shared their post on our account with a thank-you.",
    "reward": "Sent with a note from the team.",
}
DEPARTMENTS = {"Key accounts": "Sales", "Iberia": "Customer care", "Romania": "Customer care",
               "CIS": "Customer care", "Triage": "Customer care"}  # fmt: skip


def set_up_programme(engine: Engine, domain: str, now: dt.datetime) -> None:
    """The programme's settings: owners, the direct line, the budget, the review platforms."""
    lead = f"lead@{domain}"
    values: dict[str, Any] = {
        "owners": [f"advocate@{domain}", f"lucia.gomez@{domain}", f"mihai.ionescu@{domain}"],
        "contact": "advocates@vetra-home.example · +34 910 555 010",
        "budget_amount": 2_000,
        "budget_currency": "EUR",
        "review_platforms": [
            {"name": "Google", "url": "https://g.page/vetra-home/review"},
            {"name": "Trustpilot", "url": "https://www.trustpilot.com/evaluate/vetra-home.example"},
        ],
        "review_invitations": True,
        "thank_you": True,
        "listening": True,
    }
    for name, value in values.items():
        programme.set_setting(engine, name, value, actor=lead, now=now)
    maturity.set_departments(engine, DEPARTMENTS, actor=lead, now=now)


def plant_referrals(engine: Engine, since: dt.datetime, until: dt.datetime) -> int:
    """Give the codes of the active advocates to some customers who joined after ``since`` and
    up to ``until``, as their sign-up would have recorded it; the programme's next round
    attributes them."""
    c, a = Customer.__table__.c, programme.ADVOCATES.c
    with engine.connect() as connection:
        codes = [
            code
            for (code,) in connection.execute(
                select(a.referral_code)
                .where(a.referral_code.is_not(None), a.status == "active")
                .order_by(a.customer_id)
            )
        ]
        joined = connection.execute(
            select(c.id, c.attributes)
            .where(c.acquired_at > since, c.acquired_at <= until)
            .order_by(c.id)
        ).all()
    if not codes:
        return 0
    planted = 0
    with engine.begin() as connection:
        for customer in joined:
            if stable_draw(customer.id, 3) >= 25:
                continue
            code = codes[stable_draw(customer.id, 4) * len(codes) // 100]
            attributes = {**(customer.attributes or {}), "referral_code": code}
            connection.execute(
                update(Customer).where(c.id == customer.id).values(attributes=attributes)
            )
            planted += 1
    return planted


def visit_links(engine: Engine, day: dt.datetime) -> int:
    """The day's visits of the advocates' referral links."""
    a = programme.ADVOCATES.c
    with engine.connect() as connection:
        rows = connection.execute(
            select(a.customer_id, a.referral_code).where(a.referral_code.is_not(None))
        ).all()
    visits = 0
    for customer_id, code in rows:
        for n in range(stable_draw(customer_id, day.toordinal()) // 30):
            at = day - dt.timedelta(hours=1 + 3 * n)
            referrals.record_visit(engine, code, now=at)
            visits += 1
    return visits


def deliver_the_day(engine: Engine, day: dt.datetime) -> dict[str, int]:
    """Record as sent what the worker would have sent by ``day``: the programme's messages and
    the advocates' feedback requests."""
    m, i = customer_messages.MESSAGES.c, SurveyInvitation.__table__.c
    with engine.begin() as connection:
        messages = connection.execute(
            update(customer_messages.MESSAGES)
            .where(m.status == "queued", m.next_attempt_at <= day)
            .values(status="sent", sent_at=func.coalesce(m.next_attempt_at, day), attempts=1)
        ).rowcount
        requests = connection.execute(
            update(SurveyInvitation)
            .where(i.status == "queued", i.trigger_key.like("advocate-order:%"),
                   i.send_after <= day)
            .values(status="sent", sent_at=i.send_after, attempts=1)
        ).rowcount  # fmt: skip
    return {"messages_sent": int(messages), "feedback_requests_sent": int(requests)}


def work_the_tasks(engine: Engine, day: dt.datetime) -> dict[str, int]:
    """What the owners did up to ``day`` on the programme's open tasks."""
    done = {"tasks_done": 0, "tasks_skipped": 0, "rewards": 0}
    for task in programme.list_tasks(engine, now=day, status="open", limit=10_000):
        draw = stable_draw(task["id"])
        if draw < 12:
            continue  # still waiting for someone: open, some of them overdue
        created = dt.datetime.fromisoformat(task["created_at"])
        when = created + dt.timedelta(hours=6 + stable_draw(task["id"], 1) * 0.9)
        if when > day:
            continue
        actor = task["owner"] or "lead@demo.advocacy.example"
        if draw < 18:
            programme.finish_task(engine, task["id"], actor=actor, now=when, skipped=True,
                                  note="They asked not to be contacted about it.")  # fmt: skip
            done["tasks_skipped"] += 1
            continue
        if task["kind"] == "reward":
            kind, amount = REWARDS[draw % len(REWARDS)]
            try:
                programme.give_reward(engine, task["customer_id"], kind=kind, amount=amount,
                                      task_id=task["id"], actor=actor, now=when)  # fmt: skip
                done["rewards"] += 1
                continue
            except InvalidInput:  # the budget is spent: a card instead
                kind, amount = REWARDS[2]
                programme.give_reward(engine, task["customer_id"], kind=kind, amount=amount,
                                      task_id=task["id"], actor=actor, now=when)  # fmt: skip
                done["rewards"] += 1
                continue
        programme.finish_task(engine, task["id"], actor=actor, now=when,
                              note=TASK_NOTES.get(task["kind"]))  # fmt: skip
        done["tasks_done"] += 1
    return done


def run_the_day(engine: Engine, settings: Settings, day: dt.datetime) -> dict[str, int]:
    """One day of the programme: the owners' work, the worker's round, what it sent."""
    counts: dict[str, int] = {}

    def add(found: dict[str, int]) -> None:
        for key, value in found.items():
            counts[key] = counts.get(key, 0) + int(value)

    add(work_the_tasks(engine, day))
    report = programme.run_programme(engine, settings, now=day, force=True)
    add({f"task_{k}": v for k, v in report.tasks.items()})
    add({"milestones": report.milestones, "cases_raised": report.cases_raised})
    add({"referrals": int(report.referrals.get("attributed", 0))})
    add({f"feedback_{k}": v for k, v in report.feedback_requests.items()})
    add(report.messages)
    add({"link_visits": visit_links(engine, day)})
    add(deliver_the_day(engine, day))
    return counts
