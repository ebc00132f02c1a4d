"""Text analysis: language, sentiment, themes, urgency and personal data, offline.

::

    from advocacy.text import analyze
    result, = analyze(["El pedido llegó tarde y nadie contesta"], mode="fast")
    result.language, result.sentiment, result.theme_names, result.urgent

Names load their module on first use: importing ``advocacy.text`` loads no model.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from advocacy.text.language import LanguageGuess, LanguageIdentifier
    from advocacy.text.pipeline import Analyzer, TextAnalysis, ThemeMention, analyze
    from advocacy.text.redact import Redaction, redact, redact_many
    from advocacy.text.sentiment import SentimentModel, sentiment_model
    from advocacy.text.themes import Taxonomy, Theme
    from advocacy.text.urgency import Urgency, UrgencyRules

_WHERE = {
    "language": ("LanguageGuess", "LanguageIdentifier"),
    "pipeline": ("Analyzer", "TextAnalysis", "ThemeMention", "analyze"),
    "redact": ("Redaction", "redact", "redact_many"),
    "sentiment": ("SentimentModel", "sentiment_model"),
    "themes": ("Taxonomy", "Theme"),
    "urgency": ("Urgency", "UrgencyRules"),
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}

__all__ = [
    "Analyzer",
    "LanguageGuess",
    "LanguageIdentifier",
    "Redaction",
    "SentimentModel",
    "Taxonomy",
    "TextAnalysis",
    "Theme",
    "ThemeMention",
    "Urgency",
    "UrgencyRules",
    "analyze",
    "redact",
    "redact_many",
    "sentiment_model",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'advocacy.text' has no attribute {name!r}")
    return getattr(import_module(f"advocacy.text.{module}"), name)
