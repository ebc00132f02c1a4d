"""Sentences of a review: where each starts and ends, for per-sentence and per-theme sentiment.

Reviews are written fast: sentences end with ``.``, ``!``, ``?``, ``…`` or a line break, often
without a space after the stop or a capital letter after it, and emoticons or runs of ``!!!``
end them too. A stop inside a number (``4.5``, ``1.200``), after a one-letter initial or a common
abbreviation (``e.g.``, ``Sr.``, ``т.е.``, ``ex.``) does not end a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Abbreviations (folded, without their final dot) after which a dot does not end a sentence.
ABBREVIATIONS = frozenset(
    [
        *("e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "st", "no", "approx"),
        *("sr", "sra", "srta", "dra", "ud", "uds", "pag", "aprox", "núm"),
        *("т.е", "т.к", "т.д", "т.п", "и.т.д", "г", "гг", "ул", "д", "стр", "руб", "коп", "тыс"),
        *("млн", "млрд", "dl", "dna", "dvs", "ex", "nr", "str", "lei", "bd", "sos", "tel"),
    ]
)
_BREAK = re.compile(
    r"(?:[.!?…]+[\"'»”)\]]*|[:;]-?[()D]|[)(]{2,})(?=\s|$|[^\w\s.,]|[A-ZÁÉÍÓÚÑĂÂÎȘȚА-ЯЁ])|\n"
)
_MAX_SENTENCES = 200


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: its text (stripped) and its position in the original text."""

    text: str
    start: int
    end: int


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text``, in order; empty ones left out.

    A very long text is cut into at most a couple of hundred sentences: the last one holds the
    rest, so nothing is lost.

    Examples
    --------
    >>> [s.text for s in split_sentences("Late delivery!!! Price ok, 4.5 stars. Thanks")]
    ['Late delivery!!!', 'Price ok, 4.5 stars.', 'Thanks']
    """
    sentences: list[Sentence] = []
    start = 0
    for found in _BREAK.finditer(text):
        end = found.end()
        if found.group(0).startswith(".") and _abbreviation_before(text, found.start()):
            continue
        _append(sentences, text, start, end)
        start = end
        if len(sentences) == _MAX_SENTENCES - 1:
            break
    _append(sentences, text, start, len(text))
    return sentences


def _abbreviation_before(text: str, dot: int) -> bool:
    word = re.search(r"[\w.]+$", text[max(0, dot - 12) : dot])
    if word is None:
        return False
    token = word.group(0).lower()
    return token in ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        offset = start + (len(piece) - len(piece.lstrip()))
        sentences.append(Sentence(stripped, offset, offset + len(stripped)))
