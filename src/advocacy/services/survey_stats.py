"""How each survey is doing: who was asked, who answered, and how fast.

Response rate = invitations answered / invitations delivered (e-mails sent, or personal links
handed out), with its 95 % Wilson interval; time to answer = from the e-mail (or the link's
making) to the first answer, as the median and 90th percentile in hours. Anonymous answers
through the public link or the widget are counted apart: they have no invitation to divide by.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import numpy as np
from sqlalchemy import Engine, func, select

from advocacy.metrics.drivers import wilson_interval
from advocacy.services.surveys import INVITATIONS, list_surveys
from advocacy.store.tables import FeedbackItem

DELIVERED = ("sent", "link")


def survey_stats(
    engine: Engine, *, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> list[dict[str, Any]]:
    """Per survey: invitations by status, skips by reason, reminders, answers, response rate
    with its interval, time to answer, and anonymous answers — over invitations made in
    ``[since, until)`` (all without)."""
    i, f = INVITATIONS.c, FeedbackItem.__table__.c
    window = []
    if since is not None:
        window.append(i.created_at >= since)
    if until is not None:
        window.append(i.created_at < until)
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                i.survey_id,
                i.status,
                i.error,
                i.created_at,
                i.sent_at,
                i.reminded_at,
                i.answered_at,
            ).where(*window)
        ).all()
        surveys = list_surveys(engine)
        anonymous: dict[str, int] = {}
        for survey in surveys:
            query = select(func.count()).where(
                f.kind == "nps",
                f.platform == "",
                f.external_id.like(f"advocacy-{survey.key}-%"),
            )
            if since is not None:
                query = query.where(f.occurred_at >= since)
            if until is not None:
                query = query.where(f.occurred_at < until)
            anonymous[survey.key] = int(connection.scalar(query) or 0)
    by_survey: dict[int, list[Any]] = {}
    for row in rows:
        by_survey.setdefault(row.survey_id, []).append(row)
    return [
        _stats(survey.key, survey.name, by_survey.get(survey.id, []), anonymous[survey.key])
        for survey in surveys
    ]


def _stats(key: str, name: str, rows: list[Any], anonymous: int) -> dict[str, Any]:
    statuses = Counter(row.status for row in rows)
    skipped = Counter((row.error or "").split(",")[0] for row in rows if row.status == "skipped")
    delivered = [row for row in rows if row.status in DELIVERED]
    answered = [row for row in delivered if row.answered_at is not None]
    hours = np.array(
        [
            max((row.answered_at - (row.sent_at or row.created_at)).total_seconds(), 0) / 3600
            for row in answered
        ]
    )
    rate = len(answered) / len(delivered) if delivered else None
    interval = wilson_interval(len(answered), len(delivered)) if delivered else None
    return {
        "survey": key,
        "name": name,
        "invitations": len(rows),
        "statuses": dict(statuses.most_common()),
        "skipped": dict(skipped.most_common()),
        "delivered": len(delivered),
        "reminded": sum(1 for row in delivered if row.reminded_at is not None),
        "answered": len(answered),
        "response_rate": None if rate is None else round(rate, 4),
        "response_rate_low": None if interval is None else round(interval[0], 4),
        "response_rate_high": None if interval is None else round(interval[1], 4),
        "median_hours_to_answer": round(float(np.median(hours)), 2) if len(hours) else None,
        "p90_hours_to_answer": round(float(np.percentile(hours, 90)), 2) if len(hours) else None,
        "anonymous_answers": anonymous,
    }
