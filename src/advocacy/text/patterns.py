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
from dataclasses import dataclass, field
from typing import Any

from advocacy.errors import InvalidInput

_ROMANIAN_CEDILLAS = str.maketrans({"ş": "ș", "ţ": "ț", "Ş": "Ș", "Ţ": "Ț"})
_YO = str.maketrans({"ё": "е", "Ё": "Е"})
_TERM = re.compile(r"^[\w\s'’*-]+$")


_COMBINING = re.compile("[\u0300-\u036f]+")


def _is_word(char: str) -> bool:
    """Whether ``char`` is what ``\\w`` matches (a letter, a digit or ``_``)."""
    return char.isalnum() or char == "_"


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
#: In a merged trie, under the end of a term: the names it belongs to.
_NAMES = "\x00names"
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


def _term_trie(terms: Iterable[str], *, name: str) -> dict[str, Any]:
    """The trie of the elements of ``terms``, checked (see :func:`compile_terms`)."""
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
    return trie


def compile_terms(terms: Iterable[str], *, name: str) -> re.Pattern[str]:
    """One regular expression matching any of ``terms`` in folded text.

    Raises
    ------
    InvalidInput
        For an empty list, or a term with characters other than letters, digits, spaces,
        apostrophes, hyphens and ``*`` ending a word.
    """
    return _compiled(_term_trie(terms, name=name))


def _compiled(trie: dict[str, Any]) -> re.Pattern[str]:
    """The expression of a term trie, matched only where a word starts."""
    return re.compile(r"(?<!\w)" + _trie_pattern(trie))


def _merged_pattern(tries: Mapping[str, dict[str, Any]]) -> tuple[re.Pattern[str], list[str]]:
    """All the names' tries in one: each term ends in an empty group that says its name.

    Returns the expression and, for each of its groups in order, the name.
    """
    merged: dict[str, Any] = {}

    def add(into: dict[str, Any], node: dict[str, Any], name: str) -> None:
        for element, child in node.items():
            if element == _END_ELEMENT:
                into.setdefault(element, {}).setdefault(_NAMES, []).append(name)
            else:
                add(into.setdefault(element, {}), child, name)

    for name, trie in tries.items():
        add(merged, trie, name)
    names: list[str] = []

    def pattern(node: dict[str, Any]) -> str:
        branches = []
        for element, child in sorted(node.items()):
            if element == _NAMES:
                names.append(child[0])  # the first name ending here is the one reported
                branches.append("()")
            else:
                head = _ELEMENT_PATTERNS.get(element) or re.escape(element)
                branches.append(head + pattern(child))
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return re.compile(r"(?<!\w)" + pattern(merged)), names


@dataclass(frozen=True, slots=True)
class TermSet:
    """Named term lists, compiled: which names a folded text mentions, and where.

    Besides one expression per name, all the names' terms are merged into one trie, each term
    ending in an empty group that tells its name, so that a text is scanned once whatever the
    number of names (see :meth:`names_in`).
    """

    patterns: Mapping[str, re.Pattern[str]]
    merged: re.Pattern[str] = field(repr=False, compare=False)
    group_names: tuple[str, ...] = field(repr=False, compare=False)
    names_by_first_character: Mapping[str, tuple[str, ...]] = field(repr=False, compare=False)

    @classmethod
    def of(cls, terms: Mapping[str, Iterable[str]]) -> TermSet:
        """Compile ``terms``: name → its terms."""
        tries = {name: _term_trie(values, name=name) for name, values in terms.items()}
        patterns = {name: _compiled(trie) for name, trie in tries.items()}
        merged, group_names = _merged_pattern(tries)
        firsts: dict[str, list[str]] = {}
        for name, trie in tries.items():
            for char in trie:
                firsts.setdefault(char, []).append(name)
        by_first = {char: tuple(names) for char, names in firsts.items()}
        return cls(patterns, merged, tuple(group_names), by_first)

    def names_in(self, folded: str) -> list[str]:
        """The names with at least one term in ``folded`` (a text passed through :func:`fold`).

        One scan of the merged expression finds, at every position where some term starts, a
        name whose term matches there, and goes on after that match. A name it did not
        report can then only start inside one of those matches (every other position was tried
        against every name), so only there is it tried, by itself: the answer is exactly that
        of searching the text once per name.
        """
        found: set[str] = set()
        spans: list[tuple[int, int]] = []
        for match in self.merged.finditer(folded):
            found.add(self.group_names[int(match.lastindex or 0) - 1])
            spans.append(match.span())
        if not spans:
            return []
        if len(found) < len(self.patterns):
            # Where a term may start inside the matches, by the character there.
            starts: dict[str, list[int]] = {}
            for begin, end in spans:
                starts.setdefault(folded[begin], []).append(begin)
                for q in range(begin + 1, end):
                    if not _is_word(folded[q - 1]):
                        starts.setdefault(folded[q], []).append(q)
            # Only the names with a term starting with one of those characters are tried.
            tries: dict[str, list[int]] = {}
            for char, where in starts.items():
                for name in self.names_by_first_character.get(char, ()):
                    if name not in found:
                        tries.setdefault(name, []).extend(where)
            for name, where in tries.items():
                pattern = self.patterns[name]
                if any(pattern.match(folded, q) for q in where):
                    found.add(name)
        return [name for name in self.patterns if name in found]

    def first_match(self, name: str, folded: str) -> str | None:
        """The first words of ``folded`` that matched a term of ``name``, or None."""
        found = self.patterns[name].search(folded)
        return None if found is None else found.group(0)
