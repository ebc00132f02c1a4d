"""Phrase banks in the four languages the demo company's customers write in."""

from __future__ import annotations

from advocacy.demo.texts import en, es, ro, ru
from advocacy.demo.texts.bank import PhraseBank, fill, parse_phrases

BANKS: dict[str, PhraseBank] = {
    bank.language: bank for bank in (en.BANK, es.BANK, ru.BANK, ro.BANK)
}

__all__ = ["BANKS", "PhraseBank", "fill", "parse_phrases"]
