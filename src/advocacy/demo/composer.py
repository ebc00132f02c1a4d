"""Composing customers' texts from the phrase banks.

A text is an opening, one sentence per aspect (joined by "but"/"still" when the mood turns),
perhaps a concrete detail and a closing, then roughened the way people type: lower case,
a missing full stop, a swapped letter, Romanian without diacritics, an emoji.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from advocacy.demo.catalogue import BRAND, BRAND_HANDLE, BRAND_SHORT, Product
from advocacy.demo.texts import BANKS, PhraseBank, fill

_EMOJI = {
    "+": ("👍", "😊", "🙂", "❤️", "👌", "🔥", "⭐⭐⭐⭐⭐", "🙌", "😍"),
    "~": ("🙂", "🤷", "😐"),
    "-": ("😡", "👎", "😤", "🙁", "😞", "🤬", "😩"),
}
_ARTICLES = ("el ", "la ", "los ", "las ")
# Aspects that report something that happened; a generic one-liner must not stand for them.
_EVENTS = frozenset(
    ("delivery-", "lost-", "quality-", "usability-", "support-", "support+", "returns-", "returns+")
)


@dataclass(frozen=True, slots=True)
class Voice:
    """Who is writing: their language, their gender (for agreement) and locale (for dates)."""

    language: str
    gender: str
    locale: str = ""

    @property
    def bank(self) -> PhraseBank:
        return BANKS[self.language]


def money(amount: float, currency: str) -> str:
    """An amount written the way shoppers in that currency write it (``89,99 €``, ``£89.99``)."""
    whole = f"{amount:,.2f}"
    european = whole.replace(",", " ").replace(".", ",")
    formats = {
        "EUR": f"{european} €",
        "GBP": f"£{whole}",
        "USD": f"${whole}",
        "MXN": f"${whole} MXN",
        "RUB": f"{european.removesuffix(',00')} ₽",
        "RON": f"{european} lei",
        "MDL": f"{european.removesuffix(',00')} lei",
    }
    return formats.get(currency, f"{whole} {currency}")


def local_date(day: dt.date, locale: str) -> str:
    """A date as the customer would type it (``3/14/2025`` in the US, ``14.03.2025`` in RU)."""
    if locale == "en-US":
        return f"{day.month}/{day.day}/{day.year}"
    if locale.startswith(("ru", "ro")):
        return day.strftime("%d.%m.%Y")
    return day.strftime("%d/%m/%Y")


def product_values(rng: random.Random, language: str, product: Product | None) -> dict[str, str]:
    """The ``{product}``-like fields for a product, with or without its model name."""
    if product is None:
        return {}
    with_model = rng.random() < 0.45
    if language == "ru":
        nominative, accusative = product.ru, product.ru_acc
    else:
        nominative = accusative = product.noun(language)
    if with_model and language == "en":
        nominative = accusative = f"{product.model} {nominative}"  # "the Kelvo AF-500 air fryer"
    elif with_model:
        nominative, accusative = f"{nominative} {product.model}", f"{accusative} {product.model}"
    bare = nominative
    if language == "es" and nominative.startswith(_ARTICLES):
        bare = nominative.split(" ", 1)[1]
    return {
        "kind": product.kind,
        "product": nominative,
        "product_acc": accusative,
        "product_bare": bare,
        "model": product.model,
    }


def base_values(rng: random.Random) -> dict[str, str]:
    """The brand fields every text may use."""
    return {"brand": BRAND if rng.random() < 0.7 else BRAND_SHORT, "handle": BRAND_HANDLE}


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lowered(text: str, values: Mapping[str, str]) -> str:
    if len(text) > 1 and text[1].isupper():
        return text
    if any(value and text.startswith(value) for value in values.values()):
        return text  # a name: "Sophie from customer service…"
    return text[:1].lower() + text[1:]


def sentence(rng: random.Random, voice: Voice, key: str, values: Mapping[str, str]) -> str:
    """One phrase of ``key``, filled in, first letter capitalised, Spanish contractions made."""
    text = fill(voice.bank.pick(rng, key, values), values, voice.gender)
    if voice.language == "es":
        text = text.replace(" de el ", " del ").replace(" a el ", " al ")
    return _capitalised(text)


def _aspect_sentences(
    rng: random.Random,
    voice: Voice,
    aspects: Sequence[str],
    values: Mapping[str, str],
    *,
    business: bool,
    details: float,
) -> list[str]:
    bank = voice.bank
    parts: list[str] = []
    previous = ""
    for aspect in aspects:
        text = sentence(rng, voice, aspect, values)
        mood = "+" if aspect.endswith("+") else "-"
        if previous and mood != previous and rng.random() < 0.75:
            joint = bank.pick(rng, "but" if mood == "-" else "still", values)
            joint = fill(joint, values, voice.gender)
            text = f"{joint} {_lowered(text, values)}"
        parts.append(text)
        previous = mood
        detail = f"detail:{aspect}"
        if business and aspect == "delivery-" and rng.random() < 0.6:
            detail = "detail:delivery-biz"
        if bank.has(detail) and rng.random() < details:
            parts.append(sentence(rng, voice, detail, values))
    return parts


def compose_comment(
    rng: random.Random,
    voice: Voice,
    tone: str,
    aspects: Sequence[str],
    values: Mapping[str, str],
    *,
    business: bool = False,
    long: bool = False,
) -> str:
    """A survey comment or review text in the writer's language about these aspects."""
    if not long and rng.random() < 0.08:
        short = _short_key(voice.bank, tone, aspects)
        if short:
            return roughen(rng, sentence(rng, voice, short, values), voice.language, tone)
    parts: list[str] = []
    if rng.random() < (0.7 if long else 0.5):
        parts.append(sentence(rng, voice, f"open{tone}", values))
    parts += _aspect_sentences(
        rng, voice, aspects, values, business=business, details=0.75 if long else 0.45
    )
    if rng.random() < (0.6 if long else 0.4):
        parts.append(sentence(rng, voice, f"close{tone}", values))
    return roughen(rng, " ".join(parts), voice.language, tone)


