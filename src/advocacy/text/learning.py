"""A company's own sentiment model, learnt from the ratings its customers gave themselves.

Every rated item with a comment is a labelled example that costs nothing: an NPS score of 0–6
with its comment is a negative text, 9–10 a positive one, 7–8 neutral; a review of 1–2 stars out
of 5 is negative, 3 neutral, 4–5 positive (on its own scale: at most 40 % of it negative, at
least 70 % positive). The company's words — its products, its couriers, its slang — are what the
shipped model, trained on general sentences, does not know.

The model is a multinomial logistic regression over hashed word unigrams and bigrams of the
normalised text (:data:`FEATURES` buckets, L2-regularised, fitted by L-BFGS), one per language.
It is used *blended* with the shipped model (the mean of the two probability rows), and kept only
when the blend beats the shipped model alone on a held-out fifth of the company's examples,
stratified by label: its balanced accuracy of positive against negative must be higher by at
least :data:`MIN_GAIN`, and the comments it gets right that the shipped model got wrong must
outnumber the reverse beyond chance (McNemar's exact test, one-sided, p < :data:`MAX_P_VALUE`):
on a small held-out set a gain of a few points is often luck.

References
----------
.. [1] Weinberger, K. et al. (2009). Feature hashing for large scale multitask learning.
   Proceedings of ICML 2009, 1113–1120.
.. [2] McNemar, Q. (1947). Note on the sampling error of the difference between correlated
   proportions or percentages. Psychometrika 12(2), 153–157; the exact (binomial) form as in
   Fagerland, M. W., Lydersen, S. & Laake, P. (2013), BMC Medical Research Methodology 13:91.
"""

from __future__ import annotations

import io
import itertools
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.optimize import minimize

from advocacy.errors import InvalidInput
from advocacy.text.sentiment import LABELS, normalise

FEATURES = 2**16
#: L2 penalty: C in C · Σ log loss + ‖W‖² / 2.
C = 1.0
MIN_GAIN = 0.01
MAX_P_VALUE = 0.05
HOLD_OUT = 0.2
_WORD = re.compile(r"[^\W\d_]+")


def label_of_rating(kind: str, rating: float, scale: float | None) -> str:
    """The sentiment a customer's own rating says: NPS 0–6 / 7–8 / 9–10; other ratings on their
    scale, at most 40 % negative, at least 70 % positive, neutral between."""
    if kind == "nps":
        return "negative" if rating <= 6 else "neutral" if rating <= 8 else "positive"
    share = rating / (scale or 5.0)
    return "negative" if share <= 0.4 else "positive" if share >= 0.7 else "neutral"


