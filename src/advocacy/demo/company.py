"""The demo company's customers and their two years of orders.

Customers arrive over two years (more recently than long ago, and more around Black Friday).
Each buys at their own pace — a gamma-distributed yearly rate with a chance to drift away
after every order, as the BG/NBD model assumes — so some buy once and some every month.
Customers on a contract (Plus members and business accounts) may cancel it, more often soon
after a late, lost or faulty delivery.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from dataclasses import dataclass, field

from advocacy.demo.catalogue import PRODUCTS, Product
from advocacy.demo.markets import MARKETS, Market, Person, make_person, pick_locale
from advocacy.demo.operations import DAY, Operations, lognormal_around

HISTORY_DAYS = 730
SEGMENTS = ("consumer", "small business", "enterprise")

# segment -> (yearly-rate gamma shape, scale, drop-out beta a, b, median quantity, quantity sigma)
_PACE = {
    "consumer": (1.2, 5.0, 1.0, 9.0, 1.0, 0.0),
    "small business": (2.5, 5.5, 1.0, 16.0, 3.0, 0.6),
    "enterprise": (4.0, 7.0, 1.0, 40.0, 12.0, 0.7),
}
# segment -> contract cancellation chance per day, with no bad experience
_BASE_CHURN = {"consumer": 0.022 / 30, "small business": 0.012 / 30, "enterprise": 0.006 / 30}
# acquisition channel -> (weight for consumers, weight for businesses, median cost in EUR)
_CHANNELS = {
    "search": (30, 25, 28.0),
    "social ads": (25, 5, 22.0),
    "marketplace": (10, 0, 15.0),
    "referral": (14, 18, 10.0),
    "showroom": (8, 5, 40.0),
    "newsletter": (6, 0, 5.0),
    "organic": (7, 7, 2.0),
    "sales team": (0, 30, 260.0),
    "trade fair": (0, 10, 180.0),
}


@dataclass(slots=True)
class Order:
    """One order and what happened to it."""

    customer: Customer
    ordered_at: dt.datetime
    product: Product
    quantity: int
    amount: float
    status: str
    promised_at: dt.datetime
    delivered_at: dt.datetime | None
    late_days: int  # days after the promise it arrived, or has been waiting so far
    lost: bool
    defect: bool = False
    returned: bool = False
    setup_trouble: bool = False
    order_id: str = ""

    @property
    def late(self) -> bool:
        """Delivered after the promise, or still not delivered once the promise has passed."""
        return self.late_days > 0

    @property
    def bad(self) -> bool:
        """Whether the customer had reason to be unhappy with this order."""
        return self.late_days >= 2 or self.lost or self.defect


@dataclass(slots=True)
class Customer:
    """A customer, their traits (which shape their feedback) and their orders."""

    person: Person
    market: Market
    city: str
    segment: str
    plan: str
    acquired_at: dt.datetime
    channel: str
    acquisition_cost: float
    satisfaction: float  # the NPS score this customer would give when nothing goes wrong
    response_rate: float  # chance of answering a survey
    advocate: bool
    price_sensitive: bool
    referred_by: Customer | None = None
    churned_at: dt.datetime | None = None
    orders: list[Order] = field(default_factory=list)
    customer_id: str = ""

    @property
    def contract(self) -> bool:
        """Whether the customer holds a contract that can be cancelled (churned_at applies)."""
        return self.plan != "basic"

    @property
    def language(self) -> str:
        return self.person.locale.language

    @property
    def business(self) -> bool:
        return self.segment != "consumer"


@dataclass(slots=True)
class Company:
    """The whole demo company: customers (by acquisition) and orders (by date)."""

    start: dt.datetime
    end: dt.datetime
    operations: Operations
    customers: list[Customer]
    orders: list[Order]


def _acquisition_times(rng: random.Random, count: int, start: dt.datetime) -> list[dt.datetime]:
    """Acquisition instants: growing over the two years, with a Black Friday bump."""
    times: list[dt.datetime] = []
    while len(times) < count:
        u = rng.random()
        when = start + dt.timedelta(seconds=int(u * (HISTORY_DAYS - 1) * 86_400))
        weight = 1.0 + 0.7 * u
        if (when.month == 11 and when.day >= 15) or (when.month == 12 and when.day <= 10):
            weight *= 1.6
        if rng.random() * 2.8 < weight:
            times.append(when)
    times.sort()
    return times


def _new_customer(
    rng: random.Random, when: dt.datetime, taken_emails: set[str], advocate: bool
) -> Customer:
    market = rng.choices(MARKETS, weights=[m.share for m in MARKETS])[0]
    locale = pick_locale(rng, market)
    segment = rng.choices(SEGMENTS, weights=(0.80, 0.16, 0.04))[0]
    if advocate:
        segment = "consumer" if rng.random() < 0.8 else "small business"
    business = segment != "consumer"
    person = make_person(rng, market, locale, business=business, taken_emails=taken_emails)
    if segment == "consumer":
        plan = "plus" if rng.random() < (0.7 if advocate else 0.3) else "basic"
    else:
        plan = "business" if segment == "small business" else "enterprise"
    names = list(_CHANNELS)
    weights = [_CHANNELS[n][1 if business else 0] for n in names]
    channel = rng.choices(names, weights=weights)[0]
    cost_eur = lognormal_around(rng, _CHANNELS[channel][2], 0.5)
    if segment == "enterprise":
        cost_eur *= 3
    satisfaction = 9.6 if advocate else min(9.8, rng.gauss(8.4, 1.1))
    return Customer(
        person=person,
        market=market,
        city=rng.choice(market.cities),
        segment=segment,
        plan=plan,
        acquired_at=when,
        channel=channel,
        acquisition_cost=round(cost_eur * market.eur_rate, 2),
        satisfaction=satisfaction,
        response_rate=0.9 if advocate else rng.betavariate(2.5, 2.5),
        advocate=advocate,
        price_sensitive=rng.random() < 0.18,
    )


def _choose_product(rng: random.Random, customer: Customer, when: dt.datetime) -> Product:
    if customer.orders and rng.random() < (0.5 if customer.business else 0.15):
        return rng.choice(customer.orders).product
    winter = when.month in (11, 12, 1, 2)
    summer = when.month in (6, 7, 8)
    weights = []
    for product in PRODUCTS:
        weight = product.business if customer.business else 1.0
        if product.season == "winter":
            weight *= 3.0 if winter else 0.3
        elif product.season == "summer":
            weight *= 3.0 if summer else 0.3
        weights.append(weight)
    return rng.choices(PRODUCTS, weights=weights)[0]


def _place_order(
    rng: random.Random, ops: Operations, customer: Customer, when: dt.datetime
) -> Order:
    product = _choose_product(rng, customer, when)
    *_, median_qty, qty_sigma = _PACE[customer.segment]
    quantity = 1 if median_qty == 1 else max(1, round(lognormal_around(rng, median_qty, qty_sigma)))
    if customer.segment == "consumer" and rng.random() < 0.08:
        quantity = 2
    basket = lognormal_around(rng, 1.0, 0.18 if customer.segment == "consumer" else 0.1)
    amount = round(customer.market.price(product.eur) * quantity * basket, 2)
    delivery = ops.deliver(rng, customer.market, when)
    end = ops.end
    order = Order(
        customer=customer,
        ordered_at=when,
        product=product,
        quantity=quantity,
        amount=amount,
        status="delivered",
        promised_at=delivery.promised_at,
        delivered_at=delivery.arrived_at,
        late_days=delivery.late_days,
        lost=delivery.lost,
    )
    if rng.random() < 0.025:
        order.status, order.delivered_at, order.late_days, order.lost = "cancelled", None, 0, False
        return order
    arrived = delivery.arrived_at
    if arrived is None or arrived >= end:
        order.delivered_at = None
        if delivery.lost and delivery.promised_at + 21 * DAY < end:
            order.status = "cancelled"  # refunded once the carrier gave it up
        elif when > end - 1.5 * DAY and rng.random() < 0.6:
            order.status, order.late_days = "placed", 0
        else:
            order.status = "shipped"
            if delivery.promised_at < end:
                order.late_days = max(1, (end - delivery.promised_at).days)
        return order
    order.defect = rng.random() < ops.defect_rate(product, arrived)
    order.setup_trouble = product.fiddly and rng.random() < 0.25
    return_chance = 0.6 if order.defect else 0.03
    if rng.random() < return_chance and arrived + 3 * DAY < end:
        order.status, order.returned = "returned", True
    return order


def _order_time(rng: random.Random, day: dt.datetime) -> dt.datetime:
    hour = rng.choices(
        range(24),
        weights=[1, 1, 1, 1, 1, 1, 2, 3, 5, 6, 7, 7, 8, 8, 7, 7, 7, 8, 9, 11, 12, 11, 7, 3],
    )[0]
    base = dt.datetime.combine(day.date(), dt.time(hour, rng.randrange(60), rng.randrange(60)))
    return base.replace(tzinfo=dt.UTC)


def _live(rng: random.Random, ops: Operations, customer: Customer) -> None:
    """Simulate the customer's purchases (and contract cancellation) until the end."""
    shape, scale, drop_a, drop_b, *_ = _PACE[customer.segment]
    yearly = rng.gammavariate(shape, scale) * (1.6 if customer.plan == "plus" else 1.0)
    if customer.advocate:
        yearly = max(yearly * 2, 6.0)
    drop = 0.02 if customer.advocate else rng.betavariate(drop_a, drop_b)
    end = ops.end
    churn_at: dt.datetime | None = None
    if customer.contract:
        days = rng.expovariate(_BASE_CHURN[customer.segment] * (0.3 if customer.advocate else 1))
        churn_at = customer.acquired_at + dt.timedelta(days=min(days, 5000))
    if rng.random() < 0.04 and not customer.advocate:
        next_at = end  # registered, never bought
    elif rng.random() < 0.75:
        next_at = customer.acquired_at + dt.timedelta(minutes=rng.uniform(2, 180))
    else:
        next_at = customer.acquired_at + dt.timedelta(days=rng.uniform(1, 30))
    while next_at < end and (churn_at is None or next_at < churn_at):
        order = _place_order(rng, ops, customer, next_at)
        customer.orders.append(order)
        if order.bad:
            seen = order.delivered_at or order.promised_at
            if churn_at is not None and rng.random() < (0.35 if order.lost else 0.15):
                churn_at = min(churn_at, seen + dt.timedelta(days=rng.uniform(5, 45)))
            drop = min(0.9, drop + (0.03 if customer.contract else 0.12))
        if rng.random() < drop:
            break
        # Thinning: buy more in November and December.
        while True:
            gap = min(rng.expovariate(yearly * 1.5 / 365), 2 * HISTORY_DAYS)  # rates near 0
            next_at += dt.timedelta(days=gap)
            if rng.random() < (1.0 if next_at.month in (11, 12) else 1 / 1.5):
                break
        next_at = max(next_at, customer.acquired_at + DAY)
        next_at = _order_time(rng, next_at) if next_at.date() < end.date() else end
    if churn_at is not None and churn_at < end:
        customer.churned_at = churn_at
    customer.orders.sort(key=lambda o: o.ordered_at)


