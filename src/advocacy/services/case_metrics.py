"""Closing the loop, measured: how fast cases are answered and solved, whether the SLA holds,
and whether the customers asked again are happier — overall, per team and per rule.

For the cases opened from ``since`` on (all without it), each group reports:

- ``opened``, ``resolved`` (resolved or closed), ``open`` (open, in progress or waiting) and
  ``overdue`` (open past due at ``now``);
- ``first_response_hours`` and ``resolution_hours``: the median and 90th percentile (linear
  interpolation between order statistics, numpy's default) of the hours from opening to the
  first response, and to resolution (``resolved_at``, else ``closed_at``), over the cases that
  have one;
- ``sla``: cases resolved at or before their due time ÷ (resolved cases + open cases past due),
  with its 95 % Wilson interval — cases still open within their time are not judged yet;
- ``resurvey``: re-surveys ``sent`` and ``answered``; over the answered ones whose case came
  from NPS answers, the mean score ``before`` (a case's before is the mean of its source NPS
  answers), the mean re-survey score ``after``, the ``mean_change``, and how many detractors
  (before ≤ 6) became passives (7–8) or promoters (9–10).

A case without a team is counted under ``unassigned``; one opened by no rule (by hand) under
``manual``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
from sqlalchemy import Engine, Table, select

from advocacy.metrics.drivers import wilson_interval
from advocacy.services.cases import CASE_ITEMS, CASES, OPEN
from advocacy.store.tables import FeedbackItem, SurveyInvitation

_ITEMS = cast(Table, FeedbackItem.__table__)
_INVITATIONS = cast(Table, SurveyInvitation.__table__)
UNASSIGNED = "unassigned"
MANUAL = "manual"


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the metrics need of one case."""

    team: str | None
    rule: str | None
    status: str
    opened_at: dt.datetime
    due_at: dt.datetime
    first_response_at: dt.datetime | None
    done_at: dt.datetime | None  # resolved_at, else closed_at
    resurveyed: bool = False
    resurvey_score: int | None = None
    scores_before: tuple[float, ...] = ()


def _hours(values: list[float]) -> dict[str, float | int | None]:
    if not values:
        return {"cases": 0, "median": None, "p90": None}
    array = np.asarray(values, dtype=float)
    return {
        "cases": len(values),
        "median": round(float(np.median(array)), 4),
        "p90": round(float(np.percentile(array, 90)), 4),
    }


def _group(score: float) -> str:
    return "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"


def summarise(cases: Iterable[CaseFacts], *, now: dt.datetime) -> dict[str, Any]:
    """The metrics of one group of cases (see the module's docstring)."""
    opened = resolved = still_open = overdue = on_time = 0
    first: list[float] = []
    resolution: list[float] = []
    sent = answered = 0
    before: list[float] = []
    after: list[float] = []
    moved = {"to_passive": 0, "to_promoter": 0}
    detractors = 0
    for case in cases:
        opened += 1
        if case.first_response_at is not None:
            first.append((case.first_response_at - case.opened_at).total_seconds() / 3600)
        if case.status in OPEN:
            still_open += 1
            overdue += case.due_at < now
        elif case.done_at is not None:
            resolved += 1
            resolution.append((case.done_at - case.opened_at).total_seconds() / 3600)
            on_time += case.done_at <= case.due_at
        if case.resurveyed:
            sent += 1
        if case.resurvey_score is not None:
            answered += 1
            if case.scores_before:
                was = sum(case.scores_before) / len(case.scores_before)
                before.append(was)
                after.append(case.resurvey_score)
                if was <= 6:
                    detractors += 1
                    now_group = _group(case.resurvey_score)
                    if now_group != "detractor":
                        moved[f"to_{now_group}"] += 1
    judged = resolved + overdue
    sla: dict[str, Any] = {"met": on_time, "judged": judged, "rate": None, "low": None,
                           "high": None}  # fmt: skip
    if judged:
        low, high = wilson_interval(on_time, judged)
        sla.update(rate=round(on_time / judged, 6), low=round(low, 6), high=round(high, 6))
    mean_before = round(float(np.mean(before)), 4) if before else None
    mean_after = round(float(np.mean(after)), 4) if after else None
    return {
        "opened": opened,
        "resolved": resolved,
        "open": still_open,
        "overdue": overdue,
        "first_response_hours": _hours(first),
        "resolution_hours": _hours(resolution),
        "sla": sla,
        "resurvey": {
            "sent": sent,
            "answered": answered,
            "compared": len(before),
            "before": mean_before,
            "after": mean_after,
            "mean_change": (
                round(float(np.mean(np.subtract(after, before))), 4) if before else None
            ),
            "detractors": detractors,
            "detractors_to_passive": moved["to_passive"],
            "detractors_to_promoter": moved["to_promoter"],
        },
    }


