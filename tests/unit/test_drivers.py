"""Key drivers of the NPS: which themes separate detractors from promoters, by hand and at scale."""

from __future__ import annotations

import json
import math
from dataclasses import fields
from typing import Any

import numpy as np
import pytest

from advocacy.errors import InvalidInput
from advocacy.metrics.drivers import (
    ThemeDriver,
    key_drivers,
    newcombe_interval,
    wilson_interval,
    z_value,
)
from advocacy.metrics.nps import Z_95, compare, nps_from_counts, score_interval

# Ten responses: 4 detractors (0, 3, 5, 6), 2 passives (7, 8), 4 promoters (9, 9, 10, 10).
# Overall NPS = (4 − 4) / 10 = 0.
SCORES = [0, 3, 5, 6, 7, 8, 9, 9, 10, 10]
# "delivery": every detractor and the 7. With it: 0 promoters, 4 detractors of 5 → −80.
# Without it: 4 promoters, 0 detractors of 5 → +80. Gap −160.
DELIVERY = [True, True, True, True, True, False, False, False, False, False]
# "price": only the two 10s. With it: 2 promoters of 2 → +100. Without it: 2 promoters and
# 4 detractors of 8 → −25. Gap +125.
PRICE = [False, False, False, False, False, False, False, False, True, True]


def _driver(report_drivers: tuple[ThemeDriver, ...], theme: str) -> ThemeDriver:
    return next(driver for driver in report_drivers if driver.theme == theme)


def test_when_every_detractor_mentions_delivery_its_impact_is_their_share_of_all_responses() -> (
    None
):
    report = key_drivers(SCORES, {"delivery": DELIVERY})
    delivery = report.drivers[0]

    assert report.responses == 10
    assert report.nps.score == 0.0
    assert delivery.theme == "delivery"
    assert (delivery.mentions, delivery.share) == (5, 0.5)
    # Turning the 4 detractors into passives lifts the NPS from 0 to 40: 100 · 4 / 10.
    assert delivery.impact == 40.0
    assert delivery.impact_detractors == delivery.detractors_mentioning == 4
    assert (delivery.impact_ci_low, delivery.impact_ci_high) == pytest.approx(
        tuple(100 * bound for bound in wilson_interval(4, 10))
    )
    assert (delivery.nps_with, delivery.nps_without, delivery.gap) == (-80.0, 80.0, -160.0)
    assert delivery.lift == 0.0
    assert delivery.lift_ci_low == 0.0


def test_the_gap_of_large_groups_has_the_wald_interval_of_two_independent_nps() -> None:
    # Ten times the ten responses: 50 answers with delivery (40 detractors, 10 passives), 50
    # without (40 promoters, 10 passives). Var(with) = 100² · (0 + .8 − .8²) / 50 = 32, the
    # same without; SE = √64 = 8; gap −160 ± 1.96 · 8 → (−175.68, −144.32).
    delivery = key_drivers(SCORES * 10, {"delivery": DELIVERY * 10}).drivers[0]
    same = compare(nps_from_counts(0, 10, 40), nps_from_counts(40, 10, 0))

    assert delivery.gap == -160.0
    assert delivery.gap_ci_low == pytest.approx(-160 - Z_95 * 8)
    assert delivery.gap_ci_high == pytest.approx(-160 + Z_95 * 8)
    assert (delivery.gap_ci_low, delivery.gap_ci_high) == pytest.approx((same.ci_low, same.ci_high))
    assert delivery.gap_p_value == pytest.approx(same.p_value)
    assert delivery.significant


def mover(with_counts: tuple[int, int, int], without_counts: tuple[int, int, int]) -> tuple:
    """Zou & Donner's interval of a difference from the two score intervals, in points."""
    (p1, pa1, d1), (p2, pa2, d2) = with_counts, without_counts
    n1, n2 = p1 + pa1 + d1, p2 + pa2 + d2
    nps1, nps2 = (p1 - d1) / n1, (p2 - d2) / n2
    l1, u1 = score_interval(p1, pa1, d1)
    l2, u2 = score_interval(p2, pa2, d2)
    gap = nps1 - nps2
    low = gap - math.hypot(nps1 - l1, u2 - nps2)
    high = gap + math.hypot(u1 - nps1, nps2 - l2)
    return max(100 * low, -200.0), min(100 * high, 200.0)


