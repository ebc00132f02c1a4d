"""One pass over a batch of texts: language, sentiment per item and per sentence, themes with
their own sentiment, urgency with reasons, and the text with personal data redacted.

The item's sentiment comes from the model of the chosen mode: ``"accurate"`` (sentence
embeddings of a multilingual transformer) or ``"fast"`` (word vectors distilled from it). The
sentences of a text are always scored by the fast model, in both modes: a review has a handful of
them, and scoring each with the transformer would multiply its cost by as many. A theme's
sentiment (aspect-level sentiment) is that of the sentences that mention it: the mean of their
probabilities, labelled by the largest. A text of one sentence gives that sentence the item's
sentiment.

The score of a sentiment is P(positive) − P(negative), from −1 to 1; its label is the most
probable of negative, neutral and positive.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from advocacy.errors import AdvocacyError, InvalidInput
from advocacy.text.language import DEFAULT_LANGUAGES, UNKNOWN, LanguageGuess, LanguageIdentifier
from advocacy.text.learning import CompanyModel, blend
from advocacy.text.redact import Redaction, redact
from advocacy.text.sentences import Sentence, split_sentences
from advocacy.text.sentiment import LABELS, SentimentModel, sentiment_model
from advocacy.text.themes import Taxonomy
from advocacy.text.urgency import UrgencyRules

Mode = Literal["accurate", "fast"]
MODES: tuple[Mode, ...] = ("accurate", "fast")


@dataclass(frozen=True, slots=True)
class SentenceSentiment:
    """A sentence, where it is in the text, and its sentiment."""

    text: str
    start: int
    end: int
    sentiment: str
    score: float


@dataclass(frozen=True, slots=True)
class ThemeMention:
    """A theme a text talks about, the sentiment of what it says about it, and where."""

    theme: str
    sentiment: str
    score: float
    sentences: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class TextAnalysis:
    """Everything text analysis says about one text."""

    language: str
    language_confidence: float
    sentiment: str | None
    sentiment_score: float | None
    themes: tuple[ThemeMention, ...]
    urgent: bool
    urgency_reasons: tuple[str, ...]
    redacted_text: str
    sentences: tuple[SentenceSentiment, ...] = field(default=())

    @property
    def theme_names(self) -> list[str]:
        """The themes, in the taxonomy's order."""
        return [mention.theme for mention in self.themes]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary of the analysis."""
        return {
            "language": self.language,
            "language_confidence": round(self.language_confidence, 4),
            "sentiment": self.sentiment,
            "sentiment_score": None
            if self.sentiment_score is None
            else round(self.sentiment_score, 4),
            "themes": [
                {"theme": m.theme, "sentiment": m.sentiment, "score": round(m.score, 4)}
                for m in self.themes
            ],
            "urgent": self.urgent,
            "urgency_reasons": list(self.urgency_reasons),
            "redacted_text": self.redacted_text,
            "sentences": [
                {
                    "text": s.text,
                    "start": s.start,
                    "end": s.end,
                    "sentiment": s.sentiment,
                    "score": round(s.score, 4),
                }
                for s in self.sentences
            ],
        }


@dataclass(frozen=True, slots=True)
class _Scored:
    """The sentiment probabilities of a text's sentences, with their labels and scores."""

    rows: npt.NDArray[np.float64]
    labels: list[str]
    scores: list[float]


def _labels(probabilities: npt.NDArray[np.float64]) -> tuple[list[str], list[float]]:
    labels = [LABELS[int(i)] for i in np.argmax(probabilities, axis=1)]
    scores = (probabilities[:, 2] - probabilities[:, 0]).tolist()
    return labels, scores


# Markup in texts copied from web pages: whole script and style elements, then any tag. They are
# blanked out with as many spaces, so that every position in the analysis is a position in the
# original text; what is left of the markup (an entity, a stray "<") is read as text.
_MARKUP = re.compile(
    r"<(script|style)\b[^>]{0,500}>.{0,100000}?</\1\s*>|<!--.{0,100000}?-->"
    r"|</?[a-zA-Z][a-zA-Z0-9:-]{0,30}(?:\s[^<>]{0,500})?/?>",
    re.IGNORECASE | re.DOTALL,
)


def blank_markup(text: str) -> str:
    """``text`` with HTML elements, tags and comments replaced by as many spaces."""
    if "<" not in text:
        return text
    return _MARKUP.sub(lambda match: " " * len(match.group()), text)


def _unredacted(_: str) -> Redaction:
    """No redaction: an empty text, for callers that redact another text themselves."""
    return Redaction("", ())


