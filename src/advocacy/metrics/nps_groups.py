"""NPS by period and by group, each compared with the one before it or with the rest.

Counting is one vectorised pass: every answer gets a category (0 detractor, 1 passive,
2 promoter) and a group code, and ``numpy.bincount`` over ``3·group + category`` gives the three
counts of every group at once. Ten million answers take a fraction of a second and a few bytes
per answer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from advocacy.errors import InvalidInput
from advocacy.metrics.nps import (
    CHUNK,
    NpsResult,
    categories_of,
    checked_scores,
    compare,
    nps_from_counts,
)

Period = Literal["week", "month", "quarter"]
PERIODS: tuple[Period, ...] = ("week", "month", "quarter")
MISSING = "(none)"


@dataclass(frozen=True, slots=True)
class NpsGroup:
    """One period or group: its NPS and how it differs from the reference.

    The reference is the previous period for a trend and all the other answers for a breakdown.
    ``change`` and its interval are in points; ``significant`` at the chosen confidence.
    """

    key: str
    result: NpsResult
    change: float
    change_ci_low: float
    change_ci_high: float
    p_value: float
    significant: bool
    group: str | None = None  # the group of a cell of nps_grid; key is then its period

    def as_dict(self) -> dict[str, Any]:
        document: dict[str, Any] = {"key": self.key}
        if self.group is not None:
            document["group"] = self.group
        document.update(self.result.as_dict())
        document.update(
            {
                "change": _finite(self.change),
                "change_ci_low": _finite(self.change_ci_low),
                "change_ci_high": _finite(self.change_ci_high),
                "p_value": _finite(self.p_value),
                "significant": self.significant,
            }
        )
        return document


def _finite(value: float) -> float | None:
    return None if math.isnan(value) else value


def group_counts(
    codes: npt.NDArray[np.integer[Any]], scores: npt.NDArray[Any], groups: int
) -> npt.NDArray[np.int64]:
    """Counts of detractors, passives and promoters per group: an array of shape (groups, 3)."""
    counts = np.zeros(groups * 3, dtype=np.int64)
    for start in range(0, len(scores), CHUNK):
        part = slice(start, start + CHUNK)
        flat = codes[part].astype(np.intp) * 3 + categories_of(scores[part])
        counts += np.bincount(flat, minlength=groups * 3)
    return counts.reshape(groups, 3)


def group_codes(keys: Any) -> tuple[npt.NDArray[np.integer[Any]], list[str]]:
    """A small integer code per answer and the group names; missing keys are ``"(none)"``.

    A pandas categorical is used as it is (its codes); anything else is factorised once.
    """
    import pandas as pd  # only breakdowns need it; the command line starts without it

    if isinstance(keys, pd.Series) and isinstance(keys.dtype, pd.CategoricalDtype):
        keys = keys.array
    if isinstance(keys, pd.Categorical):
        names = [str(name) if str(name) != "" else MISSING for name in keys.categories]
        codes = np.asarray(keys.codes)  # the categorical's own small integers, not copied
        if (codes < 0).any():
            codes = np.where(codes < 0, len(names), codes)
            names.append(MISSING)
    else:
        labels = pd.Series(np.asarray(keys, dtype=object)).fillna(MISSING).astype(str)
        raw_codes, uniques = pd.factorize(labels.replace("", MISSING), sort=True)
        codes, names = raw_codes.astype(np.int32), [str(name) for name in uniques]
    codes = codes.astype(np.min_scalar_type(max(len(names), 1)), copy=False)
    # The same name twice (an empty category and a missing value) is one group.
    unique_names = sorted(set(names))
    if len(unique_names) != len(names):
        remap = np.array([unique_names.index(name) for name in names], dtype=np.int32)
        codes, names = remap[codes], unique_names
    return codes, names


def period_numbers(times: npt.ArrayLike, period: Period) -> npt.NDArray[np.int64]:
    """Each time's week, month or quarter as a count of such periods since 1970.

    Weeks start on Monday: 1970-01-01 was a Thursday, so day + 3 counts from a Monday.
    """
    stamps = np.asarray(times)
    if stamps.dtype.kind != "M":
        stamps = stamps.astype("datetime64[us]")
    days = stamps.astype("datetime64[D]").astype(np.int64)
    if period == "week":
        return (days + 3) // 7
    months = months_since_epoch(days)
    if period == "month":
        return months
    if period == "quarter":
        return months // 3
    raise InvalidInput(f"unknown period {period!r}: use week, month or quarter")


def months_since_epoch(days: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Calendar months since January 1970 of days since 1970-01-01.

    Converts each distinct day of the span once (a few thousand) and looks the days up in that
    table: several times quicker and lighter than numpy's ``datetime64[M]`` conversion of
    millions of values.
    """
    if days.size == 0:
        return days.astype(np.int64)
    first = int(days.min())
    span = np.arange(first, int(days.max()) + 1, dtype=np.int64)
    table = span.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return table[days - first]


def period_label(number: int, period: Period) -> str:
    """``2025-W07``, ``2025-02`` or ``2025-Q1`` for a period number of :func:`period_numbers`."""
    if period == "week":
        monday = np.datetime64(number * 7 - 3, "D").astype(object)
        year, week, _ = monday.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "quarter":
        return f"{1970 + number // 4}-Q{number % 4 + 1}"
    return f"{1970 + number // 12}-{number % 12 + 1:02d}"