def test_the_gap_of_small_groups_has_the_mover_interval_of_their_score_intervals() -> None:
    # Five answers each side: Wald would give −160 ± 49.6; the score intervals of −80 (4 of 5
    # detractors) and +80 are wider and lopsided, and so is the gap's.
    delivery = key_drivers(SCORES, {"delivery": DELIVERY}).drivers[0]

    assert (delivery.gap_ci_low, delivery.gap_ci_high) == pytest.approx(mover((0, 1, 4), (4, 1, 0)))
    assert delivery.gap_ci_low is not None
    assert delivery.gap_ci_high is not None
    # Wider than Wald's on five answers a side, and still clear of 0.
    assert delivery.gap_ci_high - delivery.gap_ci_low > 2 * Z_95 * math.sqrt(640)
    assert delivery.gap_ci_low < -160 < delivery.gap_ci_high < 0
    assert delivery.gap_p_value is None
    assert delivery.significant


def test_two_mentions_alike_do_not_make_a_point_interval_or_a_significant_gap() -> None:
    # Wald's variance of two detractors is 0: it would call a gap of −100 against an NPS of 0
    # "significant" on two comments. The score interval of two detractors is wide.
    scores = [0, 0] + [0, 5, 7, 8, 9, 10, 10, 10] * 3
    mentions = [True, True] + [False] * 24

    theme = key_drivers(scores, {"rare": mentions}, min_mentions=0).drivers[0]

    assert theme.gap == pytest.approx(-100 - 100 * (12 - 6) / 24)
    assert theme.gap_ci_low is not None
    assert theme.gap_ci_high is not None
    assert theme.gap_ci_high - theme.gap_ci_low > 50
    assert theme.gap_ci_low < theme.gap < theme.gap_ci_high


def test_the_rate_difference_is_detractors_mentioning_minus_promoters_mentioning() -> None:
    # All 4 detractors mention delivery, none of the 4 promoters: 1 − 0 = 1, with Newcombe's
    # interval of 4/4 − 0/4: 1 − √((1 − 4/(4 + z²))² + (z²/(4 + z²))²) = 0.3072 … 1.
    delivery = key_drivers(SCORES, {"delivery": DELIVERY}).drivers[0]
    wilson_gap = Z_95**2 / (4 + Z_95**2)

    assert (delivery.detractor_rate, delivery.promoter_rate) == (1.0, 0.0)
    assert delivery.rate_difference == 1.0
    assert delivery.rate_difference_ci_low == pytest.approx(1 - math.sqrt(2) * wilson_gap)
    assert delivery.rate_difference_ci_high == 1.0


def test_a_theme_only_promoters_mention_has_no_impact_a_positive_gap_and_a_lift() -> None:
    price = key_drivers(SCORES, {"price": PRICE}).drivers[0]

    assert price.impact == 0.0
    assert price.impact_ci_low == 0.0
    assert price.impact_ci_high == pytest.approx(100 * Z_95**2 / (10 + Z_95**2))  # Wilson 0/10
    assert (price.nps_with, price.nps_without, price.gap) == (100.0, -25.0, 125.0)
    assert (price.gap_ci_low, price.gap_ci_high) == pytest.approx(mover((2, 0, 0), (2, 2, 4)))
    assert price.lift == 20.0
    assert (price.detractor_rate, price.promoter_rate) == (0.0, 0.5)
    assert price.rate_difference == -0.5


def test_drivers_are_sorted_by_impact_largest_first_then_by_name() -> None:
    mentions = {
        "price": PRICE,
        "zebra": [True, True, False, False, False, False, False, False, False, False],
        "delivery": DELIVERY,
        "app": [False, False, True, True, False, False, False, False, False, False],
    }

    report = key_drivers(SCORES, mentions)

    assert [driver.theme for driver in report.drivers] == ["delivery", "app", "zebra", "price"]
    assert [driver.impact for driver in report.drivers] == [40.0, 20.0, 20.0, 0.0]


