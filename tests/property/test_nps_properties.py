"""Properties of the NPS that hold for every sample."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from advocacy.metrics.nps import nps, nps_from_counts

COUNTS = st.integers(min_value=0, max_value=5000)
SCORES = st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=400)


@given(SCORES)
def test_the_nps_stays_within_minus_100_and_100_and_its_interval_contains_it(
    scores: list[int],
) -> None:
    result = nps(scores)

    assert -100 <= result.ci_low <= result.score <= result.ci_high <= 100


@given(COUNTS, COUNTS, COUNTS)
def test_adding_a_promoter_never_lowers_the_nps(
    promoters: int, passives: int, detractors: int
) -> None:
    if promoters + passives + detractors == 0:
        return
    before = nps_from_counts(promoters, passives, detractors)
    after = nps_from_counts(promoters + 1, passives, detractors)

    assert after.score >= before.score


@given(COUNTS, COUNTS, COUNTS)
def test_adding_a_detractor_never_raises_the_nps(
    promoters: int, passives: int, detractors: int
) -> None:
    if promoters + passives + detractors == 0:
        return

    assert (
        nps_from_counts(promoters, passives, detractors + 1).score
        <= nps_from_counts(promoters, passives, detractors).score
    )


@given(SCORES)
def test_the_counts_add_up_to_the_number_of_answers(scores: list[int]) -> None:
    result = nps(scores)

    assert result.promoters + result.passives + result.detractors == result.n == len(scores)
