"""Multilingual term lists compiled into fast regular expressions over folded text.

Themes and urgency reasons are described by plain term lists a user can read and edit, in any
language. A term is matched on *folded* text: lower case, Romanian cedilla letters unified with
comma letters, accents and diacritics removed (``preț`` = ``pret``, ``envío`` = ``envio``), ``ё``
read as ``е``. Its syntax:

- ``word`` matches the whole word only;
- ``stem*`` matches any word that starts with ``stem`` (``deliver*``: delivery, delivered; the way
  to cover Russian and Romanian endings: ``доставк*``, ``livr*``);
- several words match a phrase, any spaces or punctuation between them (``customer service``);
  each word may end in ``*``.

All the terms of one name compile into a single alternation, so a text is scanned once per name
whatever the number of terms.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from advocacy.errors import InvalidInput

_ROMANIAN_CEDILLAS = str.maketrans({"ş": "ș", "ţ": "ț", "Ş": "Ș", "Ţ": "Ț"})
_YO = str.maketrans({"ё": "е", "Ё": "Е"})
_TERM = re.compile(r"^[\w\s'’*-]+$")


_COMBINING = re.compile("[\u0300-\u036f]+")


def fold(text: str) -> str:
    """``text`` in lower case without diacritics, for matching terms written either way.

    Offsets into the folded text are for matching only: the folding may change lengths.

    Examples
    --------
    >>> fold("Preț mare, envío LENTO, ещё, йод")
    'pret mare, envio lento, еще, йод'
    """
    lowered = text.translate(_ROMANIAN_CEDILLAS).translate(_YO).casefold()
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFD", lowered)
    # Remove combining marks, but keep the Cyrillic short i (и + breve), a letter of its own.
    decomposed = decomposed.replace("и\u0306", "й")
    return _COMBINING.sub("", decomposed)


# Elements of a term after its characters: a gap between two words of a phrase, the rest of a
# word after a stem, and the end of the term.
_GAP_ELEMENT, _STEM_ELEMENT, _END_ELEMENT = "\x00gap", "\x00stem", "\x00end"
_ELEMENT_PATTERNS = {_GAP_ELEMENT: r"[\W_]+", _STEM_ELEMENT: r"\w*", _END_ELEMENT: r"(?!\w)"}


def _elements(term: str) -> list[str]:
    words = fold(term).replace("’", "'").split()
    elements: list[str] = []
    for position, word in enumerate(words):
        if position:
            elements.append(_GAP_ELEMENT)
        elements.extend(word.rstrip("*"))
        if word.endswith("*"):
            elements.append(_STEM_ELEMENT)
    elements.append(_END_ELEMENT)
    return elements


def _trie_pattern(node: dict[str, Any]) -> str:
    """The regular expression of a trie of elements: shared prefixes are matched once, so a
    position is tried against the branches of its first character only, not every term."""
    branches = []
    for element, child in sorted(node.items()):
        head = _ELEMENT_PATTERNS.get(element) or re.escape(element)
        branches.append(head + _trie_pattern(child))
    if not branches:
        return ""
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def compile_terms(terms: Iterable[str], *, name: str) -> re.Pattern[str]:
    """One regular expression matching any of ``terms`` in folded text.

    Raises
    ------
    InvalidInput
        For an empty list, or a term with characters other than letters, digits, spaces,
        apostrophes, hyphens and ``*`` ending a word.
    """
    trie: dict[str, Any] = {}
    for term in terms:
        if not isinstance(term, str) or not term.strip() or not _TERM.match(term):
            raise InvalidInput(f"{name}: {term!r} is not a term (letters, digits, spaces, '*')")
        if any("*" in word[:-1] for word in term.split()):
            raise InvalidInput(f"{name}: {term!r}: '*' may only end a word")
        node = trie
        for element in _elements(term):
            node = node.setdefault(element, {})
    if not trie:
        raise InvalidInput(f"{name}: no terms")
    return re.compile(r"(?<!\w)" + _trie_pattern(trie))


@dataclass(frozen=True, slots=True)
class TermSet:
    """Named term lists, compiled: which names a folded text mentions, and where."""

    patterns: Mapping[str, re.Pattern[str]]

    @classmethod
    def of(cls, terms: Mapping[str, Iterable[str]]) -> TermSet:
        """Compile ``terms``: name → its terms."""
        return cls({name: compile_terms(values, name=name) for name, values in terms.items()})

    def names_in(self, folded: str, among: Iterable[str] | None = None) -> list[str]:
        """The names with at least one term in ``folded`` (a text passed through :func:`fold`).

        ``among`` limits the search to those names (all by default), in their order.
        """
        names = self.patterns if among is None else among
        return [name for name in names if self.patterns[name].search(folded)]

    def first_match(self, name: str, folded: str) -> str | None:
        """The first words of ``folded`` that matched a term of ``name``, or None."""
        found = self.patterns[name].search(folded)
        return None if found is None else found.group(0)
