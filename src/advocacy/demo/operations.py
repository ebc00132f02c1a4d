"""How parcels travel and what goes wrong: delivery promises, late and lost parcels, bad batches.

Late deliveries are not spread evenly. Each market has a base rate, the Christmas peak adds to
it, and dated incidents (a carrier switch in Russia, a strike in Spain, an ongoing customs
backlog in Moldova, …) make lateness cluster in one country for a few weeks — the pattern a
proactive rule should find. A bad batch of one blender does the same for quality.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

from advocacy.demo.catalogue import Product
from advocacy.demo.markets import Market

DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Incident:
    """A spell when one country's parcels run late (and a few get lost)."""

    country: str
    start: dt.datetime
    end: dt.datetime
    extra_late: float  # added to the chance that a parcel is late
    mean_delay: float  # days
    lost_rate: float
    cause: str


@dataclass(frozen=True, slots=True)
class BadBatch:
    """A spell when one product arrives faulty far more often than usual."""

    sku: str
    start: dt.datetime
    end: dt.datetime
    defect_rate: float


@dataclass(frozen=True, slots=True)
class Delivery:
    """A parcel's promise and fate; ``arrived_at`` is None for a lost parcel."""

    promised_at: dt.datetime
    arrived_at: dt.datetime | None
    late_days: int  # whole days after the promise (0 when on time or lost)
    lost: bool


@dataclass(frozen=True, slots=True)
class Operations:
    """Everything that shapes deliveries and quality over the two years before ``end``."""

    end: dt.datetime
    incidents: tuple[Incident, ...]
    batches: tuple[BadBatch, ...]

    @classmethod
    def before(cls, end: dt.datetime) -> Operations:
        """The incidents of the demo history, dated back from ``end`` (midnight of today)."""

        def ago(days: int) -> dt.datetime:
            return end - days * DAY

        incidents = (
            Incident("RO", ago(430), ago(402), 0.30, 4.0, 0.010, "courier capacity in Romania"),
            Incident("GB", ago(330), ago(318), 0.30, 3.0, 0.005, "storm disruption"),
            Incident("RU", ago(250), ago(214), 0.45, 7.0, 0.020, "carrier switch in Russia"),
            Incident("MX", ago(150), ago(128), 0.35, 6.0, 0.030, "customs backlog in Mexico"),
            Incident("ES", ago(80), ago(62), 0.40, 5.0, 0.010, "transport strike in Spain"),
            Incident("MD", ago(26), end, 0.50, 8.0, 0.030, "border delays into Moldova"),
        )
        batches = (BadBatch("BBL12", ago(200), ago(140), 0.28),)
        return cls(end, incidents, batches)

    def late_chance(self, market: Market, when: dt.datetime) -> tuple[float, float, float]:
        """(chance a parcel ordered then is late, mean delay in days, chance it is lost)."""
        chance, delay, lost = market.late_rate + 0.01, 2.5, 0.004
        if (when.month == 11 and when.day >= 20) or (when.month == 12 and when.day <= 23):
            chance += 0.06
        for incident in self.incidents:
            if incident.country == market.country and incident.start <= when < incident.end:
                chance += incident.extra_late
                delay = incident.mean_delay
                lost = incident.lost_rate
        return chance, delay, lost

    def defect_rate(self, product: Product, when: dt.datetime) -> float:
        """The chance that this product, shipped then, arrives faulty or soon fails."""
        rate = product.defect_rate
        for batch in self.batches:
            if batch.sku == product.sku and batch.start <= when < batch.end:
                rate = batch.defect_rate
        return rate

    def deliver(self, rng: random.Random, market: Market, ordered_at: dt.datetime) -> Delivery:
        """When the parcel was promised and when (if ever) it arrived."""
        low, high = market.lead_days
        lead = rng.randint(low, high) + (1 if ordered_at.hour >= 14 else 0)
        promised_day = ordered_at.date() + lead * DAY
        promised_at = dt.datetime.combine(promised_day, dt.time(21, 0), dt.UTC)
        chance, mean_delay, lost_chance = self.late_chance(market, ordered_at)
        if rng.random() < lost_chance:
            return Delivery(promised_at, None, 0, True)
        if rng.random() < chance:
            late = 1 + min(29, int(rng.expovariate(1 / mean_delay)))
            day = promised_day + late * DAY
        else:
            late = 0
            early = rng.choices((0, 1, 2), weights=(6, 3, 1))[0]
            day = max(ordered_at.date() + DAY, promised_day - early * DAY)
        arrived = dt.datetime.combine(day, dt.time(rng.randint(8, 19), rng.randrange(60)), dt.UTC)
        return Delivery(promised_at, arrived, late, False)


def lognormal_around(rng: random.Random, median: float, sigma: float) -> float:
    """A log-normal draw with the given median: prices, costs and counts are skewed like this."""
    return median * math.exp(rng.gauss(0.0, sigma))
