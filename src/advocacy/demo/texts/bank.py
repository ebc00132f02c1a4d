"""A language's phrase bank: the sentence fragments customers' texts are composed from.

Banks are written as plain text, one phrase per line under ``[key]`` headers, so that a
translator can read and extend them. Phrases may use ``{product}``, ``{product_acc}`` (the
Russian accusative; the same as ``{product}`` elsewhere), ``{model}``, ``{days}``, ``{brand}``,
``{handle}``, ``{order}``, ``{agent}``, ``{amount}``, ``{date}``, ``{first_name}``, ``{phone}``,
``{email}`` and ``{g:masculine|feminine}`` for words that agree with the writer's gender.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

_GENDERED = re.compile(r"\{g:([^|{}]*)\|([^{}]*)\}")
_FIELD = re.compile(r"\{([a-z_]+)\}")


def parse_phrases(text: str) -> dict[str, tuple[str, ...]]:
    """``[key]`` sections of one phrase per line; blank lines and ``#`` lines are skipped."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        elif current is None:
            raise ValueError(f"phrase outside a section: {line!r}")
        else:
            current.append(line)
    return {key: tuple(lines) for key, lines in sections.items()}


@dataclass(frozen=True, slots=True)
class PhraseBank:
    """The phrases of one language, and how that language counts days."""

    language: str
    phrases: Mapping[str, tuple[str, ...]]
    days: Callable[[int], str]
    anonymous: str  # how a marketplace names a reviewer who hides their name

    def has(self, key: str) -> bool:
        """Whether the bank has phrases for ``key``."""
        return bool(self.phrases.get(key))

    def pick(self, rng: random.Random, key: str) -> str:
        """One phrase of ``key``, not yet filled in."""
        return rng.choice(self.phrases[key])


def fill(template: str, values: Mapping[str, str], gender: str) -> str:
    """The template with its fields and gendered words filled in; unknown fields stay empty."""
    chosen = _GENDERED.sub(lambda m: m.group(2) if gender == "f" else m.group(1), template)
    return _FIELD.sub(lambda m: values.get(m.group(1), ""), chosen)
