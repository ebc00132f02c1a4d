"""Language identification limited to the languages a company works in.

The statistical model is py3langid's (a fork of langid.py, BSD licence: a naive Bayes classifier
over byte n-grams trained on 97 languages; Lui & Baldwin 2012), restricted to the configured
languages so that a Romanian review is never called Italian. Three kinds of evidence that short
reviews need are added to its log-probabilities:

- **script**: a text mostly in Cyrillic letters is one of the configured Cyrillic languages, and
  a text without any is not;
- **letters** only one configured language writes: ``ă ș ț`` (Romanian), ``ñ ¿ ¡`` (Spanish);
- **function words** (articles, pronouns, conjunctions), whose presence is the most reliable
  sign of a language in a sentence of a few words.

A text is "unknown" when it has too few letters to tell (an emoji, "ok", "10/10") or when the
best language is not clearly ahead; the bar is higher for short texts.

References
----------
.. [1] Lui, M. & Baldwin, T. (2012). langid.py: An off-the-shelf language identification tool.
   Proceedings of ACL 2012 System Demonstrations, 25–30.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from advocacy.errors import InvalidInput

UNKNOWN = "unknown"
DEFAULT_LANGUAGES = ("en", "es", "ru", "ro")
#: Fewer letters than this and a text is "unknown" whatever the model says.
MIN_LETTERS = 3
#: Below this many letters a text needs the higher confidence to be named.
SHORT_TEXT_LETTERS = 20
SHORT_TEXT_CONFIDENCE = 0.9
CONFIDENCE = 0.5
#: The model reads at most this many characters: enough to tell, and long texts stay cheap.
READ_CHARACTERS = 1000

CYRILLIC_LANGUAGES = frozenset({"ru", "uk", "be", "bg", "mk", "sr", "kk", "ky", "mn", "tg"})
_DISTINCT_LETTERS = {"ro": "ăâîșşțţ", "es": "ñ¿¡", "de": "ß", "pt": "ãõ", "fr": "œ"}
_FUNCTION_WORDS = {
    "en": "the and is was are were to of it i a in for with this that not but very they we my our "
    "you have has had be been on at so would will no just all from your their me them an or if "
    "as do did don't didn't can't its it's there what when which who",
    "es": "el la los las de que y en un una es muy pero por para con no lo se del al fue está son "
    "como más mi su sus le me ha han era todo nos este esta esto hay sin ya yo también bien "
    "porque cuando donde",
    "ro": "și si nu este e a de la în in cu pe că ca o un foarte am mai din pentru dar sunt fost "
    "care au ce l-am mi-a îmi imi acest aceasta după dupa nici bine deloc decât decat doar când "
    "cand sau",
    "ru": "и в не на я что с как а то это по но из у за от так же все мне был была было были "
    "очень уже еще ещё только",
}
_LETTER = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)?")
#: Weight of one function word or distinct letter, in log-probability units.
_EVIDENCE_WEIGHT = 1.0
_LETTER_WEIGHT = 2.0


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """A language code (or "unknown") and how sure the identifier is, 0–1."""

    language: str
    confidence: float


class LanguageIdentifier:
    """Identifies the language of texts among ``languages`` (ISO 639-1 codes).

    Examples
    --------
    >>> identify = LanguageIdentifier()
    >>> identify("La entrega llegó tarde").language
    'es'
    >>> identify("ok").language
    'unknown'
    """

    def __init__(self, languages: Iterable[str] = DEFAULT_LANGUAGES) -> None:
        codes = tuple(dict.fromkeys(code.strip().lower() for code in languages))
        if not codes:
            raise InvalidInput("at least one language is needed to identify languages")
        self.languages = codes
        self._model: Any = None
        self._model_languages: tuple[str, ...] = ()
        self._lock = threading.Lock()
        self._words: dict[str, list[str]] = {}
        for language in codes:
            for word in _FUNCTION_WORDS.get(language, "").split():
                self._words.setdefault(word, []).append(language)
        self._cyrillic = [code for code in codes if code in CYRILLIC_LANGUAGES]
        self._latin = [code for code in codes if code not in CYRILLIC_LANGUAGES]

    def _identifier(self) -> Any:
        # Loaded on first use (about 0.3 s): the command line starts without it.
        with self._lock:
            if self._model is None:
                from py3langid.langid import MODEL_FILE
                from py3langid.langid import LanguageIdentifier as Model

                model = Model.from_model_file(MODEL_FILE, norm_probs=True)
                unknown = sorted(set(self.languages) - set(model.nb_classes))
                if unknown:
                    raise InvalidInput(
                        f"cannot identify {', '.join(unknown)}: not a language the model knows"
                    )
                self._model = model
            return self._model

    def __call__(self, text: str | None) -> LanguageGuess:
        """The language of ``text``."""
        if not text:
            return LanguageGuess(UNKNOWN, 0.0)
        sample = text[:READ_CHARACTERS]
        letters = len(_LETTER.findall(sample))
        if letters < MIN_LETTERS:
            return LanguageGuess(UNKNOWN, 0.0)
        cyrillic = len(_CYRILLIC.findall(sample)) / letters
        candidates = self._cyrillic if cyrillic > 0.5 else self._latin
        if not candidates:
            return LanguageGuess(UNKNOWN, 0.0)
        scores = self._scores(sample, candidates)
        best = max(scores, key=scores.__getitem__)
        confidence = scores[best]
        bar = SHORT_TEXT_CONFIDENCE if letters < SHORT_TEXT_LETTERS else CONFIDENCE
        if confidence < bar:
            return LanguageGuess(UNKNOWN, confidence)
        return LanguageGuess(best, confidence)

    def identify_many(self, texts: Sequence[str | None]) -> list[LanguageGuess]:
        """The language of each of ``texts``."""
        return [self(text) for text in texts]

    def _scores(self, sample: str, candidates: Sequence[str]) -> dict[str, float]:
        if len(candidates) == 1:
            return {candidates[0]: 1.0}
        model = self._identifier()
        with self._lock:
            if self._model_languages != tuple(candidates):
                model.set_languages(list(candidates))  # costly: done when the script changes
                self._model_languages = tuple(candidates)
            ranked = dict(model.rank(sample))
        logits = {code: math.log(max(ranked.get(code, 0.0), 1e-9)) for code in candidates}
        lowered = sample.lower()
        for word in _WORD.findall(lowered):
            speakers = self._words.get(word)
            if speakers:
                for code in speakers:
                    if code in logits:
                        logits[code] += _EVIDENCE_WEIGHT / len(speakers)
        for code, letters in _DISTINCT_LETTERS.items():
            if code in logits:
                found = sum(lowered.count(letter) for letter in letters)
                logits[code] += _LETTER_WEIGHT * min(found, 3)
        top = max(logits.values())
        weights = {code: math.exp(value - top) for code, value in logits.items()}
        total = sum(weights.values())
        return {code: weight / total for code, weight in weights.items()}