def features(texts: Sequence[str]) -> sparse.csr_matrix:
    """Hashed counts of the words and word pairs of each text (a ``len(texts) × FEATURES``
    sparse matrix, each row scaled to unit length)."""
    indptr: list[int] = [0]
    indices: list[int] = []
    for text in texts:
        words = _WORD.findall(normalise(text or "")[:5000])
        grams = words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
        indices.extend(zlib.crc32(gram.encode("utf-8")) % FEATURES for gram in grams)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    matrix = sparse.csr_matrix(
        (data, np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
        shape=(len(texts), FEATURES),
    )
    matrix.sum_duplicates()
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return sparse.csr_matrix(sparse.diags(1 / np.maximum(norms, 1e-12)) @ matrix)


@dataclass(frozen=True)
class CompanyModel:
    """A fitted hashed-n-gram softmax model: ``weights`` (FEATURES × 3) and ``bias`` (3)."""

    weights: npt.NDArray[np.float32]
    bias: npt.NDArray[np.float64]

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str]) -> CompanyModel:
        """Fit on ``texts`` with their ``labels`` (names from ``LABELS``)."""
        if len(texts) != len(labels) or not texts:
            raise InvalidInput("training needs as many labels as texts, and at least one")
        x = features(texts)
        y = np.zeros((len(texts), 3))
        y[np.arange(len(texts)), [LABELS.index(label) for label in labels]] = 1.0

        def loss(flat: npt.NDArray[np.float64]) -> tuple[float, npt.NDArray[np.float64]]:
            w, b = flat[: FEATURES * 3].reshape(FEATURES, 3), flat[FEATURES * 3 :]
            z = x @ w + b
            z -= z.max(axis=1, keepdims=True)
            log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
            error = np.exp(log_p) - y
            value = -C * float((y * log_p).sum()) + 0.5 * float((w * w).sum())
            grad_w = C * (x.T @ error) + w
            grad_b = C * error.sum(axis=0)
            return value, np.concatenate([np.asarray(grad_w).ravel(), grad_b])

        result = minimize(
            loss, np.zeros(FEATURES * 3 + 3), jac=True, method="L-BFGS-B", options={"maxiter": 200}
        )
        flat = result.x
        return cls(flat[: FEATURES * 3].reshape(FEATURES, 3).astype(np.float32), flat[-3:])

    def predict_proba(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """Probabilities of ``LABELS`` for each text."""
        z = features(texts) @ self.weights.astype(np.float64) + self.bias
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return np.asarray(p / p.sum(axis=1, keepdims=True), dtype=np.float64)

    def to_bytes(self) -> bytes:
        """The model as an ``.npz`` document."""
        buffer = io.BytesIO()
        np.savez_compressed(buffer, weights=self.weights, bias=self.bias, features=FEATURES)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> CompanyModel:
        """A model from :meth:`to_bytes`; refuses anything else."""
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as stored:
                if int(stored["features"]) != FEATURES:
                    raise InvalidInput("a company sentiment model of another feature size")
                return cls(stored["weights"].astype(np.float32), stored["bias"].astype(float))
        except (ValueError, KeyError, OSError) as error:
            raise InvalidInput(f"not a company sentiment model: {error}") from error


def balanced_accuracy(labels: Sequence[str], probabilities: npt.NDArray[np.float64]) -> float:
    """Mean recall of positives and negatives, a text being positive when P(pos) ≥ P(neg)."""
    truth = np.asarray(labels)
    positive = probabilities[:, 2] >= probabilities[:, 0]
    recalls = [
        float(np.mean(positive[truth == "positive"])),
        float(np.mean(~positive[truth == "negative"])),
    ]
    return float(np.mean(recalls))


def improvement_p_value(
    labels: Sequence[str],
    before: npt.NDArray[np.float64],
    after: npt.NDArray[np.float64],
) -> float:
    """One-sided exact McNemar p-value that ``after`` tells positive from negative better than
    ``before`` on the same positive and negative texts: with ``b`` texts only ``after`` gets
    right and ``c`` only ``before`` does, P(X ≥ b) for X ~ Binomial(b + c, ½)."""
    from scipy.stats import binomtest

    truth = np.asarray(labels)
    polar = (truth == "positive") | (truth == "negative")
    expected = truth[polar] == "positive"
    right_before = (before[polar, 2] >= before[polar, 0]) == expected
    right_after = (after[polar, 2] >= after[polar, 0]) == expected
    gained = int(np.sum(right_after & ~right_before))
    lost = int(np.sum(right_before & ~right_after))
    if gained + lost == 0:
        return 1.0
    return float(binomtest(gained, gained + lost, 0.5, alternative="greater").pvalue)


def held_out_split(
    labels: Sequence[str], *, fraction: float = HOLD_OUT, seed: int = 0
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Positions of the training and the held-out examples, each label split alike."""
    rng = np.random.default_rng(seed)
    truth = np.asarray(labels)
    train, test = [], []
    for label in LABELS:
        where = rng.permutation(np.flatnonzero(truth == label))
        cut = round(len(where) * fraction)
        test.append(where[:cut])
        train.append(where[cut:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(test))


def blend(
    shipped: npt.NDArray[np.float64], company: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """The blended probabilities: the mean of the shipped and the company model's rows."""
    return np.asarray((shipped + company) / 2, dtype=np.float64)
