"""Key drivers of the NPS: which themes of the comments separate detractors from promoters.

Each response has a score 0–10 and, per theme (delivery, price, quality, customer service, …),
whether its comment mentions the theme. For every theme :func:`key_drivers` reports, with
confidence intervals:

``nps_with``, ``nps_without`` and their ``gap`` (points)
    The NPS of the responses that mention the theme and of those that do not. Their difference
    gets the Wald interval of a difference of two independent NPS: one answer is a variable
    X = +1 (promoter), 0 (passive) or −1 (detractor) with E[X] = p − q and E[X²] = p + q, so
    the NPS of n answers, in points, has ``Var = 100² · (p + q − (p − q)²) / n`` [2]_ and the
    gap's standard error is ``√(Var_with + Var_without)``. The interval is
    ``gap ± z · SE``, clipped to the scale −200…200; ``significant`` when it excludes 0.
    This is the z-test of :func:`advocacy.metrics.nps.compare`. When either group has fewer
    than :data:`~advocacy.metrics.nps.SMALL_SAMPLE` answers the normal approximation fails (two
    detractors have a variance of 0 and a point for an interval), so the gap gets instead the
    MOVER interval [6]_ from the two groups' score intervals (l, u) of
    :func:`~advocacy.metrics.nps.score_interval`: ``L = gap − √((N₁ − l₁)² + (u₂ − N₂)²)``,
    ``U = gap + √((u₁ − N₁)² + (N₂ − l₂)²)``, and no p-value (``None``).
``detractor_rate``, ``promoter_rate`` and ``rate_difference`` (proportions 0–1)
    The share of detractors whose comment mentions the theme, the share of promoters whose
    comment does, and detractor_rate − promoter_rate with Newcombe's hybrid score interval
    (method 10 of [4]_), built from the two Wilson score intervals [3]_ [5]_:
    ``L = d − √((p₁ − l₁)² + (u₂ − p₂)²)``, ``U = d + √((u₁ − p₁)² + (p₂ − l₂)²)``.
``impact`` (points)
    What the overall NPS would gain if the theme's detractors were passives:
    ``100 · (detractors who mention the theme) / N``, with the Wilson score interval of that
    proportion times 100. With ``negative_only`` only the detractors who say something negative
    about the theme count. Themes are sorted by impact, largest first, then by name.
``lift`` (points)
    The symmetrical number: the NPS points the theme's promoters contribute,
    ``100 · (promoters who mention the theme) / N``, with its Wilson interval times 100.

A mention is an association, not a cause: a theme that detractors mention is where their
comments point, and its impact is an upper bound on what fixing it alone would bring.

Undefined values are ``None``, never NaN: the NPS of an empty group (a theme mentioned by
nobody has no ``nps_with``, one mentioned by everybody no ``nps_without``) and therefore its
gap, and a rate among detractors (promoters) when there are none. No responses at all is not an
error, as for :func:`advocacy.metrics.nps.nps`: the report then has an undefined NPS and no
drivers, every theme being listed in ``excluded``.

References
----------
.. [1] Reichheld, F. F. (2003). The One Number You Need to Grow. Harvard Business Review 81(12).
.. [2] Rocks, B. (2016). Interval Estimation for the "Net Promoter Score". The American
   Statistician 70(4), 365–372. arXiv:1601.07235.
.. [3] Wilson, E. B. (1927). Probable Inference, the Law of Succession, and Statistical
   Inference. Journal of the American Statistical Association 22, 209–212.
.. [4] Newcombe, R. G. (1998). Interval estimation for the difference between independent
   proportions: comparison of eleven methods. Statistics in Medicine 17, 873–890.
.. [5] Newcombe, R. G. (1998). Two-sided confidence intervals for the single proportion:
   comparison of seven methods. Statistics in Medicine 17, 857–872.
.. [6] Zou, G. Y. & Donner, A. (2008). Construction of confidence limits about effect measures:
   a general approach. Statistics in Medicine 27, 1693–1702.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from numbers import Real
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.special import ndtri

from advocacy.errors import InvalidInput
from advocacy.metrics.nps import (
    SMALL_SAMPLE,
    NpsResult,
    categories_of,
    checked_scores,
    nps_from_counts,
    score_interval,
)

SENTIMENTS = ("negative", "neutral", "positive")

# How as_dict rounds: points to 2 decimals, proportions to 4, p-values to 4 significant digits.
_POINTS = frozenset(
    {
        "nps_with",
        "nps_without",
        "gap",
        "gap_ci_low",
        "gap_ci_high",
        "impact",
        "impact_ci_low",
        "impact_ci_high",
        "lift",
        "lift_ci_low",
        "lift_ci_high",
    }
)
_PROPORTIONS = frozenset(
    {
        "share",
        "detractor_rate",
        "promoter_rate",
        "rate_difference",
        "rate_difference_ci_low",
        "rate_difference_ci_high",
    }
)

Mentions = Mapping[str, npt.ArrayLike] | npt.ArrayLike
# Negative mentions: booleans, or aspect sentiments such as ["negative", None, "positive"].
NegativeMentions = Mapping[str, npt.ArrayLike | Sequence[str | None]] | npt.ArrayLike


@dataclass(frozen=True, slots=True)
class ThemeDriver:
    """One theme: how its mentions split detractors from promoters and what it does to the NPS.

    NPS, gap, impact and lift are in points; share and rates are proportions 0–1. ``None``
    where a value is undefined (see the module's documentation).
    """

    theme: str
    mentions: int
    share: float
    nps_with: float | None
    nps_without: float | None
    gap: float | None
    gap_ci_low: float | None
    gap_ci_high: float | None
    gap_p_value: float | None
    significant: bool
    detractors_mentioning: int
    promoters_mentioning: int
    detractor_rate: float | None
    promoter_rate: float | None
    rate_difference: float | None
    rate_difference_ci_low: float | None
    rate_difference_ci_high: float | None
    impact_detractors: int  # the detractors counted in impact (only negative ones if masked)
    impact: float
    impact_ci_low: float
    impact_ci_high: float
    lift: float
    lift_ci_low: float
    lift_ci_high: float

    def as_dict(self) -> dict[str, Any]:
        """The driver as a JSON-ready dict: points to 2 decimals, proportions to 4."""
        document: dict[str, Any] = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if field.name in _POINTS:
                value = _rounded(value, 2)
            elif field.name in _PROPORTIONS:
                value = _rounded(value, 4)
            elif field.name == "gap_p_value" and value is not None:
                value = float(f"{value:.4g}")
            document[field.name] = value
        return document


@dataclass(frozen=True, slots=True)
class DriverReport:
    """The key drivers of a set of responses, largest impact first.

    ``excluded`` names the themes left out for having fewer than ``min_mentions`` mentions
    (all of them when there are no responses).
    """

    responses: int
    nps: NpsResult
    confidence: float
    drivers: tuple[ThemeDriver, ...]
    excluded: tuple[str, ...] = ()

    def to_dicts(self) -> list[dict[str, Any]]:
        """One JSON-ready dict per driver, in the report's order."""
        return [driver.as_dict() for driver in self.drivers]

    def as_dict(self) -> dict[str, Any]:
        """The whole report as a JSON-ready dict (no NaN: undefined values are ``None``)."""
        overall = self.nps.as_dict()
        for name in ("score", "margin_of_error", "ci_low", "ci_high"):
            overall[name] = _rounded(overall[name], 2)
        return {
            "responses": self.responses,
            "confidence": self.confidence,
            "nps": overall,
            "drivers": self.to_dicts(),
            "excluded": list(self.excluded),
        }


def _rounded(value: float | None, digits: int) -> float | None:
    if value is None or math.isnan(value):
        return None
    return round(value, digits) + 0.0  # + 0.0 turns −0.0 into 0.0


def z_value(confidence: float) -> float:
    """The two-sided normal quantile of ``confidence`` (1.959964 for 0.95)."""
    if isinstance(confidence, bool) or not isinstance(confidence, Real) or not 0 < confidence < 1:
        raise InvalidInput("the confidence level must be between 0 and 1, e.g. 0.95")
    return float(ndtri((1 + confidence) / 2))


def _count(value: int, what: str) -> int:
    try:
        number = operator.index(value)
    except TypeError:
        raise InvalidInput(f"{what} must be a whole number, not {value!r}") from None
    if isinstance(value, bool):
        raise InvalidInput(f"{what} must be a whole number, not {value!r}")
    return number


def wilson_interval(
    successes: int, trials: int, *, confidence: float = 0.95
) -> tuple[float, float]:
    """The Wilson score interval of the proportion ``successes / trials``.

    Parameters
    ----------
    successes, trials : int
        Counts with ``0 <= successes <= trials`` and ``trials > 0``.
    confidence : float
        The confidence level, strictly between 0 and 1.

    Returns
    -------
    tuple of float
        ``(low, high)`` within 0…1: every p the score test does not reject,
        ``(x + z²/2 ± z·√(x(n − x)/n + z²/4)) / (n + z²)``; exactly 0 (1) when no (every) trial
        succeeds.

    References
    ----------
    .. [1] Wilson, E. B. (1927). Probable Inference, the Law of Succession, and Statistical
       Inference. Journal of the American Statistical Association 22, 209–212.
    .. [2] Newcombe, R. G. (1998). Two-sided confidence intervals for the single proportion:
       comparison of seven methods. Statistics in Medicine 17, 857–872 (method 3).

    Examples
    --------
    >>> low, high = wilson_interval(81, 263)
    >>> round(low, 4), round(high, 4)
    (0.2553, 0.3662)
    """
    x, n = _count(successes, "successes"), _count(trials, "trials")
    if n <= 0 or not 0 <= x <= n:
        raise InvalidInput("a proportion needs 0 <= successes <= trials and trials > 0")
    return _wilson(x, n, z_value(confidence))


def _wilson(x: int, n: int, z: float) -> tuple[float, float]:
    z2 = z * z
    centre = (x + z2 / 2) / (n + z2)
    half = z * math.sqrt(x * (n - x) / n + z2 / 4) / (n + z2)
    low = 0.0 if x == 0 else max(centre - half, 0.0)
    high = 1.0 if x == n else min(centre + half, 1.0)
    return low, high


def newcombe_interval(
    successes1: int,
    trials1: int,
    successes2: int,
    trials2: int,
    *,
    confidence: float = 0.95,
) -> tuple[float, float]:
    """Newcombe's hybrid score interval of p₁ − p₂ for two independent proportions.

    Parameters
    ----------
    successes1, trials1, successes2, trials2 : int
        The two samples' counts, each with ``0 <= successes <= trials`` and ``trials > 0``.
    confidence : float
        The confidence level, strictly between 0 and 1.

    Returns
    -------
    tuple of float
        ``(low, high)`` within −1…1. With (l₁, u₁) and (l₂, u₂) the Wilson intervals of the
        two proportions and d = p₁ − p₂: ``low = d − √((p₁ − l₁)² + (u₂ − p₂)²)`` and
        ``high = d + √((u₁ − p₁)² + (p₂ − l₂)²)``.

    References
    ----------
    .. [1] Newcombe, R. G. (1998). Interval estimation for the difference between independent
       proportions: comparison of eleven methods. Statistics in Medicine 17, 873–890
       (method 10, the score interval without continuity correction).

    Examples
    --------
    >>> low, high = newcombe_interval(56, 70, 48, 80)
    >>> round(low, 4), round(high, 4)
    (0.0524, 0.3339)
    """
    x1, n1 = _count(successes1, "successes1"), _count(trials1, "trials1")
    x2, n2 = _count(successes2, "successes2"), _count(trials2, "trials2")
    if n1 <= 0 or n2 <= 0 or not 0 <= x1 <= n1 or not 0 <= x2 <= n2:
        raise InvalidInput("a proportion needs 0 <= successes <= trials and trials > 0")
    return _newcombe(x1, n1, x2, n2, z_value(confidence))


def _newcombe(x1: int, n1: int, x2: int, n2: int, z: float) -> tuple[float, float]:
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = _wilson(x1, n1, z)
    l2, u2 = _wilson(x2, n2, z)
    difference = p1 - p2
    low = difference - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = difference + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return max(low, -1.0), min(high, 1.0)


def key_drivers(
    scores: Iterable[int] | npt.ArrayLike,
    mentions: Mentions,
    *,
    themes: Sequence[str] | None = None,
    confidence: float = 0.95,
    negative_only: NegativeMentions | None = None,
    min_mentions: int = 1,
) -> DriverReport:
    """Which themes separate detractors from promoters, and how much each moves the NPS.

    Parameters
    ----------
    scores : array_like of int
        The N answers, whole numbers 0–10.
    mentions : mapping or 2-D array_like of bool
        Whether each response's comment mentions each theme: a mapping theme name → N booleans,
        or an N × T boolean matrix whose columns ``themes`` names.
    themes : sequence of str, optional
        The names of the matrix's columns; required with a matrix, refused with a mapping.
    confidence : float
        The confidence level of every interval, strictly between 0 and 1.
    negative_only : mapping or 2-D array_like, optional
        Which mentions are negative, so that ``impact`` counts only the detractors who say
        something negative about the theme. A mapping theme → N booleans or N aspect
        sentiments (``"negative"``, ``"neutral"``, ``"positive"`` or ``None``), or a matrix
        shaped like ``mentions``. It is combined with the mentions (a negative label on a
        response that does not mention the theme counts for nothing); a theme the mapping
        leaves out keeps all its mentions. Everything but ``impact`` and
        ``impact_detractors`` still counts every mention.
    min_mentions : int
        Themes mentioned fewer times are left out of ``drivers`` and named in ``excluded``;
        0 reports every theme, including one nobody mentions (its NPS then ``None``).

    Returns
    -------
    DriverReport
        The overall NPS and one :class:`ThemeDriver` per theme, by impact (largest first) and
        then by name.

    Raises
    ------
    InvalidInput
        Scores outside 0–10 or not whole; mentions that are not booleans, not of the scores'
        length, unnamed or named twice; unknown sentiment labels; a confidence level outside
        (0, 1); a negative ``min_mentions``.

    References
    ----------
    .. [1] Rocks, B. (2016). Interval Estimation for the "Net Promoter Score". The American
       Statistician 70(4), 365–372 (the variance of the NPS estimator).
    .. [2] Newcombe, R. G. (1998). Interval estimation for the difference between independent
       proportions: comparison of eleven methods. Statistics in Medicine 17, 873–890.
    .. [3] Wilson, E. B. (1927). Probable Inference, the Law of Succession, and Statistical
       Inference. Journal of the American Statistical Association 22, 209–212.

    Examples
    --------
    >>> report = key_drivers(
    ...     [0, 3, 5, 6, 7, 8, 9, 9, 10, 10],
    ...     {"delivery": [True, True, True, True, True, False, False, False, False, False]},
    ... )
    >>> driver = report.drivers[0]
    >>> driver.impact, driver.nps_with, driver.nps_without
    (40.0, -80.0, 80.0)
    """
    z = z_value(confidence)
    minimum = _count(min_mentions, "min_mentions")
    if minimum < 0:
        raise InvalidInput("min_mentions cannot be negative")
    values = checked_scores(scores)
    if values.ndim != 1:
        raise InvalidInput("scores must be a one-dimensional sequence of answers")
    n = int(values.size)
    names, columns = _theme_columns(mentions, themes, n)
    negatives = _negative_columns(negative_only, names, n) if negative_only is not None else {}

    categories = categories_of(values)
    totals = np.bincount(categories, minlength=3)
    overall = nps_from_counts(int(totals[2]), int(totals[1]), int(totals[0]), confidence=confidence)
    if n == 0:
        return DriverReport(0, overall, confidence, (), tuple(names))

    drivers: list[ThemeDriver] = []
    excluded: list[str] = []
    for name, column in zip(names, columns, strict=True):
        within = np.bincount(categories[column], minlength=3)
        if int(within.sum()) < minimum:
            excluded.append(name)
            continue
        negative = negatives.get(name)
        if negative is None:
            impact_detractors = int(within[0])
        else:
            impact_detractors = int(np.count_nonzero(categories[column & negative] == 0))
        drivers.append(_driver(name, within, totals, impact_detractors, z))
    drivers.sort(key=lambda driver: (-driver.impact, driver.theme))
    return DriverReport(n, overall, confidence, tuple(drivers), tuple(excluded))


def _theme_columns(
    mentions: Mentions, themes: Sequence[str] | None, n: int
) -> tuple[list[str], list[npt.NDArray[np.bool_]]]:
    """The theme names and their N booleans each (views of a matrix, never copies)."""
    if isinstance(mentions, Mapping):
        if themes is not None:
            raise InvalidInput("themes names the columns of a matrix; a mapping names its own")
        names = list(mentions)
        _check_names(names)
        return names, [_boolean_column(mentions[name], name, n, "mentions") for name in names]
    if themes is None:
        raise InvalidInput("a matrix of mentions needs its theme names: pass themes=[...]")
    names = list(themes)
    _check_names(names)
    matrix = _boolean_matrix(mentions, n, len(names), "mentions")
    return names, [matrix[:, index] for index in range(len(names))]


def _check_names(names: list[Any]) -> None:
    for name in names:
        if not isinstance(name, str) or not name:
            raise InvalidInput(f"theme names must be non-empty strings, not {name!r}")
    if len(set(names)) != len(names):
        repeated = sorted({name for name in names if names.count(name) > 1})
        raise InvalidInput(f"theme names must be unique: {', '.join(repeated)} repeated")


def _boolean_matrix(values: Any, n: int, width: int, what: str) -> npt.NDArray[np.bool_]:
    matrix = np.asarray(values)
    if matrix.ndim != 2:
        raise InvalidInput(
            f"{what} must be a mapping theme → booleans or a 2-D matrix (responses × themes)"
        )
    if matrix.shape != (n, width):
        raise InvalidInput(
            f"{what} is a {matrix.shape[0]} × {matrix.shape[1]} matrix for {n} scores and "
            f"{width} themes"
        )
    if matrix.size == 0:  # no values, so none that is not a boolean ([] is float64)
        return matrix.astype(np.bool_)
    if matrix.dtype != np.bool_:
        raise InvalidInput(f"{what} must be True or False, not {matrix.dtype} values")
    return matrix


def _boolean_column(values: Any, name: str, n: int, what: str) -> npt.NDArray[np.bool_]:
    column = np.asarray(values)
    _check_length(column, name, n, what)
    if column.size == 0:
        return column.astype(np.bool_)
    if column.dtype != np.bool_:
        raise InvalidInput(f"{what} of {name!r} must be True or False, not {column.dtype} values")
    return column


def _check_length(column: npt.NDArray[Any], name: str, n: int, what: str) -> None:
    if column.ndim != 1:
        raise InvalidInput(f"{what} of {name!r} must be one value per response")
    if column.shape[0] != n:
        raise InvalidInput(f"{what} of {name!r} has {column.shape[0]} values for {n} scores")


def _negative_columns(
    negative_only: NegativeMentions, names: list[str], n: int
) -> dict[str, npt.NDArray[np.bool_]]:
    """Theme → whether each response's mention is negative, from booleans or sentiments."""
    if not isinstance(negative_only, Mapping):
        matrix = _boolean_matrix(negative_only, n, len(names), "negative_only")
        return {name: matrix[:, index] for index, name in enumerate(names)}
    unknown = sorted(set(negative_only) - set(names), key=str)
    if unknown:
        raise InvalidInput(f"negative_only names themes with no mentions: {unknown}")
    columns: dict[str, npt.NDArray[np.bool_]] = {}
    for name, values in negative_only.items():
        column = np.asarray(values)
        _check_length(column, name, n, "negative_only")
        if column.dtype == np.bool_ or column.size == 0:
            columns[name] = column.astype(np.bool_, copy=False)
        elif column.dtype.kind in "OUS":
            columns[name] = _negative_labels(column, name)
        else:
            raise InvalidInput(
                f"negative_only of {name!r} must be booleans or the sentiments "
                f"negative, neutral, positive or None, not {column.dtype} values"
            )
    return columns


def _negative_labels(column: npt.NDArray[Any], name: str) -> npt.NDArray[np.bool_]:
    if column.dtype.kind == "S":
        column = column.astype(str)
    labels = set(column.tolist()) - {None, *SENTIMENTS}
    if labels:
        shown = ", ".join(sorted(repr(label) for label in labels)[:5])
        raise InvalidInput(
            f"negative_only of {name!r}: unknown sentiment {shown}; use negative, neutral, "
            "positive or None"
        )
    return np.asarray(column == "negative", dtype=np.bool_)


def _nps_and_variance(counts: npt.NDArray[np.int64]) -> tuple[float, float] | None:
    """The NPS of (detractors, passives, promoters) in points and its variance, or None."""
    detractors, _, promoters = (int(count) for count in counts)
    n = int(counts.sum())
    if n == 0:
        return None
    p, q = promoters / n, detractors / n
    return 100 * (promoters - detractors) / n, 100**2 * max(p + q - (p - q) ** 2, 0.0) / n


def _mover_gap(
    within: npt.NDArray[np.int64],
    without: npt.NDArray[np.int64],
    nps_within: float,
    nps_without: float,
    z: float,
) -> tuple[float, float]:
    """The interval of NPS(with) − NPS(without), in points, from the two groups' score
    intervals by the method of variance estimates recovery (Zou & Donner 2008): the same
    construction as Newcombe's for a difference of proportions, valid for small groups."""
    low_1, high_1 = score_interval(int(within[2]), int(within[1]), int(within[0]), z=z)
    low_2, high_2 = score_interval(int(without[2]), int(without[1]), int(without[0]), z=z)
    nps_1, nps_2 = nps_within / 100, nps_without / 100
    low = nps_1 - nps_2 - math.hypot(nps_1 - low_1, high_2 - nps_2)
    high = nps_1 - nps_2 + math.hypot(high_1 - nps_1, nps_2 - low_2)
    return max(100 * low, -200.0), min(100 * high, 200.0)


def _driver(
    name: str,
    within: npt.NDArray[np.int64],
    totals: npt.NDArray[np.int64],
    impact_detractors: int,
    z: float,
) -> ThemeDriver:
    n = int(totals.sum())
    without = totals - within
    mentioned = int(within.sum())
    with_group, without_group = _nps_and_variance(within), _nps_and_variance(without)

    gap = gap_low = gap_high = p_value = None
    significant = False
    if with_group is not None and without_group is not None:
        gap = with_group[0] - without_group[0]
        if min(int(within.sum()), int(without.sum())) < SMALL_SAMPLE:
            gap_low, gap_high = _mover_gap(within, without, with_group[0], without_group[0], z)
        else:
            se = math.sqrt(with_group[1] + without_group[1])
            gap_low, gap_high = max(gap - z * se, -200.0), min(gap + z * se, 200.0)
            p_value = math.erfc(abs(gap) / se / math.sqrt(2)) if se > 0 else float(gap == 0)
        significant = gap_low > 0 or gap_high < 0

    detractors_mentioning, promoters_mentioning = int(within[0]), int(within[2])
    detractors, promoters = int(totals[0]), int(totals[2])
    detractor_rate = detractors_mentioning / detractors if detractors else None
    promoter_rate = promoters_mentioning / promoters if promoters else None
    difference = difference_low = difference_high = None
    if detractor_rate is not None and promoter_rate is not None:
        difference = detractor_rate - promoter_rate
        difference_low, difference_high = _newcombe(
            detractors_mentioning, detractors, promoters_mentioning, promoters, z
        )

    impact_low, impact_high = _wilson(impact_detractors, n, z)
    lift_low, lift_high = _wilson(promoters_mentioning, n, z)
    return ThemeDriver(
        theme=name,
        mentions=mentioned,
        share=mentioned / n,
        nps_with=None if with_group is None else with_group[0],
        nps_without=None if without_group is None else without_group[0],
        gap=gap,
        gap_ci_low=gap_low,
        gap_ci_high=gap_high,
        gap_p_value=p_value,
        significant=significant,
        detractors_mentioning=detractors_mentioning,
        promoters_mentioning=promoters_mentioning,
        detractor_rate=detractor_rate,
        promoter_rate=promoter_rate,
        rate_difference=difference,
        rate_difference_ci_low=difference_low,
        rate_difference_ci_high=difference_high,
        impact_detractors=impact_detractors,
        impact=100 * impact_detractors / n,
        impact_ci_low=100 * impact_low,
        impact_ci_high=100 * impact_high,
        lift=100 * promoters_mentioning / n,
        lift_ci_low=100 * lift_low,
        lift_ci_high=100 * lift_high,
    )
