"""The demo company's surveys: a post-delivery NPS survey with two months of invitations, and a
public website survey for the widget.

The demo's NPS answers after deliveries (imported like real data) become the answers of the
post-delivery survey's invitations; the deliveries nobody answered are invitations still
unanswered (reminded after three days), and the rule of at most one survey a customer in 21
days turns some deliveries into recorded skips — so the surveys page and the dashboard show
response rates, times to answer and skip reasons from the first start. No e-mail is sent: the
demo has no mail server, and its invitations are recorded as sent when they were due.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, insert, select

from advocacy.services.surveys import create_survey
from advocacy.store.tables import Customer, FeedbackItem, Order, SurveyInvitation
from advocacy.surveys import tokens
from advocacy.surveys.texts import SHIPPED, language_of

HISTORY = dt.timedelta(days=60)
DELAY_DAYS = 3
REMINDER_DAYS = 3
MIN_DAYS_BETWEEN = 21
_OPTIONAL = (
    "status",
    "error",
    "sent_at",
    "reminder_due_at",
    "reminder_claimed_at",
    "reminded_at",
    "opened_at",
    "answered_at",
    "score",
    "feedback_item_id",
)


def build_survey_history(engine: Engine, *, today: dt.date) -> dict[str, int]:
    """Create the demo's surveys and the post-delivery survey's invitations up to ``today``."""
    now = dt.datetime.combine(today, dt.time(18, 0))
    start = now - HISTORY
    survey = create_survey(
        engine,
        now=start,
        key="post-delivery",
        name="After delivery",
        trigger="delivery",
        delay_days=DELAY_DAYS,
        reminder_days=REMINDER_DAYS,
        min_days_between=MIN_DAYS_BETWEEN,
        touchpoint="delivery",
        starts_at=start,
    )
    create_survey(
        engine,
        now=start,
        key="website",
        name="Website",
        trigger="manual",
        touchpoint="website",
        starts_at=start,
    )
    o, c, f = Order.__table__.c, Customer.__table__.c, FeedbackItem.__table__.c
    delay = dt.timedelta(days=DELAY_DAYS)
    with engine.begin() as connection:
        orders = connection.execute(
            select(o.id, o.customer_id, o.delivered_at, c.email, c.locale)
            .join(Customer.__table__, c.id == o.customer_id)
            .where(
                o.delivered_at >= start - delay,
                o.delivered_at <= now - delay,
                o.status != "cancelled",
            )
            .order_by(o.delivered_at, o.id)
        ).all()
        answers = {
            row.order_id: row
            for row in connection.execute(
                select(f.id, f.order_id, f.occurred_at, f.rating).where(
                    f.kind == "nps",
                    f.touchpoint.in_(("delivery", "return")),
                    f.order_id.in_([row.id for row in orders]),
                )
            )
        }
        last_asked: dict[int, dt.datetime] = {}
        rows: list[dict[str, Any]] = []
        counts = {"sent": 0, "answered": 0, "skipped": 0}
        for order in orders:
            due = order.delivered_at + delay
            answer = answers.get(order.id)
            sent = min(due, answer.occurred_at - dt.timedelta(minutes=30)) if answer else due
            row: dict[str, Any] = {
                "survey_id": survey.id,
                "customer_id": order.customer_id,
                "order_id": order.id,
                "trigger_key": f"order:{order.id}",
                "channel": "email",
                "language": language_of(order.locale, dict.fromkeys(SHIPPED), "en"),
                "email": order.email,
                "nonce": tokens.new_nonce(),
                "created_at": sent,
                "attempts": 1,
                "expires_at": sent + dt.timedelta(days=survey.valid_days),
                # Every row names every column (one INSERT for all of them).
                **dict.fromkeys(_OPTIONAL),
            }
            previous = last_asked.get(order.customer_id)
            if previous is not None and sent - previous < dt.timedelta(days=MIN_DAYS_BETWEEN):
                row.update(
                    status="skipped",
                    attempts=0,
                    error=f"asked on {previous:%Y-%m-%d}, within {MIN_DAYS_BETWEEN} days",
                )
                counts["skipped"] += 1
                rows.append(row)
                continue
            last_asked[order.customer_id] = sent
            reminder = sent + dt.timedelta(days=REMINDER_DAYS)
            answered_at = answer.occurred_at if answer else None
            row.update(status="sent", sent_at=sent, reminder_due_at=reminder)
            if reminder <= now and (answered_at is None or answered_at > reminder):
                row.update(reminder_claimed_at=reminder, reminded_at=reminder)
            if answer is not None:
                row.update(
                    answered_at=answered_at,
                    opened_at=answered_at,
                    score=int(answer.rating),
                    feedback_item_id=answer.id,
                )
                counts["answered"] += 1
            counts["sent"] += 1
            rows.append(row)
        if rows:
            connection.execute(insert(SurveyInvitation), rows)
    return counts