def nps_trend(
    scores: npt.ArrayLike,
    times: npt.ArrayLike,
    *,
    period: Period = "month",
    confidence: float = 0.95,
) -> list[NpsGroup]:
    """The NPS of every week, month or quarter that has answers, each against the one before.

    Periods without answers are left out; a period is compared with the closest earlier period
    that has answers.
    """
    if period not in PERIODS:
        raise InvalidInput(f"unknown period {period!r}: use week, month or quarter")
    values = checked_scores(scores)
    stamps = np.asarray(times)
    if len(stamps) != len(values):
        raise InvalidInput("scores and times must have the same length")
    if len(values) == 0:
        return []
    first, counts = _period_counts(values, stamps, period, np.zeros(len(values), np.int8), 1)
    counts = counts[:, 0, :]
    groups: list[NpsGroup] = []
    previous: NpsResult | None = None
    for offset in np.flatnonzero(counts.sum(axis=1)):
        detractors, passives, promoters = (int(v) for v in counts[offset])
        result = nps_from_counts(promoters, passives, detractors, confidence=confidence)
        label = period_label(first + int(offset), period)
        groups.append(_against(label, result, previous, confidence))
        previous = result
    return groups


def _period_counts(
    scores: npt.NDArray[Any],
    stamps: npt.NDArray[Any],
    period: Period,
    codes: npt.NDArray[np.integer[Any]],
    groups: int,
) -> tuple[int, npt.NDArray[np.int64]]:
    """The first period number and the counts per (period, group, category), chunk by chunk."""
    low, high = stamps.min(), stamps.max()
    first = int(period_numbers(np.array([low]), period)[0])
    span = int(period_numbers(np.array([high]), period)[0]) - first + 1
    counts = np.zeros(span * groups * 3, dtype=np.int64)
    for start in range(0, len(scores), CHUNK):
        part = slice(start, start + CHUNK)
        cells = (period_numbers(stamps[part], period) - first) * groups + codes[part]
        counts += np.bincount(cells * 3 + categories_of(scores[part]), minlength=span * groups * 3)
    return first, counts.reshape(span, groups, 3)


def nps_grid(
    scores: npt.ArrayLike,
    times: npt.ArrayLike,
    keys: Any,
    *,
    period: Period = "month",
    confidence: float = 0.95,
) -> list[NpsGroup]:
    """The NPS of every (period, group) cell with answers, each against the same group's previous
    period with answers: a trend per segment, per country, …
    """
    if period not in PERIODS:
        raise InvalidInput(f"unknown period {period!r}: use week, month or quarter")
    values = checked_scores(scores)
    stamps = np.asarray(times)
    codes, names = group_codes(keys)
    if not len(values) == len(stamps) == len(codes):
        raise InvalidInput("scores, times and keys must have the same length")
    if len(values) == 0:
        return []
    first, counts = _period_counts(values, stamps, period, codes, len(names))
    cells: list[NpsGroup] = []
    for group, name in enumerate(names):
        previous: NpsResult | None = None
        for offset in np.flatnonzero(counts[:, group, :].sum(axis=1)):
            detractors, passives, promoters = (int(v) for v in counts[offset, group])
            result = nps_from_counts(promoters, passives, detractors, confidence=confidence)
            cell = _against(period_label(first + int(offset), period), result, previous, confidence)
            cells.append(replace(cell, group=name))
            previous = result
    return sorted(cells, key=lambda cell: (cell.key, cell.group or ""))


def nps_breakdown(
    scores: npt.ArrayLike, keys: npt.ArrayLike, *, confidence: float = 0.95
) -> list[NpsGroup]:
    """The NPS of every group (segment, country, channel, …), each against all other answers.

    Missing keys form the group ``"(none)"``. Groups are ordered by number of answers, largest
    first.
    """
    values = checked_scores(scores)
    codes, names = group_codes(keys)
    if len(codes) != len(values):
        raise InvalidInput("scores and keys must have the same length")
    if len(values) == 0:
        return []
    counts = group_counts(codes, values, len(names))
    total = counts.sum(axis=0)
    groups = []
    for name, row in zip(names, counts, strict=True):
        if not row.any():  # a category no answer falls in
            continue
        detractors, passives, promoters = (int(v) for v in row)
        result = nps_from_counts(promoters, passives, detractors, confidence=confidence)
        rest_det, rest_pas, rest_pro = (int(v) for v in total - row)
        rest = nps_from_counts(rest_pro, rest_pas, rest_det, confidence=confidence)
        groups.append(_against(str(name), result, rest if rest.n else None, confidence))
    return sorted(groups, key=lambda group: (-group.result.n, group.key))


def _against(
    key: str, result: NpsResult, reference: NpsResult | None, confidence: float
) -> NpsGroup:
    if reference is None:
        nan = math.nan
        return NpsGroup(key, result, nan, nan, nan, nan, False)
    change = compare(result, reference, confidence=confidence)
    return NpsGroup(
        key,
        result,
        change.change,
        change.ci_low,
        change.ci_high,
        change.p_value,
        change.significant,
    )


def trend_from_counts(
    periods: Sequence[tuple[str, int, int, int]], *, confidence: float = 0.95
) -> list[NpsGroup]:
    """The trend of periods already counted (``label, promoters, passives, detractors``, in
    order, e.g. by a database's GROUP BY), each against the previous period with answers."""
    groups: list[NpsGroup] = []
    previous: NpsResult | None = None
    for label, promoters, passives, detractors in periods:
        if promoters + passives + detractors == 0:
            continue
        result = nps_from_counts(promoters, passives, detractors, confidence=confidence)
        groups.append(_against(label, result, previous, confidence))
        previous = result
    return groups
