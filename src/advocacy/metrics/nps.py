"""The Net Promoter Score, with its margin of error, interval and significance of changes.

"How likely are you to recommend us to someone else?" is answered 0–10: promoters answer 9–10,
passives 7–8, detractors 0–6, and NPS = % promoters − % detractors, in points (−100…100).

The NPS is a difference of two proportions of one trinomial sample, so its estimator has the
variance ``Var = (p_pro + p_det − (p_pro − p_det)²) / n`` and the 95 % margin of error is
``1.96 · √Var`` (in points). Below :data:`SMALL_SAMPLE` answers the normal approximation is poor
and its interval can leave −100…100, so small samples get the score interval instead: every NPS
value the score test does not reject, found by bisection. Both intervals contain the estimate.
Two NPS from independent samples (two periods, a group and the rest) are compared with a z-test
on their difference.

References
----------
.. [1] Reichheld, F. F. (2003). The One Number You Need to Grow. Harvard Business Review 81(12).
.. [2] Rocks, B. (2016). Interval Estimation for the "Net Promoter Score". The American
   Statistician 70(4), 365–372. arXiv:1601.07235.
.. [3] Tango, T. (1998). Equivalence test and confidence interval for the difference in
   proportions for the paired-sample design. Statistics in Medicine 17, 891–908 (the same
   constrained maximum-likelihood score statistic, for a difference of two cells of one
   multinomial sample).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from advocacy.errors import InvalidInput

SMALL_SAMPLE = 30
Z_95 = 1.959963984540054  # the 97.5 % quantile of the standard normal


@dataclass(frozen=True, slots=True)
class NpsResult:
    """An NPS with its counts and uncertainty; ``score`` and the bounds are in points."""

    score: float
    n: int
    promoters: int
    passives: int
    detractors: int
    margin_of_error: float
    ci_low: float
    ci_high: float
    small_sample: bool
    interval: str  # "wald" or "score"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class NpsChange:
    """The difference of two NPS from independent samples, with its interval and p-value."""

    change: float
    ci_low: float
    ci_high: float
    p_value: float
    significant: bool


CHUNK = 1 << 20  # answers handled at a time: keeps temporaries to a few megabytes


def checked_scores(scores: Iterable[int] | npt.ArrayLike) -> npt.NDArray[Any]:
    """``scores`` as a numpy array (not copied when it is one), refusing, never counting, a
    score outside 0–10 or not a whole number."""
    values = np.asarray(scores if hasattr(scores, "__len__") else list(scores))  # type: ignore[arg-type]
    if values.size == 0:
        return values.astype(np.int8)
    if values.dtype.kind == "f":
        for start in range(0, values.size, CHUNK):
            part = values[start : start + CHUNK]
            if not np.all(np.isfinite(part) & (part == np.round(part))):
                raise InvalidInput("NPS scores must be whole numbers from 0 to 10")
    elif values.dtype.kind not in "iu":
        raise InvalidInput("NPS scores must be whole numbers from 0 to 10")
    if values.min() < 0 or values.max() > 10:
        raise InvalidInput("NPS scores must be whole numbers from 0 to 10")
    return values


def categories_of(values: npt.NDArray[Any]) -> npt.NDArray[np.int8]:
    """0 for each detractor (0–6), 1 for each passive (7–8), 2 for each promoter (9–10)."""
    return (values >= 7).astype(np.int8) + (values >= 9).astype(np.int8)


def categorise(scores: Iterable[int] | npt.ArrayLike) -> tuple[int, int, int]:
    """Count (promoters, passives, detractors) of ``scores``, a chunk at a time."""
    values = checked_scores(scores)
    counts = np.zeros(11, dtype=np.int64)
    for start in range(0, values.size, CHUNK):
        counts += np.bincount(values[start : start + CHUNK].astype(np.intp), minlength=11)
    return int(counts[9:].sum()), int(counts[7:9].sum()), int(counts[:7].sum())


def nps(scores: Iterable[int] | npt.ArrayLike, *, confidence: float = 0.95) -> NpsResult:
    """The NPS of ``scores`` (whole numbers 0–10) with its margin of error and interval.

    Examples
    --------
    >>> result = nps([10, 9, 8, 7, 6, 0])
    >>> result.score, result.promoters, result.detractors
    (0.0, 2, 2)
    """
    promoters, passives, detractors = categorise(scores)
    return nps_from_counts(promoters, passives, detractors, confidence=confidence)


def _z(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise InvalidInput("the confidence level must be between 0 and 1, e.g. 0.95")
    if confidence == 0.95:
        return Z_95
    return math.sqrt(2) * _erfinv(confidence)


def _erfinv(y: float) -> float:
    """Inverse error function by Newton's method (enough for confidence levels)."""
    x = 0.0
    for _ in range(60):
        error = math.erf(x) - y
        x -= error / (2 / math.sqrt(math.pi) * math.exp(-x * x))
        if abs(error) < 1e-15:
            break
    return x