def test_a_theme_mentioned_as_often_by_every_group_is_not_significant() -> None:
    # One detractor, one passive and two promoters of each half: the same NPS either way.
    scores = [0, 0, 7, 7, 9, 9, 10, 10]
    half = [True, False, True, False, True, False, True, False]

    driver = key_drivers(scores, {"half": half}).drivers[0]

    assert driver.gap == 0.0
    assert driver.gap_ci_low is not None
    assert driver.gap_ci_low < 0 < (driver.gap_ci_high or 0)
    assert driver.gap_p_value is None  # small groups: an interval, no z-test
    assert not driver.significant


def test_a_theme_nobody_mentions_is_reported_with_an_undefined_nps_not_nan() -> None:
    report = key_drivers(SCORES, {"nothing": [False] * 10}, min_mentions=0)
    nothing = report.drivers[0]

    assert (nothing.mentions, nothing.share) == (0, 0.0)
    assert nothing.nps_with is None
    assert nothing.nps_without == 0.0
    assert (nothing.gap, nothing.gap_ci_low, nothing.gap_ci_high, nothing.gap_p_value) == (
        None,
        None,
        None,
        None,
    )
    assert not nothing.significant
    assert nothing.impact == 0.0
    document = report.as_dict()["drivers"][0]
    assert document["nps_with"] is None
    json.dumps(report.as_dict(), allow_nan=False)


def test_a_theme_everybody_mentions_has_no_nps_without_it_and_no_gap() -> None:
    everything = key_drivers(SCORES, {"everything": [True] * 10}).drivers[0]

    assert (everything.mentions, everything.share) == (10, 1.0)
    assert everything.nps_with == 0.0
    assert everything.nps_without is None
    assert everything.gap is None
    assert not everything.significant
    assert everything.impact == 40.0  # every detractor mentions it
    assert (everything.detractor_rate, everything.promoter_rate) == (1.0, 1.0)
    assert everything.rate_difference == 0.0


def test_themes_mentioned_less_than_the_minimum_are_left_out_and_named() -> None:
    report = key_drivers(
        SCORES, {"delivery": DELIVERY, "price": PRICE, "nothing": [False] * 10}, min_mentions=3
    )

    assert [driver.theme for driver in report.drivers] == ["delivery"]
    assert report.excluded == ("price", "nothing")


def test_by_default_a_theme_nobody_mentions_is_left_out() -> None:
    report = key_drivers(SCORES, {"nothing": [False] * 10})

    assert report.drivers == ()
    assert report.excluded == ("nothing",)


def test_a_matrix_of_mentions_with_theme_names_gives_the_same_report_as_a_mapping() -> None:
    matrix = np.column_stack([DELIVERY, PRICE])

    from_matrix = key_drivers(SCORES, matrix, themes=["delivery", "price"])
    from_mapping = key_drivers(SCORES, {"delivery": DELIVERY, "price": PRICE})

    assert from_matrix == from_mapping


def test_negative_only_counts_only_the_detractors_who_say_something_negative() -> None:
    # Of the 4 detractors mentioning delivery, only the 0 and the 3 complain about it:
    # impact = 100 · 2 / 10 = 20. Everything else still counts every mention.
    negative = [True, True, False, False, True, False, False, False, False, False]
    plain = key_drivers(SCORES, {"delivery": DELIVERY}).drivers[0]

    masked = key_drivers(SCORES, {"delivery": DELIVERY}, negative_only={"delivery": negative})
    delivery = masked.drivers[0]

    assert delivery.impact == 20.0
    assert delivery.impact_detractors == 2
    assert (delivery.impact_ci_low, delivery.impact_ci_high) == pytest.approx(
        tuple(100 * bound for bound in wilson_interval(2, 10))
    )
    assert delivery.detractors_mentioning == 4
    assert (delivery.mentions, delivery.gap, delivery.rate_difference) == (
        plain.mentions,
        plain.gap,
        plain.rate_difference,
    )


