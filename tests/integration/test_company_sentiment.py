"""The company's own sentiment model: learnt from its customers' ratings, kept only if better."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from advocacy import Catalogue
from advocacy.errors import InvalidInput
from advocacy.services.analysis import analyse_feedback, analyzer_for
from advocacy.services.text_training import company_models, train_company_models
from advocacy.text.learning import CompanyModel, held_out_split, label_of_rating
from tests import factories

# A company whose customers complain in their own words: "zorbed" (their courier's name made a
# verb) is what a bad delivery is called there, a word no general model knows.
BAD = ["The parcel got zorbed {n} again", "Zorbed box number {n}, as usual", "{n} days zorbed"]
GOOD = ["Arrived crisp {n} days early", "Crisp and tidy order {n}", "Order {n}: crisp as ever"]


def rated_comments(count: int, seed: int = 1) -> list[dict[str, object]]:
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        good = i % 2 == 0
        template = rng.choice(GOOD if good else BAD)
        rows.append(
            {
                "response_id": f"N{i}",
                "score": rng.choice([9, 10]) if good else rng.choice([0, 1, 2, 3]),
                "comment": template.format(n=rng.randrange(2, 90)),
                "responded_at": "2025-05-01",
                "language": "en",
            }
        )
    return rows


@pytest.mark.parametrize(
    ("kind", "rating", "scale", "label"),
    [
        ("nps", 6, 10, "negative"),
        ("nps", 7, 10, "neutral"),
        ("nps", 9, 10, "positive"),
        ("review", 2, 5, "negative"),
        ("review", 3, 5, "neutral"),
        ("review", 4, 5, "positive"),
        ("review", 7, 10, "positive"),
        ("review", 4, None, "positive"),
    ],
)
def test_a_rating_says_the_sentiment_its_customer_meant(
    kind: str, rating: float, scale: float | None, label: str
) -> None:
    assert label_of_rating(kind, rating, scale) == label


def test_the_held_out_fifth_takes_a_fifth_of_every_label() -> None:
    labels = ["negative"] * 50 + ["positive"] * 100 + ["neutral"] * 10

    train, test = held_out_split(labels, seed=3)

    held = [labels[i] for i in test]
    assert (held.count("negative"), held.count("positive"), held.count("neutral")) == (10, 20, 2)
    assert sorted([*train, *test]) == list(range(len(labels)))


def test_a_model_survives_its_bytes_and_garbage_is_refused() -> None:
    model = CompanyModel.fit(["good", "bad"], ["positive", "negative"])

    again = CompanyModel.from_bytes(model.to_bytes())

    np.testing.assert_allclose(again.predict_proba(["good"]), model.predict_proba(["good"]))
    with pytest.raises(InvalidInput, match="not a company sentiment model"):
        CompanyModel.from_bytes(b"<script>alert(1)</script>")


def test_a_model_learnt_from_ratings_is_kept_and_used(catalogue: Catalogue, tmp_path: Path) -> None:
    path = factories.write_csv(tmp_path / "nps.csv", rated_comments(240))
    catalogue.import_file("nps", path)

    report = train_company_models(catalogue.engine, languages=["en", "es"], min_per_class=50)

    english, spanish = report["languages"]
    assert english["trained"]
    assert english["kept"]
    assert english["company_accuracy"] > english["shipped_accuracy"]
    assert english["examples"] == {"negative": 120, "neutral": 0, "positive": 120}
    assert not spanish["trained"]
    assert "fewer than 50" in spanish["reason"]
    assert set(company_models(catalogue.engine)) == {"en"}

    analyzer = analyzer_for("fast", languages=["en"], themes_file=None, engine=catalogue.engine)
    (result,) = analyzer.analyze(["My parcel got zorbed 12 again, pathetic"])
    assert result.sentiment == "negative"
    analyse_feedback(catalogue.engine, analyzer)


def test_a_model_that_does_not_help_is_not_kept(catalogue: Catalogue, tmp_path: Path) -> None:
    rows = rated_comments(240)
    rng = random.Random(5)
    for row in rows:  # scores that have nothing to do with the words
        row["score"] = rng.choice([0, 10])
    catalogue.import_file("nps", factories.write_csv(tmp_path / "nps.csv", rows))

    report = train_company_models(catalogue.engine, languages=["en"], min_per_class=50)

    assert report["languages"][0]["trained"]
    assert not report["languages"][0]["kept"]
    assert company_models(catalogue.engine) == {}


def test_too_few_examples_a_class_is_a_clear_error(catalogue: Catalogue) -> None:
    with pytest.raises(InvalidInput, match="at least 5"):
        train_company_models(catalogue.engine, languages=["en"], min_per_class=1)
