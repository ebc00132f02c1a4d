"""Support tickets: opened by the problems orders really had, answered well or badly.

Late parcels bring "where is my order?", lost ones a demand for a refund, faulty items a
replacement request; businesses ask for invoices. Support is slower and worse while a
carrier incident floods the team, and unresolved problems need more contacts.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from advocacy.demo.company import Company, Customer, Order
from advocacy.demo.composer import (
    Voice,
    base_values,
    compose_ticket,
    local_date,
    money,
    product_values,
)
from advocacy.demo.operations import lognormal_around

AGENTS = {
    "es-ES": ("Laura", "Javier", "Marta", "Diego", "Nerea"),
    "es-MX": ("Fernanda", "Luis", "Daniela", "Rodrigo"),
    "ru": ("Ольга", "Дмитрий", "Анна", "Сергей"),
    "ro": ("Ioana", "Mihai", "Elena", "Andrei"),
    "en": ("Sophie", "James", "Emily", "Tom", "Priya"),
}
# kind -> median hours to resolve when handled well
_HOURS = {
    "where": 20.0,
    "lost": 96.0,
    "broken": 48.0,
    "refund": 60.0,
    "invoice": 18.0,
    "address": 3.0,
    "cancel": 5.0,
    "account": 10.0,
    "setup": 22.0,
}


@dataclass(slots=True)
class Ticket:
    """One support conversation."""

    customer: Customer
    order: Order | None
    kind: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    status: str
    contacts: int
    channel: str
    agent: str
    good: bool  # resolved quickly and in one or two contacts
    subject: str = ""
    text: str = ""
    ticket_id: str = ""


def agent_for(rng: random.Random, customer: Customer) -> str:
    """A support agent of the customer's language team."""
    tag = customer.person.locale.tag
    team = AGENTS.get(tag) or AGENTS[customer.language]
    return rng.choice(team)


def _reasons(rng: random.Random, order: Order, end: dt.datetime) -> list[tuple[str, dt.datetime]]:
    """(kind, opened_at) of the tickets this order leads to."""
    found: list[tuple[str, dt.datetime]] = []
    business = order.customer.business
    if order.lost or (order.status == "shipped" and order.late_days > 0):
        if rng.random() < (0.9 if order.lost else 0.45 + 0.05 * order.late_days):
            kind = "lost" if order.lost and rng.random() < 0.7 else "where"
            found.append((kind, order.promised_at + dt.timedelta(days=rng.uniform(0.3, 4))))
    elif order.late_days and order.delivered_at is not None:
        wait = rng.uniform(0.2, min(order.late_days, 3))
        opened = order.promised_at + dt.timedelta(days=wait)
        asks = rng.random() < min(0.8, 0.22 + 0.07 * order.late_days)
        if asks and opened < order.delivered_at:
            found.append(("where", opened))
    if order.defect and order.delivered_at and rng.random() < 0.75:
        found.append(("broken", order.delivered_at + dt.timedelta(days=rng.uniform(0.1, 14))))
    elif order.returned and order.delivered_at and rng.random() < 0.3:
        found.append(("refund", order.delivered_at + dt.timedelta(days=rng.uniform(8, 20))))
    if order.setup_trouble and order.delivered_at and rng.random() < 0.45:
        found.append(("setup", order.delivered_at + dt.timedelta(days=rng.uniform(0.1, 5))))
    if rng.random() < (0.05 if business else 0.008):
        found.append(("invoice", order.ordered_at + dt.timedelta(days=rng.uniform(0.5, 20))))
    if rng.random() < 0.01:
        found.append(("address", order.ordered_at + dt.timedelta(hours=rng.uniform(0.2, 10))))
    if order.status == "cancelled" and not order.lost and rng.random() < 0.4:
        found.append(("cancel", order.ordered_at + dt.timedelta(hours=rng.uniform(0.1, 20))))
    return [(kind, when) for kind, when in found if when < end]


def _busy(company: Company, customer: Customer, when: dt.datetime) -> bool:
    return any(
        i.country == customer.market.country and i.start <= when < i.end
        for i in company.operations.incidents
    )


def _ticket(
    rng: random.Random,
    company: Company,
    customer: Customer,
    order: Order | None,
    kind: str,
    opened: dt.datetime,
) -> Ticket:
    end = company.end
    good = rng.random() < (0.5 if _busy(company, customer, opened) else 0.74)
    if kind == "lost":
        good = good and rng.random() < 0.6
    contacts = rng.choice((1, 1, 1, 2)) if good else min(6, 2 + int(rng.expovariate(0.8)))
    hours = lognormal_around(rng, _HOURS[kind], 0.6) * (1 if good else 3.5)
    closed: dt.datetime | None = opened + dt.timedelta(hours=hours)
    if kind == "where" and order is not None and order.delivered_at is not None:
        closed = max(opened + dt.timedelta(hours=1), order.delivered_at + dt.timedelta(hours=2))
    status = "closed"
    if closed is None or closed >= end:
        closed, status = None, "pending" if rng.random() < 0.4 else "open"
    elif not good and rng.random() < 0.04:
        closed, status = None, "pending"
    channel = rng.choices(("email", "chat", "phone", "web", "whatsapp"), (45, 25, 20, 7, 3))[0]
    if channel == "whatsapp" and customer.language == "ru":
        channel = "telegram"
    ticket = Ticket(
        customer=customer,
        order=order,
        kind=kind,
        opened_at=opened,
        closed_at=closed,
        status=status,
        contacts=contacts,
        channel=channel,
        agent=agent_for(rng, customer),
        good=good,
    )
    _write(rng, ticket)
    return ticket


def _write(rng: random.Random, ticket: Ticket) -> None:
    customer, order = ticket.customer, ticket.order
    person = customer.person
    phone = person.phone or customer.market.phone(rng)
    voice = Voice(customer.language, person.gender, locale=person.locale.tag)
    values = base_values(rng) | {
        "first_name": person.first_name,
        "phone": phone,
        "email": person.email,
    }
    if order is not None:
        waited = max(1, (ticket.opened_at - order.promised_at).days)
        values |= product_values(rng, customer.language, order.product)
        values |= {
            "order": order.order_id,
            "days": voice.bank.days(waited),
            "date": local_date(order.ordered_at.date(), voice.locale),
            "amount": money(order.amount, customer.market.currency),
        }
    ticket.subject, ticket.text = compose_ticket(rng, voice, ticket.kind, values, ticket.contacts)


def open_tickets(rng: random.Random, company: Company) -> list[Ticket]:
    """Every ticket of the demo history, ids ``T000001``… by opening time."""
    tickets: list[Ticket] = []
    for customer in company.customers:
        for order in customer.orders:
            for kind, opened in _reasons(rng, order, company.end):
                tickets.append(_ticket(rng, company, customer, order, kind, opened))
        if rng.random() < 0.02:
            opened = customer.acquired_at + dt.timedelta(days=rng.uniform(1, 400))
            if opened < company.end and (
                customer.churned_at is None or opened < customer.churned_at
            ):
                tickets.append(_ticket(rng, company, customer, None, "account", opened))
    tickets.sort(key=lambda t: (t.opened_at, t.customer.customer_id, t.kind))
    for number, ticket in enumerate(tickets, start=1):
        ticket.ticket_id = f"T{number:06d}"
    return tickets