def test_negative_only_accepts_aspect_sentiments_and_a_matrix_alike() -> None:
    sentiments = ["negative", "negative", "neutral", None, "positive", *[None] * 5]
    mask = np.column_stack([[label == "negative" for label in sentiments], [False] * 10])
    mentions = {"delivery": DELIVERY, "price": PRICE}

    from_labels = key_drivers(SCORES, mentions, negative_only={"delivery": sentiments})
    from_matrix = key_drivers(SCORES, mentions, negative_only=mask)

    assert _driver(from_labels.drivers, "delivery").impact == 20.0
    assert _driver(from_labels.drivers, "price").impact == 0.0  # not in the mapping: unmasked
    assert from_labels.drivers == from_matrix.drivers


def test_a_negative_label_on_a_response_that_does_not_mention_the_theme_counts_for_nothing() -> (
    None
):
    # The 0 says something negative about price but its comment does not mention price.
    negative = [True] + [False] * 9

    price = key_drivers(SCORES, {"price": PRICE}, negative_only={"price": negative}).drivers[0]

    assert price.impact == 0.0
    assert price.impact_detractors == 0


def test_no_responses_give_a_report_without_drivers_rather_than_an_error() -> None:
    report = key_drivers([], {"delivery": []}, negative_only={"delivery": []})

    assert report.responses == 0
    assert math.isnan(report.nps.score)
    assert report.drivers == ()
    assert report.excluded == ("delivery",)
    document = report.as_dict()
    assert document["nps"]["score"] is None
    json.dumps(document, allow_nan=False)


def test_no_themes_give_a_report_without_drivers() -> None:
    report = key_drivers(SCORES, {})

    assert report.drivers == ()
    assert report.nps.n == 10


def test_the_report_is_json_ready_with_points_to_two_decimals_and_rates_to_four() -> None:
    report = key_drivers(SCORES, {"delivery": DELIVERY, "price": PRICE})

    document = report.as_dict()
    text = json.dumps(document, allow_nan=False)

    assert json.loads(text) == document
    assert document["responses"] == 10
    assert document["confidence"] == 0.95
    delivery, price = document["drivers"]
    assert delivery["theme"] == "delivery"
    assert delivery["gap_ci_high"] == round(mover((0, 1, 4), (4, 1, 0))[1], 2)
    assert delivery["impact_ci_low"] == round(100 * wilson_interval(4, 10)[0], 2)
    assert delivery["rate_difference_ci_low"] == round(newcombe_interval(4, 4, 0, 4)[0], 4)
    assert price["nps_without"] == -25.0
    assert report.to_dicts() == document["drivers"]


def test_a_lower_confidence_level_gives_narrower_intervals() -> None:
    wide = key_drivers(SCORES, {"price": PRICE}, confidence=0.99).drivers[0]
    narrow = key_drivers(SCORES, {"price": PRICE}, confidence=0.80).drivers[0]

    def width(driver: ThemeDriver, name: str) -> float:
        return float(getattr(driver, f"{name}_ci_high") - getattr(driver, f"{name}_ci_low"))

    for name in ("gap", "rate_difference", "impact", "lift"):
        assert width(narrow, name) < width(wide, name)
    assert z_value(0.95) == pytest.approx(Z_95, abs=1e-15)