class Analyzer:
    """Text analysis with its models loaded once, for batch after batch.

    Parameters
    ----------
    mode : {"accurate", "fast"}
        Which model scores whole items (see the module docstring).
    languages : iterable of str
        The languages to tell apart (ISO 639-1); others come out as the nearest of these or
        "unknown".
    taxonomy : Taxonomy, optional
        The themes; by default Advocacy's.
    company_models : mapping of str to CompanyModel, optional
        The company's own sentiment models by language (:mod:`advocacy.text.learning`): an
        item in one of those languages gets the mean of the mode's and the company's
        probabilities.
    """

    def __init__(
        self,
        mode: Mode = "accurate",
        *,
        languages: Iterable[str] = DEFAULT_LANGUAGES,
        taxonomy: Taxonomy | None = None,
        item_model: SentimentModel | None = None,
        sentence_model: SentimentModel | None = None,
        company_models: Mapping[str, CompanyModel] | None = None,
    ) -> None:
        if mode not in MODES:
            raise InvalidInput(f"unknown mode {mode!r}: choose accurate or fast")
        self.mode = mode
        self.identify = LanguageIdentifier(languages)
        self.taxonomy = taxonomy or Taxonomy.default()
        self.urgency = UrgencyRules()
        self.item_model = item_model or sentiment_model(mode)
        self.sentence_model = sentence_model or sentiment_model("fast")
        self.company_models = dict(company_models or {})

    def analyze(
        self, texts: Sequence[str | None], *, redact_texts: bool = True
    ) -> list[TextAnalysis]:
        """The analysis of each text, in order; an empty or missing text gives "unknown"
        language, no sentiment, no themes. With ``redact_texts=False`` the results'
        ``redacted_text`` is left empty (for callers that redact another text themselves)."""
        scrub = redact if redact_texts else _unredacted
        originals = [(text or "").replace("\x00", "") for text in texts]
        cleaned = [blank_markup(text) for text in originals]
        present = [i for i, text in enumerate(cleaned) if text.strip()]
        split = {i: split_sentences(cleaned[i]) for i in present}
        guesses = {i: self.identify(cleaned[i]) for i in present}
        item_rows = self._probabilities(self.item_model, [cleaned[i] for i in present])
        for language, company in self.company_models.items():
            # The company's own model, where it has one, blended with the shipped one.
            mine = [row for row, i in enumerate(present) if guesses[i].language == language]
            if mine:
                own = company.predict_proba([cleaned[present[row]] for row in mine])
                item_rows[mine] = blend(item_rows[mine], own)
        sentence_texts = [s.text for i in present if len(split[i]) > 1 for s in split[i]]
        sentence_rows = self._probabilities(self.sentence_model, sentence_texts)
        item_labels, item_scores = _labels(item_rows)
        all_labels, all_scores = _labels(sentence_rows)
        results: list[TextAnalysis] = []
        position = {index: row for row, index in enumerate(present)}
        at = 0
        for index, text in enumerate(cleaned):
            if index not in position:
                redacted = scrub(originals[index]).text
                results.append(TextAnalysis(UNKNOWN, 0.0, None, None, (), False, (), redacted))
                continue
            row = position[index]
            sentences = split[index]
            if len(sentences) > 1:
                scored = _Scored(
                    sentence_rows[at : at + len(sentences)],
                    all_labels[at : at + len(sentences)],
                    all_scores[at : at + len(sentences)],
                )
                at += len(sentences)
            else:
                scored = _Scored(item_rows[row][None, :], [item_labels[row]], [item_scores[row]])
            redacted = scrub(originals[index]).text
            results.append(
                self._one(
                    text,
                    guesses[index],
                    (item_labels[row], item_scores[row]),
                    sentences,
                    scored,
                    redacted,
                )
            )
        return results

    def _one(
        self,
        text: str,
        guess: LanguageGuess,
        item: tuple[str, float],
        sentences: list[Sentence],
        scored: _Scored,
        redacted: str,
    ) -> TextAnalysis:
        label, score = item
        mentions = []
        for theme, where in self.taxonomy.sentences_by_theme([s.text for s in sentences]).items():
            if len(where) == 1:
                theme_label, theme_score = scored.labels[where[0]], scored.scores[where[0]]
            else:
                (theme_label,), (theme_score,) = _labels(scored.rows[where].mean(axis=0)[None, :])
            mentions.append(ThemeMention(theme, theme_label, theme_score, tuple(where)))
        urgency = self.urgency.assess(text, label)
        return TextAnalysis(
            language=guess.language,
            language_confidence=guess.confidence,
            sentiment=label,
            sentiment_score=score,
            themes=tuple(mentions),
            urgent=urgency.urgent,
            urgency_reasons=urgency.reasons,
            redacted_text=redacted,
            sentences=tuple(
                SentenceSentiment(s.text, s.start, s.end, lab, sc)
                for s, lab, sc in zip(sentences, scored.labels, scored.scores, strict=True)
            ),
        )

    @staticmethod
    def _probabilities(model: SentimentModel, texts: list[str]) -> npt.NDArray[np.float64]:
        if not texts:
            return np.empty((0, 3))
        return np.asarray(model.predict_proba(texts), dtype=np.float64)


