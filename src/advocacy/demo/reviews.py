"""Public reviews on Trustpilot, Google, Amazon and Tripadvisor.

Some come from known customers after a real order (and carry their customer id); most come
from people the company cannot identify, whose experiences follow the same delivery incidents
and bad batches. Unhappy and delighted people review more than lukewarm ones. Google and
Tripadvisor also review the showrooms. A handful of awkward rows (HTML, a script injection,
an emoji-only review, a very long one) keep importers honest.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from advocacy.demo.catalogue import BRAND, PRODUCTS, Product
from advocacy.demo.company import Company, Customer, Order
from advocacy.demo.composer import (
    Voice,
    base_values,
    compose_comment,
    compose_title,
    product_values,
    sentence,
)
from advocacy.demo.experience import Experience, aspects, nps_score, stars, tone_of
from advocacy.demo.markets import MARKETS, Market, ascii_slug, person_name, pick_locale
from advocacy.demo.operations import DAY
from advocacy.demo.service import AGENTS, Ticket, agent_for
from advocacy.demo.surveys import order_experience, writing_language
from advocacy.demo.texts import BANKS

# country -> (showroom city, Google place id, Tripadvisor domain and geo id, or None)
_SHOWROOMS: dict[str, tuple[str, str, tuple[str, int] | None]] = {
    "ES": ("Madrid", "11894502716338450123", ("tripadvisor.es", 187514)),
    "MX": ("Ciudad de México", "5728841036625538110", None),
    "RU": ("Москва", "9182734650019283746", None),
    "RO": ("București", "3345129876501928374", ("tripadvisor.com", 294458)),
    "MD": ("Chișinău", "7765401928374650192", None),
    "GB": ("London", "14488123900123456789", ("tripadvisor.co.uk", 186338)),
}


@dataclass(slots=True)
class Review:
    """One public review."""

    platform: str
    review_id: str
    rating: int
    title: str
    text: str
    author: str
    posted_at: dt.datetime
    url: str
    language: str
    customer: Customer | None = None
    order: Order | None = None
    product: str = ""
    place: str = ""


def _code(rng: random.Random, alphabet: str, length: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


_HEX = "0123456789abcdef"
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _asin(product: Product) -> str:
    return "B0" + _code(random.Random(f"asin:{product.sku}"), _UPPER, 8)


def _author(rng: random.Random, platform: str, first: str, surname: str, language: str) -> str:
    family = surname.split()[0]
    if platform == "tripadvisor":
        handle = ascii_slug(first) + ascii_slug(family)[:1] + str(rng.randrange(60, 100))
        return handle if rng.random() < 0.6 else f"{first} {family[0]}"
    if platform == "amazon" and rng.random() < 0.3:
        return BANKS[language].anonymous
    roll = rng.random()
    if roll < 0.45:
        return f"{first} {family}"
    if roll < 0.85 or platform == "google":
        return f"{first} {family[0]}."
    return first if roll < 0.95 else (first[0] + family[0]).upper()


def _platform_for(rng: random.Random, market: Market, experience: Experience) -> str:
    product_story = experience.defect or experience.setup_trouble
    if market.amazon_domain and (product_story or rng.random() < 0.25):
        return "amazon"
    return "trustpilot" if rng.random() < 0.62 else "google"


def _locate(
    rng: random.Random,
    platform: str,
    market: Market,
    product: Product | None,
    place: str,
    taken: set[str],
) -> tuple[str, str]:
    """(review id, url) for a platform; ids are unique within the platform."""
    while True:
        if platform == "trustpilot":
            code = _code(rng, _HEX, 24)
            review_id, url = f"TP-{code}", f"https://www.trustpilot.com/reviews/{code}"
        elif platform == "google":
            code = "ChdDSUhNMG9nS0VJQ0FnSU" + _code(rng, _B64, 16)
            cid = _SHOWROOMS.get(market.country, ("", "9000000000000000001", None))[1]
            review_id, url = f"G-{code}", f"https://www.google.com/maps?cid={cid}&review={code}"
        elif platform == "amazon":
            code = "R" + _code(rng, _UPPER, 13)
            asin = _asin(product) if product else "B0VETRA000"
            url = f"https://www.{market.amazon_domain}/gp/customer-reviews/{code}?ASIN={asin}"
            review_id = f"AMZ-{code}"
        else:
            code = str(rng.randrange(900_000_000, 999_999_999))
            domain, geo = _SHOWROOMS[market.country][2] or ("tripadvisor.com", 1)
            slug = ascii_slug(place).title() or "Showroom"
            url = (
                f"https://www.{domain}/ShowUserReviews-g{geo}-d{20_000_000 + geo}-r{code}-"
                f"Vetra_Home_Showroom-{slug}.html"
            )
            review_id = f"TA-{code}"
        if review_id not in taken:
            taken.add(review_id)
            return review_id, url


def _write(
    rng: random.Random,
    platform: str,
    language: str,
    gender: str,
    experience: Experience,
    score: int,
    agent: str,
) -> tuple[int, str, str]:
    """(rating, title, text) for a review of this experience."""
    rating = stars(rng, score)
    tone = "+" if rating >= 4 else "~" if rating == 3 else "-"
    voice = Voice(language, gender)
    values = base_values(rng) | product_values(rng, language, experience.product)
    values |= {
        "days": voice.bank.days(max(1, experience.late_days)),
        "agent": agent,
        "used": voice.bank.days(rng.choice((2, 3, 5, 7, 14))),
    }
    if platform == "google" and rng.random() < 0.25:
        return rating, "", ""
    # The stars decide the mood; a 7 who still gives five stars writes like a promoter.
    mood_score = score if tone_of(score) == tone else {"+": 9, "~": 7, "-": 3}[tone]
    keys = aspects(rng, experience, mood_score)
    text = compose_comment(rng, voice, tone, keys, values, business=experience.business, long=True)
    title = "" if platform == "google" else compose_title(rng, voice, tone, values, keys)
    return rating, title, text


def _review_of(
    rng: random.Random,
    company: Company,
    customer: Customer,
    order: Order,
    tickets: list[Ticket],
    taken: set[str],
) -> Review | None:
    seen = order.delivered_at or order.promised_at
    posted = seen + dt.timedelta(days=rng.uniform(0.3, 12))
    if posted >= company.end:
        return None
    good = sum(1 for o in customer.orders if o.ordered_at < order.ordered_at and not o.bad)
    experience = order_experience(customer, order, tickets, posted, good)
    score = nps_score(rng, customer.satisfaction, experience)
    language = writing_language(rng, customer)
    platform = _platform_for(rng, customer.market, experience)
    agent = tickets[0].agent if tickets else agent_for(rng, customer)
    gender = customer.person.gender
    rating, title, text = _write(rng, platform, language, gender, experience, score, agent)
    review_id, url = _locate(rng, platform, customer.market, order.product, "", taken)
    person = customer.person
    tied = platform != "amazon" or rng.random() < 0.1
    return Review(
        platform=platform,
        review_id=review_id,
        rating=rating,
        title=title,
        text=text,
        author=_author(rng, platform, person.first_name, person.surname, language),
        posted_at=posted,
        url=url,
        language=language,
        customer=customer if tied else None,
        order=order if tied else None,
        product=order.product.name if platform == "amazon" or experience.defect else "",
    )


def _stranger_review(rng: random.Random, company: Company, taken: set[str]) -> Review | None:
    """A review by someone the company cannot identify, shaped by the same incidents."""
    market = rng.choices(MARKETS, weights=[m.share for m in MARKETS])[0]
    locale = pick_locale(rng, market)
    first, surname, gender = person_name(rng, locale.tradition)
    u = rng.random() ** 0.8  # more reviews recently, as the shop grew
    ordered = company.start + dt.timedelta(days=u * 725, hours=rng.uniform(0, 24))
    product = rng.choice(PRODUCTS)
    delivery = company.operations.deliver(rng, market, ordered)
    seen = delivery.arrived_at or delivery.promised_at
    posted = seen + dt.timedelta(days=rng.uniform(0.3, 10))
    if posted >= company.end:
        return None
    defect = rng.random() < company.operations.defect_rate(product, seen)
    troubled = delivery.late_days > 0 or delivery.lost or defect
    experience = Experience(
        product,
        late_days=delivery.late_days,
        lost=delivery.lost,
        defect=defect,
        setup_trouble=product.fiddly and rng.random() < 0.25,
        support=rng.choice(("", "good", "bad")) if troubled else "",
        price_sensitive=rng.random() < 0.2,
    )
    score = nps_score(rng, rng.gauss(7.6, 1.5), experience)
    if rng.random() > (0.9 if score <= 4 or score >= 9 else 0.4):
        return None  # lukewarm customers rarely bother to write a review
    platform = _platform_for(rng, market, experience)
    agent = rng.choice(AGENTS.get(locale.tag) or AGENTS[locale.language])
    rating, title, text = _write(rng, platform, locale.language, gender, experience, score, agent)
    review_id, url = _locate(rng, platform, market, product, "", taken)
    author = _author(rng, platform, first, surname, locale.language)
    shown = product.name if platform == "amazon" or defect or rng.random() < 0.3 else ""
    return Review(
        platform=platform,
        review_id=review_id,
        rating=rating,
        title=title,
        text=text,
        author=author,
        posted_at=posted,
        url=url,
        language=locale.language,
        product=shown,
    )


def _showroom_review(rng: random.Random, company: Company, taken: set[str]) -> Review:
    country = rng.choice(sorted(_SHOWROOMS))
    market = next(m for m in MARKETS if m.country == country)
    city, _, tripadvisor = _SHOWROOMS[country]
    platform = "tripadvisor" if tripadvisor and rng.random() < 0.45 else "google"
    locale = pick_locale(rng, market)
    language = locale.language if platform == "google" or rng.random() < 0.7 else "en"
    first, surname, gender = person_name(rng, locale.tradition if language != "en" else "gb")
    rating = rng.choices((5, 4, 3, 2, 1), (45, 28, 12, 8, 7))[0]
    tone = "+" if rating >= 4 else "~" if rating == 3 else "-"
    voice = Voice(language, gender)
    values = base_values(rng)
    keys = ["showroom+" if rating >= 3 else "showroom-"]
    keys.append("showroom-" if rating <= 3 else rng.choice(("showroom+", "price+", "range+")))
    text = compose_comment(rng, voice, tone, list(dict.fromkeys(keys)), values, long=True)
    title = "" if platform == "google" else compose_title(rng, voice, tone, values)
    if platform == "google" and rng.random() < 0.3:
        text = ""
    place = f"{BRAND} {city}"
    posted = company.start + dt.timedelta(days=rng.uniform(0, 729), hours=rng.uniform(9, 20))
    review_id, url = _locate(rng, platform, market, None, city, taken)
    return Review(
        platform=platform,
        review_id=review_id,
        rating=rating,
        title=title,
        text=text,
        author=_author(rng, platform, first, surname, language),
        posted_at=posted,
        url=url,
        language=language,
        place=place,
    )


def _oddities(rng: random.Random, company: Company, taken: set[str]) -> list[Review]:
    """Rows real review feeds contain: HTML, a script injection, emoji only, a wall of text."""
    market = next(m for m in MARKETS if m.country == "GB")
    when = company.end - 37 * DAY
    voice = Voice("en", "f")
    values = base_values(rng) | product_values(rng, "en", PRODUCTS[0])
    story = ("open-", "delivery-", "detail:delivery-", "support-", "detail:support-", "quality-",
             "detail:quality-", "returns-", "price-", "site-", "close-")  # fmt: skip
    values |= {"days": "9 days", "used": "a week"}
    told: list[str] = []
    while sum(len(part) + 1 for part in told) < 3000:
        told.append(sentence(rng, voice, story[len(told) % len(story)], values))
    long_text = " ".join(told)
    # fmt: off
    rows = [
        ("trustpilot", 5, "Great shop", "<b>Great</b> service, <i>really</i> fast delivery!",
         "Hannah W."),
        ("trustpilot", 5, "Best deals", "Best prices!!! <script>alert('deal')</script> visit "
         "http://cheap-kitchen-deals.example/promo", "SEO Deals 24"),
        ("google", 5, "", "👍👍👍", "Mohammed K."),
        ("trustpilot", 1, "Never again - the full story", long_text, "Rebecca Turner"),
    ]
    # fmt: on
    out = []
    for platform, rating, title, text, author in rows:
        review_id, url = _locate(rng, platform, market, None, "", taken)
        out.append(Review(platform, review_id, rating, title, text, author, when, url, "en"))
        when += 2 * DAY
    return out


def gather_reviews(rng: random.Random, company: Company, tickets: list[Ticket]) -> list[Review]:
    """Every review of the demo history, by posting time."""
    taken: set[str] = set()
    by_order: dict[str, list[Ticket]] = {}
    for ticket in tickets:
        if ticket.order is not None:
            by_order.setdefault(ticket.order.order_id, []).append(ticket)
    reviews: list[Review] = []
    for customer in company.customers:
        for order in customer.orders:
            if order.status in ("placed",) or (order.status == "cancelled" and not order.lost):
                continue
            chance = 0.15 if order.lost else 0.07 if order.bad else 0.03
            if customer.advocate:
                chance = 0.3
            if rng.random() < chance:
                own = by_order.get(order.order_id, [])
                review = _review_of(rng, company, customer, order, own, taken)
                if review is not None:
                    reviews.append(review)
    target = round(len(company.customers) * 0.42)
    for _ in range(target * 4):
        if target <= 0:
            break
        review = _stranger_review(rng, company, taken)
        if review is not None:
            reviews.append(review)
            target -= 1
    reviews += [_showroom_review(rng, company, taken) for _ in range(len(company.customers) // 14)]
    if len(company.customers) >= 50:
        reviews += _oddities(rng, company, taken)
    reviews.sort(key=lambda r: (r.posted_at, r.platform, r.review_id))
    return reviews
