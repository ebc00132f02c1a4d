"""Brand advocates: the customers who recommend the company, found with their evidence.

The articles' brand advocates are promoters (9–10) whose experience is so good that they
recommend the company on their own. Advocacy finds them in the catalogue, each with the evidence
and a score anyone can recompute by hand (at ``now``, over the last ``WINDOW_DAYS``):

- every piece of **positive evidence** counts with a recency weight ``0.5 ** (age / 180 days)``
  (a half-life of six months): a promoter answer (NPS 9–10), a public review at or above 4 of 5
  (80 % of its scale), a social post about the brand that the text analysis read as positive —
  a post also counts for its reach, ``1 + log10(1 + likes + 2 × shares)``;
- **score** (0–100) = 40 × min(1, promoter weight ÷ 2) + 15 × the share of the customer's NPS
  answers that were promoters + 20 × min(1, review weight ÷ 2) + 15 × min(1, post weight ÷ 3)
  + 15 × min(1, referral weight ÷ 2) + 10 for a customer of the top value tier (5 for the high
  tier), at most 100 — two recent promoter answers alone make 55 of it;
- a **referral** (a customer the advocate brought, :mod:`advocacy.services.referrals`) counts
  with the recency weight of the day it was attributed;
- **detractors are never flagged**: a customer with a detractor answer (0–6), a review at or
  below 2 of 5 or a negative post in the last 365 days is left out, whatever else they did;
- **status**: ``active`` at a score of 50 or more with positive evidence in the last 180 days;
  ``candidate`` at 25 or more with positive evidence in the last 180 days; ``lapsed`` when their
  positive evidence is all older than 180 days, or their latest answer is passive (7–8) after a
  promoter one. Each advocate carries the ``reasons`` for their status.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Engine, Table, select

from advocacy.errors import InvalidInput
from advocacy.services.case_rules import CustomerValueBook
from advocacy.store.tables import Customer, FeedbackItem, Referral

ITEMS = cast(Table, FeedbackItem.__table__)
CUSTOMERS = cast(Table, Customer.__table__)
REFERRALS = cast(Table, Referral.__table__)

WINDOW_DAYS = 730
HALF_LIFE_DAYS = 180.0
RECENT_DAYS = 180
EXCLUSION_DAYS = 365
ACTIVE_SCORE = 50.0
CANDIDATE_SCORE = 25.0
STATUSES = ("active", "candidate", "lapsed")
TIER_POINTS = {"top": 10.0, "high": 5.0}


def recency_weight(age_days: float) -> float:
    """How much a piece of evidence ``age_days`` old counts: 1 today, ½ after 180 days."""
    return float(0.5 ** (max(age_days, 0.0) / HALF_LIFE_DAYS))


def reach(likes: int | None, shares: int | None) -> float:
    """A post's reach factor: 1 for a post nobody saw, +1 per tenfold likes + 2 × shares."""
    return 1.0 + math.log10(1 + (likes or 0) + 2 * (shares or 0))


