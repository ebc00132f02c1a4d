"""The countries the demo company sells in, and the people who live there.

A market knows its currency, how prices end there, its cities, e-mail providers, phone format
and how long parcels usually take. ``make_person`` draws a plausible native person for a locale.
"""

from __future__ import annotations

import math
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from advocacy.demo.names import BUSINESSES, PEOPLE, feminine_surname, transliterate


@dataclass(frozen=True, slots=True)
class Locale:
    """One way a market's customers talk: the locale tag, its language and naming tradition."""

    tag: str
    language: str
    tradition: str
    weight: float


@dataclass(frozen=True, slots=True)
class Market:
    """A country the company ships to."""

    country: str
    currency: str
    eur_rate: float
    price_step: float  # prices end just below a multiple of this, e.g. 8 490 RUB
    share: float
    locales: tuple[Locale, ...]
    cities: tuple[str, ...]
    mail_domains: tuple[str, ...]
    phone: Callable[[random.Random], str]
    lead_days: tuple[int, int]
    late_rate: float
    shop_domain: str
    amazon_domain: str | None
    review_language: str  # language of the review sites the market reads (Trustpilot, Google)

    def price(self, eur: float) -> float:
        """A shelf price in the local currency, ending the way prices end there (…,99 / …90)."""
        local = eur * self.eur_rate
        step = self.price_step
        rounded = max(step, math.ceil(local / step) * step)
        ending = 0.01 if step <= 1 else step / 10 if step >= 100 else 1
        return round(rounded - ending, 2)


def _digits(rng: random.Random, count: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(count))


def _phone_es(rng: random.Random) -> str:
    return f"+34 {rng.choice('67')}{_digits(rng, 2)} {_digits(rng, 3)} {_digits(rng, 3)}"


def _phone_mx(rng: random.Random) -> str:
    area = rng.choice(("55", "55", "33", "81", "222", "442", "999", "477"))
    rest = _digits(rng, 10 - len(area))
    return f"+52 {area} {rest[:-4]} {rest[-4:]}"


def _phone_ru(rng: random.Random) -> str:
    d = _digits(rng, 9)
    return f"+7 9{d[:2]} {d[2:5]}-{d[5:7]}-{d[7:]}"


def _phone_ro(rng: random.Random) -> str:
    return f"+40 7{rng.choice('2345678')}{_digits(rng, 1)} {_digits(rng, 3)} {_digits(rng, 3)}"


def _phone_md(rng: random.Random) -> str:
    prefix = rng.choice(("60", "62", "67", "68", "69", "78", "79"))
    return f"+373 {prefix} {_digits(rng, 3)} {_digits(rng, 3)}"


def _phone_gb(rng: random.Random) -> str:
    return f"+44 7{rng.choice('45789')}{_digits(rng, 2)} {_digits(rng, 6)}"


def _phone_us(rng: random.Random) -> str:
    area = rng.choice(("212", "415", "312", "617", "305", "512", "206", "303", "404", "646"))
    return f"+1 ({area}) {rng.randrange(200, 999)}-{_digits(rng, 4)}"


# fmt: off
MARKETS: tuple[Market, ...] = (
    Market("ES", "EUR", 1.0, 1, 0.27, (Locale("es-ES", "es", "es", 1.0),),
           ("Madrid", "Madrid", "Barcelona", "Barcelona", "Valencia", "Sevilla", "Zaragoza",
            "Málaga", "Bilbao", "Alicante", "Murcia", "Valladolid", "Palma", "Granada"),
           ("gmail.com", "gmail.com", "hotmail.com", "hotmail.es", "yahoo.es", "outlook.es",
            "telefonica.net"),
           _phone_es, (2, 4), 0.06, "vetrahome.es", "amazon.es", "es"),
    Market("MX", "MXN", 19.5, 10, 0.17, (Locale("es-MX", "es", "mx", 1.0),),
           ("Ciudad de México", "Ciudad de México", "Guadalajara", "Monterrey", "Puebla",
            "Querétaro", "Mérida", "Tijuana", "León", "Toluca", "Cancún"),
           ("gmail.com", "gmail.com", "hotmail.com", "outlook.com", "yahoo.com.mx",
            "prodigy.net.mx"),
           _phone_mx, (3, 7), 0.09, "vetrahome.mx", "amazon.com.mx", "es"),
    Market("RU", "RUB", 98.0, 100, 0.15, (Locale("ru-RU", "ru", "ru", 1.0),),
           ("Москва", "Москва", "Санкт-Петербург", "Новосибирск", "Екатеринбург", "Казань",
            "Нижний Новгород", "Краснодар", "Самара", "Ростов-на-Дону", "Воронеж"),
           ("mail.ru", "yandex.ru", "yandex.ru", "gmail.com", "rambler.ru", "bk.ru", "list.ru"),
           _phone_ru, (3, 8), 0.08, "vetrahome.ru", None, "ru"),
    Market("RO", "RON", 4.97, 1, 0.15, (Locale("ro-RO", "ro", "ro", 1.0),),
           ("București", "București", "Cluj-Napoca", "Timișoara", "Iași", "Constanța", "Brașov",
            "Craiova", "Oradea", "Sibiu", "Galați"),
           ("gmail.com", "gmail.com", "yahoo.com", "yahoo.ro", "outlook.com"),
           _phone_ro, (2, 4), 0.06, "vetrahome.ro", None, "ro"),
    Market("MD", "MDL", 19.3, 10, 0.07,
           (Locale("ro-MD", "ro", "md", 0.65), Locale("ru-MD", "ru", "ru_md", 0.35)),
           ("Chișinău", "Chișinău", "Chișinău", "Bălți", "Orhei", "Cahul", "Ungheni", "Comrat",
            "Soroca"),
           ("gmail.com", "mail.ru", "yahoo.com", "mail.md", "gmail.com"),
           _phone_md, (4, 7), 0.09, "vetrahome.md", None, "ro"),
    Market("GB", "GBP", 0.85, 1, 0.11, (Locale("en-GB", "en", "gb", 1.0),),
           ("London", "London", "Manchester", "Birmingham", "Leeds", "Glasgow", "Bristol",
            "Liverpool", "Edinburgh", "Cardiff", "Brighton"),
           ("gmail.com", "gmail.com", "hotmail.co.uk", "outlook.com", "btinternet.com",
            "yahoo.co.uk", "sky.com"),
           _phone_gb, (1, 3), 0.05, "vetrahome.co.uk", "amazon.co.uk", "en"),
    Market("US", "USD", 1.08, 1, 0.08, (Locale("en-US", "en", "us", 1.0),),
           ("New York", "Los Angeles", "Chicago", "Houston", "Miami", "Austin", "Seattle",
            "Denver", "Atlanta", "Boston"),
           ("gmail.com", "gmail.com", "yahoo.com", "outlook.com", "icloud.com", "aol.com",
            "comcast.net"),
           _phone_us, (3, 6), 0.07, "vetrahome.com", "amazon.com", "en"),
)
# fmt: on

