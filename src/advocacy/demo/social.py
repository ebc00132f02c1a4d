"""Social-media posts that mention the brand, on X, Facebook, Instagram, Reddit and LinkedIn.

Complaints follow late, lost and faulty orders (and spread further during an incident),
happy customers post now and then, strangers ask questions, and a few brand advocates post
praise again and again to a following that likes and shares it.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from advocacy.demo.catalogue import PRODUCTS, Product
from advocacy.demo.company import Company, Customer, Order
from advocacy.demo.composer import Voice, base_values, compose_post, product_values
from advocacy.demo.markets import MARKETS, ascii_slug, person_name, pick_locale
from advocacy.demo.operations import lognormal_around
from advocacy.demo.service import Ticket
from advocacy.demo.surveys import writing_language

# kind -> network weights (x, facebook, instagram, reddit, linkedin)
_NETWORKS = ("x", "facebook", "instagram", "reddit", "linkedin")
_WHERE = {
    "late": (50, 30, 5, 15, 0),
    "lost": (50, 30, 5, 15, 0),
    "broken": (45, 30, 10, 15, 0),
    "praise": (25, 25, 40, 5, 5),
    "advocate": (25, 25, 40, 5, 5),
    "support+": (60, 40, 0, 0, 0),
    "question": (30, 30, 0, 40, 0),
    "deal": (40, 40, 0, 20, 0),
    "showroom": (0, 30, 70, 0, 0),
}
_TONE = {"late": "-", "lost": "-", "broken": "-", "question": "~", "deal": "+"}
_EXTRA = {
    "late": ("detail:delivery-",),
    "lost": ("detail:lost-",),
    "broken": ("detail:quality-",),
    "praise": ("quality+",),
    "advocate": ("price+", "support+"),
    "support+": ("detail:support+",),
}
_SUBREDDITS = {
    "en": ("BuyItForLife", "Cooking", "AskUK", "HomeImprovement"),
    "es": ("spain", "mexico", "esConversacion"),
    "ru": ("russia", "moldova"),
    "ro": ("Romania", "moldova"),
}
_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"


@dataclass(slots=True)
class Post:
    """One public post."""

    network: str
    post_id: str
    author: str
    text: str
    posted_at: dt.datetime
    url: str
    language: str
    likes: int
    shares: int
    customer: Customer | None = None
    order: Order | None = None


def _handle(rng: random.Random, first: str, surname: str) -> str:
    f, s = ascii_slug(first.split()[0]), ascii_slug(surname.split()[0])
    return rng.choice(
        (
            f"{f}_{s}",
            f"{f}{s[:1]}{rng.randrange(10, 99)}",
            f"{s}{f[:1]}",
            f"{f}.{s}",
            f"the{f}{rng.randrange(1, 999)}",
        )
    )


def _where(
    rng: random.Random, network: str, handle: str, language: str, taken: set[str], text: str
) -> tuple[str, str]:
    """(post id, url) unique within the network."""
    while True:
        if network == "x":
            number = str(rng.randrange(10**18, 2 * 10**18))
            post_id, url = number, f"https://x.com/{handle}/status/{number}"
        elif network == "facebook":
            story, owner = rng.randrange(10**15, 10**16), rng.randrange(10**14, 10**15)
            post_id = f"{owner}_{story}"
            url = f"https://www.facebook.com/permalink.php?story_fbid={story}&id={owner}"
        elif network == "instagram":
            code = "".join(rng.choice(_ALNUM + "ABCDEFGHIJKLMNOPQRSTUVWXYZ_-") for _ in range(11))
            post_id, url = code, f"https://www.instagram.com/p/{code}/"
        elif network == "reddit":
            code = "".join(rng.choice(_ALNUM) for _ in range(7))
            words = "_".join(ascii_slug(w) for w in text.split()[:6] if ascii_slug(w))
            sub = rng.choice(_SUBREDDITS[language])
            post_id = f"t3_{code}"
            url = f"https://www.reddit.com/r/{sub}/comments/{code}/{words[:60] or 'post'}/"
        else:
            number = str(rng.randrange(7 * 10**18, 8 * 10**18))
            post_id = f"urn:li:activity:{number}"
            url = f"https://www.linkedin.com/feed/update/{post_id}/"
        if post_id not in taken:
            taken.add(post_id)
            return post_id, url


def _post(
    rng: random.Random,
    kind: str,
    when: dt.datetime,
    who: tuple[str, str, str, str, str],
    product: Product | None,
    taken: dict[str, set[str]],
    *,
    business: bool = False,
    reach: float = 1.0,
    order: Order | None = None,
    customer: Customer | None = None,
    favourite: str = "",
) -> Post:
    first, surname, gender, language, known_as = who
    weights = list(_WHERE[kind])
    if not business:
        weights[4] = 0
    network = rng.choices(_NETWORKS, weights)[0]
    if favourite and rng.random() < 0.7:
        network = favourite
    voice = Voice(language, gender)
    values = base_values(rng) | product_values(rng, language, product or rng.choice(PRODUCTS))
    days = max(1, order.late_days) if order is not None else rng.randint(2, 9)
    values |= {
        "days": voice.bank.days(days),
        "order": order.order_id if order else "",
        "used": voice.bank.days(rng.randint(2, 10)),
        "agent": "",
    }
    tone = _TONE.get(kind, "+")
    text = compose_post(rng, voice, kind, values, tone, extra=_EXTRA.get(kind, ()))
    # A customer keeps one handle across posts, so a regular poster can be recognised.
    handle = _handle(random.Random(f"handle:{known_as}") if known_as else rng, first, surname)
    author = {"x": f"@{handle}", "instagram": f"@{handle}", "reddit": f"u/{handle}"}.get(
        network, f"{first} {surname.split()[0]}"
    )
    post_id, url = _where(rng, network, handle, language, taken.setdefault(network, set()), text)
    likes = int(lognormal_around(rng, 6 if network != "reddit" else 12, 1.2) * reach)
    shares = 0 if network == "instagram" else int(lognormal_around(rng, 0.8, 1.1) * reach)
    linked = order if customer is not None else None  # an anonymous post names no order
    return Post(
        network=network,
        post_id=post_id,
        author=author,
        text=text,
        posted_at=when,
        url=url,
        language=language,
        likes=likes,
        shares=shares,
        customer=customer,
        order=linked,
    )


def _voice_of(rng: random.Random, customer: Customer) -> tuple[str, str, str, str, str]:
    person = customer.person
    language = writing_language(rng, customer)
    return person.first_name, person.surname, person.gender, language, customer.customer_id


def gather_posts(rng: random.Random, company: Company, tickets: list[Ticket]) -> list[Post]:
    """Every post of the demo history, by posting time."""
    end = company.end
    taken: dict[str, set[str]] = {}
    posts: list[Post] = []

    def busy(customer: Customer, when: dt.datetime) -> bool:
        return any(
            i.country == customer.market.country and i.start <= when < i.end
            for i in company.operations.incidents
        )

    for customer in company.customers:
        tied = rng.random() < 0.55
        for order in customer.orders:
            kind = ""
            if order.lost and rng.random() < 0.25:
                kind = "lost"
            elif order.late_days >= 3 and rng.random() < 0.08:
                kind = "late"
            elif order.defect and rng.random() < 0.08:
                kind = "broken"
            elif not order.bad and order.delivered_at and rng.random() < 0.012:
                kind = "praise"
            if not kind:
                continue
            when = (order.delivered_at or order.promised_at) + dt.timedelta(
                hours=rng.uniform(2, 96)
            )
            if kind == "late" and order.delivered_at:
                when = order.promised_at + dt.timedelta(days=rng.uniform(1, order.late_days))
            if when >= end:
                continue
            reach = 3.0 if kind in ("late", "lost") and busy(customer, when) else 1.0
            posts.append(
                _post(
                    rng,
                    kind,
                    when,
                    _voice_of(rng, customer),
                    order.product,
                    taken,
                    business=customer.business,
                    reach=reach,
                    order=order,
                    customer=customer if tied else None,
                )
            )
        if customer.advocate:
            favourite = rng.choice(("instagram", "instagram", "x", "facebook"))
            last = customer.churned_at or end
            span = (last - customer.acquired_at).total_seconds()
            for _ in range(rng.randint(3, 9)):
                when = customer.acquired_at + dt.timedelta(seconds=rng.uniform(0.05, 1) * span)
                kind = rng.choices(("advocate", "praise", "deal", "showroom"), (45, 30, 15, 10))[0]
                bought = [o.product for o in customer.orders if o.ordered_at < when]
                product = rng.choice(bought) if bought else None
                posts.append(
                    _post(
                        rng,
                        kind,
                        when,
                        _voice_of(rng, customer),
                        product,
                        taken,
                        business=customer.business,
                        reach=4.0,
                        customer=customer if rng.random() < 0.85 else None,
                        favourite=favourite,
                    )
                )
    for ticket in tickets:
        if ticket.good and ticket.closed_at and rng.random() < 0.04:
            when = ticket.closed_at + dt.timedelta(hours=rng.uniform(0.5, 30))
            if when < end:
                customer = ticket.customer
                posts.append(
                    _post(
                        rng,
                        "support+",
                        when,
                        _voice_of(rng, customer),
                        None,
                        taken,
                        customer=customer if rng.random() < 0.5 else None,
                    )
                )
    for _ in range(round(len(company.customers) * 0.09)):
        market = rng.choices(MARKETS, weights=[m.share for m in MARKETS])[0]
        locale = pick_locale(rng, market)
        first, surname, gender = person_name(rng, locale.tradition)
        when = company.start + dt.timedelta(days=(rng.random() ** 0.8) * 729.9)
        kind = rng.choices(("question", "deal", "praise", "showroom", "late"), (35, 20, 25, 8, 12))[
            0
        ]
        posts.append(
            _post(rng, kind, when, (first, surname, gender, locale.language, ""), None, taken)
        )
    posts.sort(key=lambda p: (p.posted_at, p.network, p.post_id))
    return [p for p in posts if p.posted_at < end]