#: The most worker processes :func:`default_workers` gives: past a few, the one process that
#: collects (and stores) the results is what limits a run, and each worker holds its own memory.
MAX_DEFAULT_WORKERS = 8


def default_workers(mode: str) -> int:
    """Processes :func:`analyze_batches` should use for ``mode`` on this machine: every core
    the process may use in fast mode (its work is Python, one core a process), at most
    :data:`MAX_DEFAULT_WORKERS`; one in accurate mode, whose transformer already runs on every
    core."""
    if mode != "fast":
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_DEFAULT_WORKERS))


def _may_fork() -> bool:
    """Whether worker processes may be forked from this one: on Linux (elsewhere the system's
    own libraries are not safe to fork), with no other thread running."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


#: The analyzer of a worker process of :func:`analyze_batches` (inherited when it was forked).
_WORKER_ANALYZER: Analyzer | None = None


def _adopt(analyzer: Analyzer) -> None:
    global _WORKER_ANALYZER
    _WORKER_ANALYZER = analyzer


def _analyze_in_worker(texts: list[str | None], redact_texts: bool) -> list[TextAnalysis]:
    assert _WORKER_ANALYZER is not None, "not a worker of analyze_batches"
    return _WORKER_ANALYZER.analyze(texts, redact_texts=redact_texts)


def analyze_batches(
    analyzer: Analyzer,
    batches: Iterable[Sequence[str | None]],
    *,
    workers: int = 1,
    redact_texts: bool = True,
) -> Iterator[list[TextAnalysis]]:
    """The analysis of each batch of ``batches``, in order, on ``workers`` processes.

    With one worker, or one batch, the batches are analysed here, one after the other. With
    more, worker processes forked from this one (they share its loaded models) analyse up to
    two batches each ahead of the one returned, while the caller stores the results: the batches
    are read from ``batches`` in this process, as they are needed, so a generator reading a
    database works. Stopping early (closing the iterator) stops the workers. Fast mode gains
    about as many times as there are cores; the accurate mode's transformer already uses them
    all.

    Parameters
    ----------
    analyzer : Analyzer
        What analyses; each worker uses a copy of it.
    batches : iterable of sequences of str
        The texts, batch by batch (a few hundred a batch is right).
    workers : int
        Processes; 1 analyses in this process. So does any number where processes should not
        be forked: not on Linux, or with other threads running here (a thread could hold a lock
        the copy would wait on forever).
    redact_texts : bool
        As for :meth:`Analyzer.analyze`.

    Yields
    ------
    list of TextAnalysis
        One list per batch, in the batches' order.

    Raises
    ------
    InvalidInput
        When ``workers`` is less than 1.
    AdvocacyError
        When a worker process died (killed for memory, say): the batches yielded before stand.
    """
    if workers < 1:
        raise InvalidInput(f"workers: at least 1, not {workers}")
    pending = iter(batches)
    opening = list(islice(pending, 2))  # one batch alone is not worth a process
    if len(opening) < 2 or workers == 1 or not _may_fork():
        for batch in chain(opening, pending):
            yield analyzer.analyze(batch, redact_texts=redact_texts)
        return
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_adopt,
        initargs=(analyzer,),
    )
    try:
        ahead: deque[Future[list[TextAnalysis]]] = deque()
        for batch in chain(opening, pending):
            ahead.append(pool.submit(_analyze_in_worker, list(batch), redact_texts))
            if len(ahead) > 2 * workers:
                yield ahead.popleft().result()
        while ahead:
            yield ahead.popleft().result()
    except BrokenProcessPool as exc:
        raise AdvocacyError(
            "a worker process of the text analysis stopped (out of memory?); what was done "
            "before is kept: run it again, with fewer workers if need be"
        ) from exc
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


_ANALYZERS: dict[Mode, Analyzer] = {}
_ANALYZERS_LOCK = threading.Lock()


def analyze(texts: Iterable[str | None], mode: Mode = "accurate") -> list[TextAnalysis]:
    """Analyse ``texts`` with Advocacy's models and default taxonomy.

    Returns one :class:`TextAnalysis` per text with at least ``language``, ``sentiment``
    ("negative", "neutral", "positive"), ``sentiment_score``, ``themes`` and ``urgent``.

    Examples
    --------
    >>> result, = analyze(["The courier was late again and nobody answers. Refund me!"], "fast")
    >>> result.language, result.sentiment, "delivery" in result.theme_names
    ('en', 'negative', True)
    """
    with _ANALYZERS_LOCK:
        if mode not in _ANALYZERS:
            _ANALYZERS[mode] = Analyzer(mode)
        analyzer = _ANALYZERS[mode]
    return analyzer.analyze(list(texts))
