"""The NPS of the catalogue's survey answers: overall, by period, by group."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from sqlalchemy import Engine, select

from advocacy.errors import InvalidInput
from advocacy.metrics.nps import categorise, nps_from_counts
from advocacy.metrics.nps_groups import PERIODS, nps_breakdown, nps_trend
from advocacy.store.tables import Customer, FeedbackItem

# What `--by` accepts besides a period: fields of the answer or of the customer who gave it.
ANSWER_FIELDS = ("channel", "language", "touchpoint", "platform")
CUSTOMER_FIELDS = ("segment", "country")
BREAKDOWNS = CUSTOMER_FIELDS + ANSWER_FIELDS


def _answers(
    engine: Engine, since: dt.datetime | None, until: dt.datetime | None, field: str | None
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any] | None]:
    f = FeedbackItem.__table__.c
    c = Customer.__table__.c
    columns: list[Any] = [f.rating, f.occurred_at]
    if field in ANSWER_FIELDS:
        columns.append(f[field])
    elif field in CUSTOMER_FIELDS:
        columns.append(c[field])
    query = (
        select(*columns)
        .select_from(FeedbackItem.__table__.outerjoin(Customer.__table__, c.id == f.customer_id))
        .where(f.kind == "nps", f.rating.is_not(None))
    )
    if since is not None:
        query = query.where(f.occurred_at >= since)
    if until is not None:
        query = query.where(f.occurred_at < until)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    scores = np.fromiter((row[0] for row in rows), dtype=np.int16, count=len(rows))
    times = np.array([row[1] for row in rows], dtype="datetime64[us]")
    keys = np.array([row[2] for row in rows], dtype=object) if len(columns) == 3 else None
    return scores, times, keys


def nps_report(
    engine: Engine,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    by: str | None = None,
    confidence: float = 0.95,
) -> dict[str, Any]:
    """The NPS of the answers given from ``since`` (inclusive) to ``until`` (exclusive).

    With ``by`` a period (``week``, ``month``, ``quarter``) the ``groups`` are the trend, each
    period compared with the previous one; with a field (``segment``, ``country``, ``channel``,
    ``language``, ``touchpoint``, ``platform``) each group is compared with all other answers.
    """
    if by is not None and by not in PERIODS and by not in BREAKDOWNS:
        choices = ", ".join((*PERIODS, *BREAKDOWNS))
        raise InvalidInput(f"cannot break the NPS down by {by!r}: use one of {choices}")
    scores, times, keys = _answers(engine, since, until, by)
    promoters, passives, detractors = categorise(scores)
    overall = nps_from_counts(promoters, passives, detractors, confidence=confidence)
    document: dict[str, Any] = {
        "nps": overall.score if overall.n else None,
        **{key: value for key, value in overall.as_dict().items() if key != "score"},
        "confidence": confidence,
        "from": since,
        "to": until,
        "by": by,
        "groups": [],
    }
    if overall.n == 0:
        for key in ("margin_of_error", "ci_low", "ci_high"):
            document[key] = None
    if by in PERIODS:
        groups = nps_trend(scores, times, period=by, confidence=confidence)
    elif by is not None and keys is not None:
        groups = nps_breakdown(scores, keys, confidence=confidence)
    else:
        groups = []
    document["groups"] = [_group_document(group.as_dict()) for group in groups]
    return document


def _group_document(group: dict[str, Any]) -> dict[str, Any]:
    group["nps"] = group.pop("score")
    return group