def breakdown(cases: Iterable[CaseFacts], *, now: dt.datetime) -> dict[str, Any]:
    """:func:`summarise` overall, per team and per rule."""
    every = list(cases)
    teams: dict[str, list[CaseFacts]] = defaultdict(list)
    rules: dict[str, list[CaseFacts]] = defaultdict(list)
    for case in every:
        teams[case.team or UNASSIGNED].append(case)
        rules[case.rule or MANUAL].append(case)
    return {
        "overall": summarise(every, now=now),
        "teams": {name: summarise(group, now=now) for name, group in sorted(teams.items())},
        "rules": {name: summarise(group, now=now) for name, group in sorted(rules.items())},
    }


def _before_scores(engine: Engine, case_ids: list[int]) -> Mapping[int, list[float]]:
    found: dict[int, list[float]] = defaultdict(list)
    f, i = _ITEMS.c, _INVITATIONS.c
    answered_by_resurvey = select(i.feedback_item_id).where(
        i.id.in_(select(CASES.c.resurvey_invitation_id)), i.feedback_item_id.is_not(None)
    )
    with engine.connect() as connection:
        for start in range(0, len(case_ids), 5_000):
            rows = connection.execute(
                select(CASE_ITEMS.c.case_id, f.rating)
                .join(_ITEMS, f.id == CASE_ITEMS.c.feedback_item_id)
                .where(
                    CASE_ITEMS.c.case_id.in_(case_ids[start : start + 5_000]),
                    f.kind == "nps",
                    f.rating.is_not(None),
                    f.id.not_in(answered_by_resurvey),
                )
            ).all()
            for case_id, rating in rows:
                found[int(case_id)].append(float(rating))
    return found


def case_metrics(
    engine: Engine, *, now: dt.datetime, since: dt.datetime | None = None
) -> dict[str, Any]:
    """The closing-the-loop metrics of the cases opened from ``since`` (all without it), at
    ``now``: ``overall``, ``teams`` and ``rules``, each as :func:`summarise` describes."""
    c, i = CASES.c, _INVITATIONS.c
    query = select(
        c.id, c.team, c.rule, c.status, c.opened_at, c.due_at, c.first_response_at,
        c.resolved_at, c.closed_at, c.resurvey_invitation_id, i.score, i.status.label("asked"),
    ).select_from(CASES.outerjoin(_INVITATIONS, i.id == c.resurvey_invitation_id))  # fmt: skip
    if since is not None:
        query = query.where(c.opened_at >= since)
    with engine.connect() as connection:
        rows = connection.execute(query.order_by(c.id)).all()
    answered = [int(row.id) for row in rows if row.score is not None]
    before = _before_scores(engine, answered) if answered else {}
    facts = [
        CaseFacts(
            team=row.team,
            rule=row.rule,
            status=row.status,
            opened_at=row.opened_at,
            due_at=row.due_at,
            first_response_at=row.first_response_at,
            done_at=row.resolved_at or row.closed_at,
            resurveyed=row.resurvey_invitation_id is not None
            and row.asked not in ("skipped", "failed"),
            resurvey_score=row.score,
            scores_before=tuple(before.get(int(row.id), ())),
        )
        for row in rows
    ]
    found = breakdown(facts, now=now)
    found["since"] = since.isoformat() if since else None
    found["now"] = now.isoformat()
    return found
