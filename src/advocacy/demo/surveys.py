"""NPS answers: asked after deliveries, after support conversations and twice a year.

The score follows what the customer went through (see ``experience``) and the comment — in
the customer's language most of the time, empty now and then — says what it was.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass

from advocacy.demo.company import Company, Customer, Order
from advocacy.demo.composer import Voice, base_values, compose_comment, product_values
from advocacy.demo.experience import Experience, aspects, nps_score, tone_of
from advocacy.demo.operations import DAY
from advocacy.demo.service import Ticket, agent_for

_CHANNELS = ("email", "sms", "in-app", "web", "link", "phone", "other")
_CHANNEL_WEIGHTS = (55, 10, 14, 10, 7, 2, 2)
_COMMENT_CHANCE = {"+": 0.62, "~": 0.6, "-": 0.85}


@dataclass(slots=True)
class Answer:
    """One NPS survey answer."""

    customer: Customer
    order: Order | None
    score: int
    comment: str
    responded_at: dt.datetime
    channel: str
    language: str
    touchpoint: str
    response_id: str = ""


def writing_language(rng: random.Random, customer: Customer) -> str:
    """The language a customer writes in this time (Moldovans switch now and then)."""
    if customer.person.locale.tag == "ro-MD" and rng.random() < 0.15:
        return "ru"
    if customer.person.locale.tag == "ru-MD" and rng.random() < 0.1:
        return "ro"
    return customer.language


def order_experience(
    customer: Customer, order: Order, tickets: list[Ticket], before: dt.datetime, history: int
) -> Experience:
    """The facts of an order as the customer knows them at ``before``."""
    seen = [t for t in tickets if t.opened_at < before]
    support = "" if not seen else "good" if all(t.good for t in seen) else "bad"
    recent_bad = sum(
        1
        for o in customer.orders
        if o is not order and o.bad and before - 120 * DAY <= o.ordered_at < before
    )
    return Experience(
        product=order.product,
        late_days=order.late_days,
        lost=order.lost,
        defect=order.defect,
        returned=order.returned,
        setup_trouble=order.setup_trouble,
        support=support,
        business=customer.business,
        price_sensitive=customer.price_sensitive,
        recent_bad=recent_bad,
        good_orders=history,
    )


def _answer(
    rng: random.Random,
    customer: Customer,
    order: Order | None,
    experience: Experience,
    when: dt.datetime,
    touchpoint: str,
    agent: str,
) -> Answer:
    score = nps_score(rng, customer.satisfaction, experience)
    tone = tone_of(score)
    language = writing_language(rng, customer)
    comment = ""
    if rng.random() < _COMMENT_CHANCE[tone]:
        voice = Voice(language, customer.person.gender)
        values = base_values(rng) | product_values(rng, language, experience.product)
        values |= {
            "days": voice.bank.days(max(1, experience.late_days)),
            "used": voice.bank.days(rng.choice((1, 2, 3, 4, 5, 7, 10, 14))),
            "agent": agent,
            "order": order.order_id if order else "",
        }
        keys = aspects(rng, experience, score)
        comment = compose_comment(rng, voice, tone, keys, values, business=customer.business)
    channel = rng.choices(_CHANNELS, _CHANNEL_WEIGHTS)[0]
    if customer.segment == "enterprise" and touchpoint == "relationship" and rng.random() < 0.4:
        channel = "phone"
    return Answer(customer, order, score, comment, when, channel, language, touchpoint)


def collect_answers(rng: random.Random, company: Company, tickets: list[Ticket]) -> list[Answer]:
    """Every NPS answer of the demo history, ids ``N000001``… by answer time."""
    end = company.end
    by_order: dict[str, list[Ticket]] = defaultdict(list)
    for ticket in tickets:
        if ticket.order is not None:
            by_order[ticket.order.order_id].append(ticket)
    answers: list[Answer] = []
    waves = [end - (40 + 182 * k) * DAY for k in range(4)]
    for customer in company.customers:
        last_asked = customer.acquired_at - 365 * DAY
        good = 0
        for order in sorted(customer.orders, key=lambda o: o.ordered_at):
            own = by_order.get(order.order_id, [])
            if order.delivered_at is not None and order.delivered_at - last_asked > 21 * DAY:
                sent = order.delivered_at + dt.timedelta(days=rng.uniform(0.5, 4))
                if rng.random() < 0.9:
                    last_asked = sent
                    chance = customer.response_rate + (0.1 if order.bad else 0.0)
                    answered = sent + dt.timedelta(hours=min(160, rng.expovariate(1 / 18)))
                    if rng.random() < chance and answered < end:
                        exp = order_experience(customer, order, own, answered, good)
                        agent = own[0].agent if own else agent_for(rng, customer)
                        touchpoint = "return" if order.returned else "delivery"
                        answers.append(
                            _answer(rng, customer, order, exp, answered, touchpoint, agent)
                        )
            for ticket in own:
                if ticket.closed_at is None or rng.random() > 0.35:
                    continue
                answered = ticket.closed_at + dt.timedelta(hours=rng.uniform(2, 48))
                if answered < end and rng.random() < customer.response_rate:
                    exp = order_experience(customer, order, own, answered, good)
                    answers.append(
                        _answer(rng, customer, order, exp, answered, "support", ticket.agent)
                    )
            good += 0 if order.bad else 1
        for wave in waves:
            alive = customer.churned_at is None or customer.churned_at > wave
            if customer.acquired_at < wave - 30 * DAY and alive and rng.random() < 0.12:
                answered = wave + dt.timedelta(hours=rng.uniform(1, 120))
                if answered >= end or rng.random() > customer.response_rate:
                    continue
                past = [o for o in customer.orders if o.ordered_at < wave - 5 * DAY]
                recent = [o for o in past if o.ordered_at >= wave - 120 * DAY]
                bad = [o for o in recent if o.bad]
                pick = bad[-1] if bad else (recent[-1] if recent else None)
                if pick is None:
                    exp = Experience(
                        None,
                        price_sensitive=customer.price_sensitive,
                        good_orders=sum(1 for o in past if not o.bad),
                    )
                else:
                    history = sum(1 for o in past if not o.bad)
                    exp = order_experience(
                        customer, pick, by_order.get(pick.order_id, []), answered, history
                    )
                answers.append(
                    _answer(
                        rng, customer, pick, exp, answered, "relationship", agent_for(rng, customer)
                    )
                )
    answers.sort(key=lambda a: (a.responded_at, a.customer.customer_id))
    for number, answer in enumerate(answers, start=1):
        answer.response_id = f"N{number:06d}"
    return answers
