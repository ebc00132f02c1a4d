"""Value segments: RFM scores and named segments, and value tiers by CLV.

**RFM.** Each customer with orders gets three scores from 1 to 5, 5 the best: recency (days since
the last order; fewer is better), frequency (number of orders) and monetary value (revenue). A
score is the customer's quintile: ``1 + ⌊5 · worse / n⌋``, where ``worse`` is how many of the
``n`` customers scored together have a strictly worse value. Equal values therefore always get
the same score (no arbitrary tie-breaking by row order), a better value never gets a lower score,
and with distinct values each score holds a fifth of the customers. With many ties a score can
hold more than a fifth: when most customers have ordered once, all of them get frequency 1.
The RFM code is the three digits, e.g. ``"545"``.

**Named segments** come from the recency × frequency grid below, the usual RFM map whose names
follow the ``rfm`` package's segments [2]_ [3]_ (monetary value mostly follows frequency and is
left to the value tiers). Our one change: the bottom-left corner is split, recency 1 is "Lost"
and recency 2 "Hibernating"::

    F\\R   1               2               3                4                    5
    5     Can't lose them Can't lose them Loyal            Loyal                Champions
    4     At risk         At risk         Loyal            Loyal                Champions
    3     At risk         At risk         Need attention   Potential loyalists  Potential loyalists
    2     Lost            Hibernating     About to sleep   Potential loyalists  Potential loyalists
    1     Lost            Hibernating     About to sleep   Promising            New

Customers without orders get scores 0, code ``"000"`` and the segment "No orders".

**Value tiers** rank customers by CLV, the articles' "segment customers by who spends most": the
top 10 % are ``"top"``, the next 20 % ``"high"``, the rest ``"standard"``. A customer is in the top
tier when fewer than 10 % of the customers have a strictly higher CLV, in the high tier when
fewer than 30 % do, so equal CLVs share a tier (the better one) and 10 customers with distinct
CLVs split 1 / 2 / 7. Customers without a CLV (no orders) get ``"none"``.

Both are computed within groups when ``groups`` is given: amounts in different currencies are
never compared, so each currency is ranked as its own market.

References
----------
.. [1] Hughes, A. M. (1994). Strategic Database Marketing. Probus (RFM scoring by quintiles).
.. [2] Hebbali, A. rfm: RFM Analysis, R package, ``rfm_segment`` (Champions, Loyal Customers,
   Potential Loyalist, New Customers, Promising, Need Attention, About To Sleep, At Risk,
   Can't Lose Them, Lost).
.. [3] Putler. RFM Analysis for Successful Customer Segmentation, https://www.putler.com/rfm-analysis
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from advocacy.errors import InvalidInput

NO_ORDERS = "No orders"
TIERS = ("top", "high", "standard")
NO_TIER = "none"
TOP_SHARE = 0.10
HIGH_SHARE = 0.20

# SEGMENT_GRID[f][r] for scores 1–5; row and column 0 are the customers without orders.
_GRID_ROWS = {
    5: ("Can't lose them", "Can't lose them", "Loyal", "Loyal", "Champions"),
    4: ("At risk", "At risk", "Loyal", "Loyal", "Champions"),
    3: ("At risk", "At risk", "Need attention", "Potential loyalists", "Potential loyalists"),
    2: ("Lost", "Hibernating", "About to sleep", "Potential loyalists", "Potential loyalists"),
    1: ("Lost", "Hibernating", "About to sleep", "Promising", "New"),
}
SEGMENT_GRID: npt.NDArray[np.str_] = np.full((6, 6), NO_ORDERS, dtype="<U20")
for _f, _names in _GRID_ROWS.items():
    SEGMENT_GRID[_f, 1:] = _names
SEGMENTS = (
    "Champions",
    "Loyal",
    "Potential loyalists",
    "New",
    "Promising",
    "Need attention",
    "About to sleep",
    "At risk",
    "Can't lose them",
    "Hibernating",
    "Lost",
    NO_ORDERS,
)

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class RfmScores:
    """RFM scores of each customer (0 for customers without orders), code and named segment."""

    recency: npt.NDArray[np.int8]
    frequency: npt.NDArray[np.int8]
    monetary: npt.NDArray[np.int8]
    code: npt.NDArray[np.str_]
    segment: npt.NDArray[np.str_]


def _group_codes(groups: npt.ArrayLike | None, n: int) -> IntArray:
    if groups is None:
        return np.zeros(n, dtype=np.int64)
    labels = np.asarray(groups)
    if labels.shape != (n,):
        raise InvalidInput("groups must give one label per customer")
    _, codes = np.unique(labels.astype(str), return_inverse=True)
    return codes.astype(np.int64).reshape(n)


def _strictly_worse(values: npt.NDArray[np.float64], codes: IntArray) -> tuple[IntArray, IntArray]:
    """For each element, how many of its group have a strictly lower value; and its group's size."""
    n = values.size
    order = np.lexsort((values, codes))
    sorted_values, sorted_codes = values[order], codes[order]
    positions = np.arange(n)
    new_group = np.ones(n, dtype=bool)
    new_group[1:] = sorted_codes[1:] != sorted_codes[:-1]
    new_run = new_group.copy()
    new_run[1:] |= sorted_values[1:] != sorted_values[:-1]
    group_start = np.maximum.accumulate(np.where(new_group, positions, 0))
    run_start = np.maximum.accumulate(np.where(new_run, positions, 0))
    sizes = np.bincount(codes, minlength=int(codes.max(initial=0)) + 1)
    worse = np.empty(n, dtype=np.int64)
    worse[order] = run_start - group_start
    return worse, sizes[codes]


