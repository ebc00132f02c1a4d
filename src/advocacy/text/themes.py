"""Themes: what a piece of feedback talks about, from a taxonomy the user can edit.

A taxonomy is a JSON document: for each theme its labels per language and its terms in every
language (syntax in :mod:`advocacy.text.patterns`)::

    {"version": 1,
     "themes": {"delivery": {"labels": {"en": "Delivery", "es": "Entrega"},
                             "terms": ["deliver*", "courier", "entrega*", "доставк*"]}}}

Advocacy ships a default (``data/themes.json`` beside this module: delivery, price, product
quality, customer service, communication, ease of use, website and app, payment and billing,
returns and refunds, availability, packaging, food and drink, ambience, location). A company
replaces it with its own file (``ADVOCACY_THEMES_FILE``). Matching is per sentence, so that
each theme's sentences can be given their own sentiment (aspect-level sentiment).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from advocacy.errors import InvalidInput
from advocacy.text.patterns import TermSet, fold

THEME_NAME_MAX = 60


@dataclass(frozen=True, slots=True)
class Theme:
    """One theme: its name (an identifier), labels per language and terms."""

    name: str
    labels: Mapping[str, str]
    terms: tuple[str, ...]

    def label(self, language: str) -> str:
        """The label in ``language``, else in English, else the name."""
        return self.labels.get(language) or self.labels.get("en") or self.name


class Taxonomy:
    """A set of themes, compiled for matching.

    Examples
    --------
    >>> taxonomy = Taxonomy.from_mapping(
    ...     {"themes": {"delivery": {"terms": ["deliver*", "доставк*"]}}})
    >>> taxonomy.themes_in("Доставка опоздала")
    ['delivery']
    """

    def __init__(self, themes: Sequence[Theme]) -> None:
        self.themes = tuple(themes)
        self._by_name = {theme.name: theme for theme in self.themes}
        self._terms = TermSet.of({theme.name: theme.terms for theme in self.themes})

    @classmethod
    def default(cls) -> Taxonomy:
        """The taxonomy shipped with Advocacy."""
        text = resources.files("advocacy.text").joinpath("data/themes.json").read_text("utf-8")
        return cls.from_mapping(json.loads(text))

    @classmethod
    def load(cls, path: str | Path | None = None) -> Taxonomy:
        """The taxonomy in the JSON file at ``path``, or the default one when ``path`` is None.

        Raises
        ------
        InvalidInput
            When the file cannot be read or is not a valid taxonomy; the message names the file
            and the problem.
        """
        if path is None:
            return cls.default()
        try:
            document = json.loads(Path(path).read_text("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise InvalidInput(f"theme taxonomy {path}: {error}") from error
        try:
            return cls.from_mapping(document)
        except InvalidInput as error:
            raise InvalidInput(f"theme taxonomy {path}: {error}") from error

    @classmethod
    def from_mapping(cls, document: Any) -> Taxonomy:
        """A taxonomy from its JSON document, checked."""
        if not isinstance(document, Mapping) or not isinstance(document.get("themes"), Mapping):
            raise InvalidInput('a taxonomy is an object with a "themes" object')
        themes = []
        for name, spec in document["themes"].items():
            valid_name = (
                isinstance(name, str)
                and 0 < len(name) <= THEME_NAME_MAX
                and name.replace("_", "").replace("-", "").isalnum()
                and name.isascii()
            )
            if not valid_name:
                raise InvalidInput(
                    f"theme {name!r}: a name is letters, digits, '_' or '-' "
                    f"(at most {THEME_NAME_MAX})"
                )
            if not isinstance(spec, Mapping) or not isinstance(spec.get("terms"), list):
                raise InvalidInput(f'theme {name}: needs a "terms" list')
            labels = spec.get("labels", {})
            if not isinstance(labels, Mapping) or not all(
                isinstance(key, str) and isinstance(value, str) for key, value in labels.items()
            ):
                raise InvalidInput(f'theme {name}: "labels" maps languages to texts')
            themes.append(Theme(name, dict(labels), tuple(spec["terms"])))
        if not themes:
            raise InvalidInput("a taxonomy needs at least one theme")
        return cls(themes)

    def __getitem__(self, name: str) -> Theme:
        return self._by_name[name]

    @property
    def names(self) -> list[str]:
        """The theme names, in the taxonomy's order."""
        return [theme.name for theme in self.themes]

    def themes_in(self, text: str) -> list[str]:
        """The themes ``text`` mentions, in the taxonomy's order."""
        return self._terms.names_in(fold(text))

    def sentences_by_theme(self, sentences: Sequence[str]) -> dict[str, list[int]]:
        """For each theme mentioned, the positions of the sentences that mention it."""
        found: dict[str, list[int]] = {}
        for index, sentence in enumerate(sentences):
            for name in self._terms.names_in(fold(sentence)):
                found.setdefault(name, []).append(index)
        return {name: found[name] for name in self.names if name in found}