def _short_key(bank: PhraseBank, tone: str, aspects: Sequence[str]) -> str:
    """The key of a one-liner that fits: about the main problem, or general when all went well."""
    if aspects and bank.has(f"short:{aspects[0]}"):
        return f"short:{aspects[0]}"
    if any(aspect in _EVENTS for aspect in aspects):
        return ""  # a generic one-liner would hide what happened
    return f"short{tone}"


def compose_title(
    rng: random.Random,
    voice: Voice,
    tone: str,
    values: Mapping[str, str],
    aspects: Sequence[str] = (),
) -> str:
    """A review title: about the main problem when there was one, else about the mood."""
    key = f"title{tone}"
    if aspects and voice.bank.has(f"title:{aspects[0]}") and rng.random() < 0.7:
        key = f"title:{aspects[0]}"
    title = sentence(rng, voice, key, values)
    if rng.random() < 0.1:
        title = title.lower()
    elif rng.random() < 0.05 and tone == "-":
        title = title.upper()
    return title + ("!" if rng.random() < 0.15 else "")


def compose_ticket(
    rng: random.Random, voice: Voice, kind: str, values: Mapping[str, str], contacts: int
) -> tuple[str, str]:
    """(subject, message) of a support ticket of ``kind`` (where, lost, broken, refund, …)."""
    subject = sentence(rng, voice, f"ticket_subject:{kind}", values)
    body = [sentence(rng, voice, f"ticket_body:{kind}", values)]
    if contacts >= 3 and rng.random() < 0.6:
        body.append(sentence(rng, voice, "ticket_followup", values))
    if rng.random() < 0.12:
        body.append(sentence(rng, voice, "ticket_extra", values))
    blocks = []
    if rng.random() < 0.65:
        blocks.append(sentence(rng, voice, "ticket_greet", values))
    blocks.append(" ".join(body))
    if rng.random() < 0.7:
        blocks.append(sentence(rng, voice, "ticket_sign", values))
    return subject, "\n\n".join(blocks)


def compose_post(
    rng: random.Random,
    voice: Voice,
    kind: str,
    values: Mapping[str, str],
    tone: str,
    *,
    extra: Sequence[str] = (),
) -> str:
    """A social-media post of ``kind`` (late, praise, advocate, question, …)."""
    parts = [sentence(rng, voice, f"social:{kind}", values)]
    if extra and rng.random() < 0.45:
        parts += [sentence(rng, voice, key, values) for key in extra[:2]]
    text = " ".join(p if p[-1] in ".!?…" or p is parts[-1] else f"{p}." for p in parts)
    if rng.random() < 0.4:
        tags = rng.sample(voice.bank.texts("hashtags-" if tone == "-" else "hashtags"), k=2)
        tags = tags[: rng.randint(1, 2)]
        text = f"{text} {' '.join(tags)}"
    return roughen(rng, text, voice.language, tone, emoji=0.35)


def _strip_marks(text: str, keep: str = "") -> str:
    out = []
    for char in text:
        if char in keep:
            out.append(char)
            continue
        decomposed = unicodedata.normalize("NFD", char)
        out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return "".join(out)


def _typo(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not candidates:
        return text
    i = rng.choice(candidates)
    word = words[i]
    j = rng.randrange(1, len(word) - 2)
    words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    return " ".join(words)


def roughen(rng: random.Random, text: str, language: str, tone: str, emoji: float = 0.1) -> str:
    """The text as people actually type it, some of the time."""
    if language == "ro" and rng.random() < 0.2:
        text = _strip_marks(text)
    elif language == "es" and rng.random() < 0.08:
        text = _strip_marks(text, keep="ñÑ¿¡")
    elif language == "ru" and rng.random() < 0.35:
        text = text.replace("ё", "е")
    if rng.random() < 0.1:
        text = _typo(rng, text)
    if rng.random() < 0.07:
        text = text.lower().rstrip(".")
    elif rng.random() < 0.12:
        text = text.rstrip(".")
    if tone == "-" and rng.random() < 0.06:
        text = text.rstrip(".") + "!!!"
    if rng.random() < emoji:
        text = f"{text} {rng.choice(_EMOJI[tone])}"
    return text