@dataclass
class _Evidence:
    promoters: list[dict[str, Any]] = field(default_factory=list)
    answers: list[tuple[dt.datetime, int]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    posts: list[dict[str, Any]] = field(default_factory=list)
    referrals: list[dict[str, Any]] = field(default_factory=list)
    against: list[str] = field(default_factory=list)
    promoter_weight: float = 0.0
    review_weight: float = 0.0
    post_weight: float = 0.0
    referral_weight: float = 0.0
    latest_positive: dt.datetime | None = None
    latest_promoter: dt.datetime | None = None

    def positive(self, at: dt.datetime) -> None:
        if self.latest_positive is None or at > self.latest_positive:
            self.latest_positive = at


def score_of(evidence: _Evidence, tier: str | None) -> float:
    """The documented score (module docstring) of one customer's evidence."""
    share = (
        sum(score >= 9 for _, score in evidence.answers) / len(evidence.answers)
        if evidence.answers
        else 0.0
    )
    return min(
        100.0,
        40 * min(1.0, evidence.promoter_weight / 2)
        + 15 * share
        + 20 * min(1.0, evidence.review_weight / 2)
        + 15 * min(1.0, evidence.post_weight / 3)
        + 15 * min(1.0, evidence.referral_weight / 2)
        + TIER_POINTS.get(tier or "", 0.0),
    )


def _day(value: dt.datetime) -> str:
    return value.date().isoformat()


def _gather(engine: Engine, now: dt.datetime) -> tuple[dict[int, _Evidence], dict[int, Any]]:
    f, c = ITEMS.c, CUSTOMERS.c
    start = now - dt.timedelta(days=WINDOW_DAYS)
    exclusion = now - dt.timedelta(days=EXCLUSION_DAYS)
    found: dict[int, _Evidence] = defaultdict(_Evidence)
    with engine.connect() as connection:
        rows = connection.execute(
            select(f.id, f.customer_id, f.kind, f.rating, f.rating_normalized, f.platform,
                   f.occurred_at, f.sentiment, f.likes, f.shares, f.url)
            .where(f.customer_id.is_not(None), f.occurred_at >= start, f.occurred_at <= now,
                   f.kind.in_(("nps", "review", "social")))
            .order_by(f.occurred_at, f.id)
        ).all()  # fmt: skip
        people = {
            row.id: row for row in connection.execute(select(c.id, c.external_id, c.name, c.email))
        }
    for row in rows:
        evidence = found[row.customer_id]
        age = (now - row.occurred_at).total_seconds() / 86_400
        weight = recency_weight(age)
        recent_bad = row.occurred_at >= exclusion
        if row.kind == "nps" and row.rating is not None:
            score = int(row.rating)
            evidence.answers.append((row.occurred_at, score))
            if score >= 9:
                evidence.promoters.append({"item_id": row.id, "score": score,
                                           "at": _day(row.occurred_at)})  # fmt: skip
                evidence.promoter_weight += weight
                evidence.positive(row.occurred_at)
                evidence.latest_promoter = row.occurred_at
            elif score <= 6 and recent_bad:
                evidence.against.append(f"detractor answer ({score}) on {_day(row.occurred_at)}")
        elif row.kind == "review" and row.rating_normalized is not None:
            if row.rating_normalized >= 0.8:
                evidence.reviews.append({"item_id": row.id, "platform": row.platform,
                                         "rating_share": round(row.rating_normalized, 2),
                                         "at": _day(row.occurred_at)})  # fmt: skip
                evidence.review_weight += weight
                evidence.positive(row.occurred_at)
            elif row.rating_normalized <= 0.4 and recent_bad:
                evidence.against.append(f"low review on {row.platform or 'a platform'} on "
                                        f"{_day(row.occurred_at)}")  # fmt: skip
        elif row.kind == "social":
            if row.sentiment == "positive":
                evidence.posts.append({"item_id": row.id, "network": row.platform,
                                       "likes": row.likes or 0, "shares": row.shares or 0,
                                       "url": row.url, "at": _day(row.occurred_at)})  # fmt: skip
                evidence.post_weight += weight * reach(row.likes, row.shares)
                evidence.positive(row.occurred_at)
            elif row.sentiment == "negative" and recent_bad:
                evidence.against.append(f"negative post on {_day(row.occurred_at)}")
    return found, people


def find_advocates(
    engine: Engine,
    *,
    now: dt.datetime,
    status: str | None = None,
    limit: int = 500,
    tiers: Mapping[int, str] | None = None,
) -> list[dict[str, Any]]:
    """The advocates at ``now``, highest score first, each with ``customer_id``, ``name``,
    ``score``, ``status``, ``reasons`` and ``evidence``. ``tiers`` (the catalogue's customer id
    → value tier) defaults to the tiers ``advocacy clv`` computes."""
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"status: one of {', '.join(STATUSES)}, not {status!r}")
    found = [a for a in evaluate(engine, now=now, tiers=tiers).advocates.values()
             if status is None or a["status"] == status]  # fmt: skip
    found.sort(key=lambda a: (-a["score"], a["customer_id"]))
    return found[: max(1, min(limit, 100_000))]


@dataclass
class Evaluation:
    """Everyone the evidence speaks of at one moment: ``advocates`` (the catalogue's customer
    id → the advocate, as :func:`find_advocates` lists them) and ``excluded`` (customer id → why
    a customer with positive evidence is not one: detractor evidence, or too low a score)."""

    advocates: dict[int, dict[str, Any]]
    excluded: dict[int, list[str]]


