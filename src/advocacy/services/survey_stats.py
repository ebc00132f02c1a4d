"""How each survey is doing: who was asked, who answered, and how fast.

Response rate = invitations answered / invitations delivered (e-mails sent, or personal links
handed out), with its 95 % Wilson interval; time to answer = from the e-mail (or the link's
making) to the first answer, as the median and 90th percentile in hours. Anonymous answers
through the public link or the widget are counted apart: they have no invitation to divide by.
Counts are made by the database; only the answered invitations' times are read.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, Engine, func, select

from advocacy.metrics.drivers import wilson_interval
from advocacy.services.surveys import INVITATIONS, list_surveys
from advocacy.store.tables import FeedbackItem

DELIVERED = ("sent", "link")


def survey_stats(
    engine: Engine,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    surveys: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Per survey: invitations by status, skips by reason, reminders, answers, response rate
    with its interval, time to answer, and anonymous answers — over invitations made (and
    anonymous answers given) in ``[since, until)``."""
    i, f = INVITATIONS.c, FeedbackItem.__table__.c
    window: list[ColumnElement[bool]] = []
    if since is not None:
        window.append(i.created_at >= since)
    if until is not None:
        window.append(i.created_at < until)
    reason = func.coalesce(i.error, "")
    delivered = i.status.in_(DELIVERED)
    with engine.connect() as connection:
        counts = connection.execute(
            select(
                i.survey_id,
                i.status,
                func.count(),
                func.count(i.reminded_at),
                func.count(i.answered_at),
            )
            .where(*window)
            .group_by(i.survey_id, i.status)
        ).all()
        skips = connection.execute(
            select(i.survey_id, reason, func.count())
            .where(i.status == "skipped", *window)
            .group_by(i.survey_id, reason)
        ).all()
        times = connection.execute(
            select(i.survey_id, i.answered_at, func.coalesce(i.sent_at, i.created_at)).where(
                delivered, i.answered_at.is_not(None), *window
            )
        ).all()
        found = [s for s in list_surveys(engine) if surveys is None or s.key in surveys]
        anonymous: dict[str, int] = {}
        for survey in found:
            query = select(func.count()).where(
                f.kind == "nps", f.platform == "", f.external_id.like(f"advocacy-{survey.key}-%")
            )
            if since is not None:
                query = query.where(f.occurred_at >= since)
            if until is not None:
                query = query.where(f.occurred_at < until)
            anonymous[survey.key] = int(connection.scalar(query) or 0)
    statuses: dict[int, Counter[str]] = defaultdict(Counter)
    reminded: Counter[int] = Counter()
    answered: Counter[int] = Counter()
    for survey_id, status, n, n_reminded, n_answered in counts:
        statuses[survey_id][status] += n
        if status in DELIVERED:
            reminded[survey_id] += n_reminded
            answered[survey_id] += n_answered
    skipped: dict[int, Counter[str]] = defaultdict(Counter)
    for survey_id, why, n in skips:
        skipped[survey_id][str(why).split(",")[0] or "unknown"] += n
    hours: dict[int, list[float]] = defaultdict(list)
    for survey_id, answered_at, asked_at in times:
        hours[survey_id].append(max((answered_at - asked_at).total_seconds(), 0) / 3600)
    return [
        _row(
            survey.key,
            survey.name,
            statuses[survey.id],
            skipped[survey.id],
            reminded[survey.id],
            answered[survey.id],
            np.array(hours[survey.id]),
            anonymous[survey.key],
        )
        for survey in found
    ]


def _row(
    key: str,
    name: str,
    statuses: Counter[str],
    skipped: Counter[str],
    reminded: int,
    answered: int,
    hours: np.ndarray[Any, np.dtype[np.float64]],
    anonymous: int,
) -> dict[str, Any]:
    delivered = sum(statuses[status] for status in DELIVERED)
    interval = wilson_interval(answered, delivered) if delivered else None
    return {
        "survey": key,
        "name": name,
        "invitations": sum(statuses.values()),
        "statuses": dict(statuses.most_common()),
        "skipped": dict(skipped.most_common()),
        "delivered": delivered,
        "reminded": reminded,
        "answered": answered,
        "response_rate": round(answered / delivered, 4) if delivered else None,
        "response_rate_low": None if interval is None else round(interval[0], 4),
        "response_rate_high": None if interval is None else round(interval[1], 4),
        "median_hours_to_answer": round(float(np.median(hours)), 2) if len(hours) else None,
        "p90_hours_to_answer": round(float(np.percentile(hours, 90)), 2) if len(hours) else None,
        "anonymous_answers": anonymous,
    }
