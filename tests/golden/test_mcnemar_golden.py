"""The company model's improvement test is McNemar's exact test: checked by hand."""

from __future__ import annotations

import numpy as np

from advocacy.text.learning import improvement_p_value

POSITIVE = [0.1, 0.0, 0.9]
NEGATIVE = [0.9, 0.0, 0.1]


def _rows(answers: list[str]) -> np.ndarray:
    return np.array([POSITIVE if answer == "positive" else NEGATIVE for answer in answers])


def test_ten_gained_against_two_lost_gives_the_binomial_tail_79_over_4096() -> None:
    # 10 texts only the new model gets right, 2 only the old one, 5 both, 3 neither.
    labels = ["positive"] * 10 + ["negative"] * 2 + ["positive"] * 5 + ["negative"] * 3
    before = _rows(["negative"] * 10 + ["negative"] * 2 + ["positive"] * 5 + ["positive"] * 3)
    after = _rows(["positive"] * 10 + ["positive"] * 2 + ["positive"] * 5 + ["positive"] * 3)

    # P(X ≥ 10), X ~ Binomial(12, 1/2) = (C(12,10) + C(12,11) + C(12,12)) / 2^12 = 79 / 4096.
    assert abs(improvement_p_value(labels, before, after) - 79 / 4096) < 1e-12


def test_no_disagreement_means_no_evidence_and_neutral_texts_do_not_count() -> None:
    labels = ["positive", "negative", "neutral"]
    same = _rows(["positive", "negative", "positive"])
    changed_on_neutral = _rows(["positive", "negative", "negative"])

    assert improvement_p_value(labels, same, same) == 1.0
    assert improvement_p_value(labels, same, changed_on_neutral) == 1.0