def evaluate(
    engine: Engine, *, now: dt.datetime, tiers: Mapping[int, str] | None = None
) -> Evaluation:
    """Score every customer with positive evidence at ``now`` (the module's rules)."""
    gathered, people = _gather(engine, now)
    referred = _referrals(engine, now)
    book = CustomerValueBook(engine, now)

    def tier_of(customer_id: int) -> str | None:
        if tiers is not None:
            return tiers.get(customer_id)
        row = book.of(customer_id)
        return None if row is None else str(row["tier"])

    recent = now - dt.timedelta(days=RECENT_DAYS)
    advocates: dict[int, dict[str, Any]] = {}
    excluded: dict[int, list[str]] = {}
    for referrer in referred:  # a referral is evidence of its own
        gathered.setdefault(referrer, _Evidence())
    for customer_id, evidence in gathered.items():
        evidence.referrals = referred.get(customer_id, [])
        for referral in evidence.referrals:
            evidence.referral_weight += recency_weight(referral["age_days"])
            evidence.positive(referral["at_time"])
        if evidence.latest_positive is None:
            continue
        if evidence.against:
            excluded[customer_id] = list(evidence.against)
            continue
        tier = tier_of(customer_id)
        score = round(score_of(evidence, tier), 1)
        state, reasons = _status(evidence, score, recent)
        if state is None:
            excluded[customer_id] = [*reasons, f"score {score:g} < {CANDIDATE_SCORE:g}"]
            continue
        person = people[customer_id]
        advocates[customer_id] = {
            "customer_id": person.external_id,
            "name": person.name,
            "score": score,
            "status": state,
            "reasons": reasons,
            "evidence": {
                "promoter_answers": evidence.promoters,
                "nps_answers": len(evidence.answers),
                "positive_reviews": evidence.reviews,
                "social_posts": evidence.posts,
                "referrals": [
                    {k: v for k, v in r.items() if k not in ("age_days", "at_time")}
                    for r in evidence.referrals
                ],
                "tier": tier,
                "latest": _day(evidence.latest_positive),
            },
        }  # fmt: skip
    return Evaluation(advocates, excluded)


def _referrals(engine: Engine, now: dt.datetime) -> dict[int, list[dict[str, Any]]]:
    """Each referrer's referred customers within the window, as evidence."""
    r, c = REFERRALS.c, CUSTOMERS.c
    start = now - dt.timedelta(days=WINDOW_DAYS)
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    with engine.connect() as connection:
        rows = connection.execute(
            select(r.advocate_id, r.attributed_at, c.external_id)
            .join(CUSTOMERS, c.id == r.referred_customer_id)
            .where(r.attributed_at >= start, r.attributed_at <= now)
            .order_by(r.attributed_at, r.id)
        ).all()
    for row in rows:
        found[row.advocate_id].append({
            "customer_id": row.external_id,
            "at": _day(row.attributed_at),
            "at_time": row.attributed_at,
            "age_days": (now - row.attributed_at).total_seconds() / 86_400,
        })  # fmt: skip
    return found


def _status(evidence: _Evidence, score: float, recent: dt.datetime) -> tuple[str | None, list[str]]:
    reasons = []
    if evidence.promoters:
        reasons.append(f"{len(evidence.promoters)} promoter answer(s)")
    if evidence.reviews:
        reasons.append(f"{len(evidence.reviews)} positive review(s)")
    if evidence.posts:
        reasons.append(f"{len(evidence.posts)} positive post(s) about the brand")
    if evidence.referrals:
        reasons.append(f"{len(evidence.referrals)} customer(s) referred")
    latest = evidence.latest_positive
    if latest is None:
        return None, reasons
    if latest < recent:
        return "lapsed", [*reasons, f"nothing positive since {_day(latest)}"]
    last_answer = evidence.answers[-1] if evidence.answers else None
    promoted = evidence.latest_promoter
    if last_answer and promoted and 7 <= last_answer[1] <= 8 and last_answer[0] > promoted:
        return "lapsed", [*reasons, f"latest answer passive ({last_answer[1]})"]
    if score >= ACTIVE_SCORE:
        return "active", [*reasons, f"score {score:g} ≥ {ACTIVE_SCORE:g}"]
    if score >= CANDIDATE_SCORE:
        return "candidate", [*reasons, f"score {score:g} ≥ {CANDIDATE_SCORE:g}"]
    return None, reasons