def nps_from_counts(
    promoters: int, passives: int, detractors: int, *, confidence: float = 0.95
) -> NpsResult:
    """The NPS of a sample given its counts of promoters, passives and detractors."""
    if min(promoters, passives, detractors) < 0:
        raise InvalidInput("counts of answers cannot be negative")
    n = promoters + passives + detractors
    z = _z(confidence)
    if n == 0:
        nan = math.nan
        return NpsResult(nan, 0, 0, 0, 0, nan, nan, nan, True, "none")
    p_pro, p_det = promoters / n, detractors / n
    estimate = p_pro - p_det
    variance = max(p_pro + p_det - estimate**2, 0.0) / n
    margin = z * math.sqrt(variance)
    small = n < SMALL_SAMPLE
    if small:
        low, high = score_interval(promoters, passives, detractors, z=z)
        method = "score"
    else:
        low, high = max(estimate - margin, -1.0), min(estimate + margin, 1.0)
        method = "wald"
    return NpsResult(
        score=100 * estimate,
        n=n,
        promoters=promoters,
        passives=passives,
        detractors=detractors,
        margin_of_error=100 * margin,
        ci_low=100 * low,
        ci_high=100 * high,
        small_sample=small,
        interval=method,
    )


def _constrained_variance(promoters: int, passives: int, detractors: int, delta: float) -> float:
    """Var of the NPS estimator at the maximum-likelihood cell probabilities with NPS = delta.

    Maximising the trinomial likelihood subject to p_pro − p_det = delta gives, for
    q = p_det, the quadratic 2n·q² − B·q − C = 0 with
    B = x_pro(1 − δ) + x_det(1 − 3δ) − 2·x_pas·δ and C = x_det·δ(1 − δ); its positive root is q.
    """
    n = promoters + passives + detractors
    b = promoters * (1 - delta) + detractors * (1 - 3 * delta) - 2 * passives * delta
    c = detractors * delta * (1 - delta)
    q = (b + math.sqrt(max(b * b + 8 * n * c, 0.0))) / (4 * n)
    q = min(max(q, max(0.0, -delta)), (1 - delta) / 2)
    p_det, p_pro = q, q + delta
    return max(p_pro + p_det - delta**2, 0.0) / n


def score_interval(
    promoters: int, passives: int, detractors: int, *, z: float = Z_95
) -> tuple[float, float]:
    """The score-test interval of the NPS as proportions in −1…1 (Rocks 2016, Tango 1998).

    The set of values δ for which |NPS − δ| / √Var₀(δ) ≤ z, where Var₀ is the estimator's
    variance at the likelihood maximum constrained to NPS = δ. It always lies within −1…1 and
    contains the estimate, whatever the sample size.
    """
    n = promoters + passives + detractors
    estimate = (promoters - detractors) / n

    def rejected(delta: float) -> bool:
        variance = _constrained_variance(promoters, passives, detractors, delta)
        if variance <= 0:
            return not math.isclose(delta, estimate, abs_tol=1e-12)
        return abs(estimate - delta) > z * math.sqrt(variance)

    def boundary(inside: float, outside: float) -> float:
        if not rejected(outside):
            return outside
        for _ in range(100):
            middle = (inside + outside) / 2
            if rejected(middle):
                outside = middle
            else:
                inside = middle
        return inside

    return boundary(estimate, -1.0), boundary(estimate, 1.0)


def compare(current: NpsResult, reference: NpsResult, *, confidence: float = 0.95) -> NpsChange:
    """How ``current`` differs from ``reference`` (independent samples), in points.

    The difference of the estimates with the z-test of its standard error
    √(Var₁ + Var₂); ``significant`` when the two-sided p-value is below 1 − confidence.
    """
    z = _z(confidence)
    change = current.score - reference.score
    if current.n == 0 or reference.n == 0:
        nan = math.nan
        return NpsChange(nan, nan, nan, nan, False)
    se = math.hypot(_standard_error(current), _standard_error(reference))
    if se == 0:
        p_value = 1.0 if change == 0 else 0.0
    else:
        p_value = math.erfc(abs(change) / se / math.sqrt(2))
    return NpsChange(
        change=change,
        ci_low=change - z * se,
        ci_high=change + z * se,
        p_value=p_value,
        significant=p_value < 1 - confidence,
    )


def _standard_error(result: NpsResult) -> float:
    """The standard error of an NPS in points."""
    p_pro, p_det = result.promoters / result.n, result.detractors / result.n
    return 100 * math.sqrt(max(p_pro + p_det - (p_pro - p_det) ** 2, 0.0) / result.n)