MARKET_BY_COUNTRY: dict[str, Market] = {market.country: market for market in MARKETS}


@dataclass(frozen=True, slots=True)
class Person:
    """A customer's identity: the name as the CRM holds it, and how to reach them."""

    first_name: str
    surname: str
    gender: str  # "m" or "f": Russian, Spanish and Romanian texts agree with it
    name: str
    email: str
    phone: str
    locale: Locale
    business: str | None  # the company's name for business customers


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters and digits only: what an e-mail address is made of."""
    decomposed = unicodedata.normalize("NFKD", transliterate(text))
    kept = (c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in "".join(kept).lower() if c.isascii() and c.isalnum())


def _email_local(rng: random.Random, first: str, surname: str) -> str:
    f, s = ascii_slug(first.split()[0]), ascii_slug(surname.split()[0])
    year = rng.randrange(60, 100) if rng.random() < 0.7 else rng.randrange(0, 8)
    patterns = (
        f"{f}.{s}",
        f"{f}{s}",
        f"{f}_{s}",
        f"{f[0]}{s}",
        f"{f}.{s}{year:02d}",
        f"{s}.{f}",
        f"{f}{rng.randrange(1, 99)}",
        f"{f[0]}.{s}",
    )
    return rng.choice(patterns)


def pick_locale(rng: random.Random, market: Market) -> Locale:
    """A locale of the market, by how many of its customers speak it."""
    return rng.choices(market.locales, weights=[loc.weight for loc in market.locales])[0]


def person_name(rng: random.Random, tradition: str) -> tuple[str, str, str]:
    """A native (first name, surname, gender) for a naming tradition."""
    male, female, surnames = PEOPLE[tradition]
    gender = "f" if rng.random() < 0.52 else "m"
    first = rng.choice(female if gender == "f" else male)
    surname = rng.choice(surnames)
    if tradition in ("es", "mx"):
        surname = f"{surname} {rng.choice(surnames)}"
    elif tradition in ("ru", "ru_md") and gender == "f":
        surname = feminine_surname(surname)
    return first, surname, gender


def business_name(rng: random.Random, tradition: str, surname: str) -> str:
    """A small company's name in the tradition's style (``Hostal La Encina``, ``ООО «Уют»``)."""
    patterns, words = BUSINESSES[tradition]
    family = surname.split()[0]
    return rng.choice(patterns).format(word=rng.choice(words), surname=family)


def make_person(
    rng: random.Random,
    market: Market,
    locale: Locale,
    *,
    business: bool,
    taken_emails: set[str],
) -> Person:
    """A new customer identity; its e-mail is not in ``taken_emails`` (which it joins)."""
    first, surname, gender = person_name(rng, locale.tradition)
    company = business_name(rng, locale.tradition, surname) if business else None
    if company is not None:
        domain_root = ascii_slug(company.split("«")[-1]) or ascii_slug(surname)
        tld = market.shop_domain.split(".", 1)[1]
        domain = f"{domain_root[:18]}.{tld}"
        local = rng.choice((f"{ascii_slug(first)}.{ascii_slug(surname.split()[0])}", "compras"))
        if local == "compras":
            local = {"es": "compras", "ru": "zakupki", "ro": "achizitii"}.get(
                locale.language, "purchasing"
            )
    else:
        domain = rng.choice(market.mail_domains)
        local = _email_local(rng, first, surname)
    email = f"{local}@{domain}"
    counter = 2
    while email in taken_emails:
        email = f"{local}{counter}@{domain}"
        counter += 1
    taken_emails.add(email)
    phone = market.phone(rng) if rng.random() < 0.85 else ""
    name = company if company is not None else f"{first} {surname}"
    return Person(first, surname, gender, name, email, phone, locale, company)