def build_company(rng: random.Random, customers: int, end: dt.datetime) -> Company:
    """Customers (ids ``C00001``… by acquisition) and orders (``O000001``… by date)."""
    start = end - HISTORY_DAYS * DAY
    ops = Operations.before(end)
    taken: set[str] = set()
    people: list[Customer] = []
    referrers: list[Customer] = []
    cumulative: list[float] = []
    for when in _acquisition_times(rng, customers, start):
        customer = _new_customer(rng, when, taken, advocate=rng.random() < 0.015)
        if customer.channel == "referral" and cumulative:
            pick = rng.random() * cumulative[-1]
            customer.referred_by = referrers[bisect.bisect_right(cumulative, pick)]
        weight = 25.0 if customer.advocate else 2.0 if customer.satisfaction > 8.5 else 0.3
        referrers.append(customer)
        cumulative.append((cumulative[-1] if cumulative else 0.0) + weight)
        people.append(customer)
    for number, customer in enumerate(people, start=1):
        customer.customer_id = f"C{number:05d}"
        _live(rng, ops, customer)
    orders = sorted(
        (o for c in people for o in c.orders), key=lambda o: (o.ordered_at, o.customer.customer_id)
    )
    for number, order in enumerate(orders, start=1):
        order.order_id = f"O{number:06d}"
    return Company(start, end, ops, people, orders)