def quintile_scores(
    values: npt.ArrayLike,
    *,
    groups: npt.ArrayLike | None = None,
    higher_is_better: bool = True,
) -> npt.NDArray[np.int8]:
    """Scores 1–5 by quintile, 5 the best: ``1 + ⌊5 · worse / n⌋`` within each group.

    ``worse`` is the number of values of the group strictly worse than this one, so ties share
    a score. Use ``higher_is_better=False`` for recency in days.

    Examples
    --------
    >>> quintile_scores([10, 20, 30, 40, 50]).tolist()
    [1, 2, 3, 4, 5]
    >>> quintile_scores([3, 1, 1, 2], higher_is_better=False).tolist()
    [1, 3, 3, 2]
    """
    array = np.asarray(values, dtype=np.float64).reshape(-1)
    if not bool(np.all(np.isfinite(array))):
        raise InvalidInput("RFM values must be finite numbers")
    if array.size == 0:
        return np.zeros(0, dtype=np.int8)
    codes = _group_codes(groups, array.size)
    worse, sizes = _strictly_worse(array if higher_is_better else -array, codes)
    return (1 + (5 * worse) // sizes).astype(np.int8)


def rfm_scores(
    recency_days: npt.ArrayLike,
    frequency: npt.ArrayLike,
    monetary: npt.ArrayLike,
    *,
    groups: npt.ArrayLike | None = None,
) -> RfmScores:
    """RFM scores, codes and named segments of each customer.

    Parameters
    ----------
    recency_days : array_like
        Days since each customer's last order (any value where ``frequency`` is 0).
    frequency : array_like
        Number of orders of each customer; customers with 0 are "No orders" and not ranked.
    monetary : array_like
        Revenue of each customer.
    groups : array_like, optional
        A label per customer (e.g. the currency); customers are ranked within their group.

    Returns
    -------
    RfmScores

    References
    ----------
    .. [1] Hughes (1994); segment names after the ``rfm`` package [2]_ and Putler [3]_.

    Examples
    --------
    >>> scores = rfm_scores([5, 400, 0], [6, 1, 0], [900.0, 20.0, 0.0])
    >>> scores.code.tolist(), scores.segment.tolist()
    (['333', '111', '000'], ['Need attention', 'Lost', 'No orders'])
    """
    recency = np.asarray(recency_days, dtype=np.float64).reshape(-1)
    count = np.asarray(frequency, dtype=np.float64).reshape(-1)
    money = np.asarray(monetary, dtype=np.float64).reshape(-1)
    n = count.size
    if recency.size != n or money.size != n:
        raise InvalidInput("recency, frequency and monetary must have one value per customer")
    if bool(np.any(count < 0)) or bool(np.any(money < 0)):
        raise InvalidInput("frequency and monetary value cannot be negative")
    codes = _group_codes(groups, n)
    buyers = count > 0
    scores = np.zeros((3, n), dtype=np.int8)
    if buyers.any():
        scores[0, buyers] = quintile_scores(
            recency[buyers], groups=codes[buyers], higher_is_better=False
        )
        scores[1, buyers] = quintile_scores(count[buyers], groups=codes[buyers])
        scores[2, buyers] = quintile_scores(money[buyers], groups=codes[buyers])
    r, f, m = scores
    code = np.char.add(np.char.add(r.astype(str), f.astype(str)), m.astype(str))
    return RfmScores(
        recency=r, frequency=f, monetary=m, code=code, segment=SEGMENT_GRID[f, r].astype(str)
    )


def value_tiers(
    clv: npt.ArrayLike,
    *,
    groups: npt.ArrayLike | None = None,
    top_share: float = TOP_SHARE,
    high_share: float = HIGH_SHARE,
) -> npt.NDArray[np.str_]:
    """Value tier of each customer by CLV: ``"top"``, ``"high"``, ``"standard"`` or ``"none"``.

    A customer is ``"top"`` when fewer than ``top_share`` of their group have a strictly higher
    CLV, ``"high"`` when fewer than ``top_share + high_share`` do, else ``"standard"``; a missing
    CLV (NaN: no orders) is ``"none"`` and not ranked.

    Examples
    --------
    >>> value_tiers([float(v) for v in range(10)]).tolist().count("high")
    2
    """
    if not (top_share >= 0 and high_share >= 0 and top_share + high_share <= 1):
        raise InvalidInput("tier shares must be between 0 and 1 and add up to at most 1")
    values = np.asarray(clv, dtype=np.float64).reshape(-1)
    n = values.size
    codes = _group_codes(groups, n)
    tiers = np.full(n, NO_TIER, dtype="<U8")
    ranked = ~np.isnan(values)
    if not ranked.any():
        return tiers
    if bool(np.any(np.isinf(values[ranked]))):
        raise InvalidInput("a CLV must be a finite number")
    # Strictly better = strictly worse on the negated values.
    better, sizes = _strictly_worse(-values[ranked], codes[ranked])
    # Rounded so that 0.1 + 0.2 of 10 customers is 3, not 3.0000000000000004.
    top_cut = np.round(top_share * sizes, 9)
    high_cut = np.round((top_share + high_share) * sizes, 9)
    tiers[ranked] = np.where(
        better < top_cut, "top", np.where(better < high_cut, "high", "standard")
    )
    return tiers