@pytest.mark.parametrize(
    ("scores", "mentions", "options", "message"),
    [
        ([11] * 10, {"a": DELIVERY}, {}, "whole numbers from 0 to 10"),
        ([-1] * 10, {"a": DELIVERY}, {}, "whole numbers from 0 to 10"),
        ([9.5] * 10, {"a": DELIVERY}, {}, "whole numbers from 0 to 10"),
        ([[9] * 5] * 2, {"a": DELIVERY}, {}, "one-dimensional"),
        (SCORES, {"a": DELIVERY[:9]}, {}, "has 9 values for 10 scores"),
        (SCORES, {"a": [int(value) for value in DELIVERY]}, {}, "True or False"),
        (SCORES, {"a": [True, None] * 5}, {}, "True or False"),
        (SCORES, np.ones((10, 2), dtype=int), {"themes": ["a", "b"]}, "True or False"),
        (SCORES, np.ones((10, 2), dtype=bool), {}, "needs its theme names"),
        (SCORES, np.ones((10, 2), dtype=bool), {"themes": ["a"]}, "10 × 2 matrix"),
        (SCORES, np.ones((9, 1), dtype=bool), {"themes": ["a"]}, "9 × 1 matrix"),
        (SCORES, DELIVERY, {"themes": ["a"]}, "2-D matrix"),
        (SCORES, np.ones((10, 2), dtype=bool), {"themes": ["a", "a"]}, "unique: a repeated"),
        (SCORES, {"": DELIVERY}, {}, "non-empty strings"),
        (SCORES, {"a": DELIVERY}, {"themes": ["a"]}, "a mapping names its own"),
        (SCORES, {"a": DELIVERY}, {"confidence": 1.0}, "between 0 and 1"),
        (SCORES, {"a": DELIVERY}, {"confidence": 0.0}, "between 0 and 1"),
        (SCORES, {"a": DELIVERY}, {"confidence": math.nan}, "between 0 and 1"),
        (SCORES, {"a": DELIVERY}, {"min_mentions": -1}, "cannot be negative"),
        (SCORES, {"a": DELIVERY}, {"min_mentions": 1.5}, "whole number"),
        (SCORES, {"a": DELIVERY}, {"negative_only": {"b": DELIVERY}}, "no mentions: ['b']"),
        (SCORES, {"a": DELIVERY}, {"negative_only": {"a": DELIVERY[:9]}}, "9 values"),
        (SCORES, {"a": DELIVERY}, {"negative_only": {"a": [1] * 10}}, "booleans or the"),
        (SCORES, {"a": DELIVERY}, {"negative_only": {"a": ["bad"] * 10}}, "unknown sentiment"),
        (SCORES, {"a": DELIVERY}, {"negative_only": np.ones((10, 2), bool)}, "10 × 2 matrix"),
    ],
)
def test_unusable_input_is_refused_with_a_clear_message(
    scores: Any, mentions: Any, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message.replace("[", r"\[").replace("]", r"\]")):
        key_drivers(scores, mentions, **options)


@pytest.mark.parametrize("counts", [(-1, 10), (11, 10), (0, 0), (True, 10), (1.5, 10), ("one", 10)])
def test_wilson_and_newcombe_refuse_impossible_counts(counts: tuple[Any, Any]) -> None:
    with pytest.raises(InvalidInput):
        wilson_interval(*counts)
    with pytest.raises(InvalidInput):
        newcombe_interval(*counts, 1, 2)
    with pytest.raises(InvalidInput):
        newcombe_interval(1, 2, *counts)


def test_every_interval_contains_its_estimate() -> None:
    rng = np.random.default_rng(7)
    scores = rng.integers(0, 11, size=300)
    mentions = {f"t{index}": rng.random(300) < rng.random() for index in range(10)}

    for driver in key_drivers(scores, mentions).drivers:
        for name, estimate in (
            ("gap", driver.gap),
            ("rate_difference", driver.rate_difference),
            ("impact", driver.impact),
            ("lift", driver.lift),
        ):
            low, high = getattr(driver, f"{name}_ci_low"), getattr(driver, f"{name}_ci_high")
            assert low <= estimate <= high, (driver.theme, name)


def test_a_million_responses_and_twenty_themes_give_finite_results() -> None:
    rng = np.random.default_rng(2024)
    n, themes = 1_000_000, 20
    scores = rng.integers(0, 11, size=n, dtype=np.int8)
    detractor = scores <= 6
    # Each theme is mentioned by a different share of detractors and of everybody else.
    mentions = {
        f"theme {index:02d}": rng.random(n, dtype=np.float32)
        < np.where(detractor, 0.02 + 0.01 * index, 0.05)
        for index in range(themes)
    }
    negative = {name: rng.random(n, dtype=np.float32) < 0.5 for name in list(mentions)[:5]}

    report = key_drivers(scores, mentions, negative_only=negative)

    assert report.responses == n
    assert len(report.drivers) == themes
    impacts = [driver.impact for driver in report.drivers]
    assert impacts == sorted(impacts, reverse=True)
    for driver in report.drivers:
        for field in fields(driver):
            value = getattr(driver, field.name)
            assert value is not None, (driver.theme, field.name)
            if isinstance(value, float):
                assert math.isfinite(value), (driver.theme, field.name)
        assert driver.mentions > 0
        assert 0 <= driver.impact_detractors <= driver.detractors_mentioning
    json.dumps(report.as_dict(), allow_nan=False)
