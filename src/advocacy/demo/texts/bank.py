"""A language's phrase bank: the sentence fragments customers' texts are composed from.

Banks are written as plain text, one phrase per line under ``[key]`` headers, so that a
translator can read and extend them. Phrases may use ``{product}``, ``{product_acc}`` (the
Russian accusative; the same as ``{product}`` elsewhere), ``{product_bare}`` (Spanish without
its article), ``{model}``, ``{days}``, ``{used}``, ``{brand}``, ``{handle}``, ``{order}``,
``{agent}``, ``{amount}``, ``{date}``, ``{first_name}``, ``{phone}``, ``{email}`` and
``{g:masculine|feminine}`` for words that agree with the writer's gender. A phrase ending in
``@electric`` (or ``@textile``, ``@cookware``, several joined by commas) only fits products of
those kinds: nobody's towels smell of burning plastic.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

_GENDERED = re.compile(r"\{g:([^|{}]*)\|([^{}]*)\}")
_FIELD = re.compile(r"\{([a-z_]+)\}")
_TAGS = re.compile(r"\s+@([a-z,]+)$")

Phrase = tuple[str, frozenset[str]]  # the text, and the product kinds it is limited to


def parse_phrases(text: str) -> dict[str, tuple[Phrase, ...]]:
    """``[key]`` sections of one phrase per line (with optional ``@kinds``); blanks skipped."""
    sections: dict[str, list[Phrase]] = {}
    current: list[Phrase] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        elif current is None:
            raise ValueError(f"phrase outside a section: {line!r}")
        else:
            tags = _TAGS.search(line)
            kinds = frozenset(tags.group(1).split(",")) if tags else frozenset()
            current.append((line[: tags.start()] if tags else line, kinds))
    return {key: tuple(lines) for key, lines in sections.items()}


def fits(phrase: Phrase, values: Mapping[str, str]) -> bool:
    """Whether every field of the phrase has a value and it suits the product's kind."""
    text, kinds = phrase
    if kinds and values.get("kind", "") not in kinds:
        return False
    return all(values.get(name) for name in _FIELD.findall(text))


@dataclass(frozen=True, slots=True)
class PhraseBank:
    """The phrases of one language, and how that language counts days."""

    language: str
    phrases: Mapping[str, tuple[Phrase, ...]]
    days: Callable[[int], str]
    anonymous: str  # how a marketplace names a reviewer who hides their name

    def has(self, key: str) -> bool:
        """Whether the bank has phrases for ``key``."""
        return bool(self.phrases.get(key))

    def pick(self, rng: random.Random, key: str, values: Mapping[str, str]) -> str:
        """One phrase of ``key`` that ``values`` can fill (any phrase if none can)."""
        options = self.phrases[key]
        suitable = [phrase for phrase in options if fits(phrase, values)]
        return rng.choice(suitable or options)[0]

    def texts(self, key: str) -> tuple[str, ...]:
        """The raw phrases of ``key``."""
        return tuple(text for text, _ in self.phrases.get(key, ()))


def fill(template: str, values: Mapping[str, str], gender: str) -> str:
    """The template with its fields and gendered words filled in; unknown fields stay empty."""
    chosen = _GENDERED.sub(lambda m: m.group(2) if gender == "f" else m.group(1), template)
    return _FIELD.sub(lambda m: values.get(m.group(1), ""), chosen)
