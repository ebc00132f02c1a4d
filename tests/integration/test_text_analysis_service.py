"""Text analysis of the catalogue: stored results, filters, re-analysis, key drivers."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from advocacy import Catalogue
from advocacy.services.analysis import analyse_feedback, pending_items
from advocacy.services.drivers import drivers_report
from advocacy.store.tables import FeedbackItem
from advocacy.text.pipeline import Analyzer
from tests import factories

ANSWERS = [
    ("N1", 1, "The courier lost my parcel and nobody answers. I will call my lawyer!", "en"),
    ("N2", 2, "Entrega tardísima, el paquete llegó roto. Fatal.", "es"),
    ("N3", 3, "Доставка опоздала на две недели, ужасный сервис", "ru"),
    ("N4", 10, "Excellent quality and a very friendly support team, thank you!", "en"),
    ("N5", 9, "Calitate excelentă, livrare rapidă, recomand!", "ro"),
    ("N6", 10, "Отличное качество, всё понравилось", "ru"),
    ("N7", 8, None, None),
    ("N8", 0, "Write to maria.lopez@example.com or +34 612 345 678: the delivery was late", "en"),
]  # fmt: skip


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer("fast")


@pytest.fixture
def answered(catalogue: Catalogue, tmp_path: Path) -> Catalogue:
    catalogue.import_file(
        "customers", factories.write_csv(tmp_path / "c.csv", factories.customers())
    )
    rows = [
        {
            "response_id": rid,
            "score": score,
            "comment": comment,
            "responded_at": f"2025-03-{10 + i:02d}",
            "language": language,
        }
        for i, (rid, score, comment, language) in enumerate(ANSWERS)
    ]
    catalogue.import_file("nps", factories.write_csv(tmp_path / "nps.csv", rows))
    return catalogue


def _stored(catalogue: Catalogue) -> dict[str, FeedbackItem]:
    with catalogue.engine.connect() as connection:
        rows = connection.execute(select(FeedbackItem.__table__)).all()
    return {row.external_id: row for row in rows}


def test_every_item_gets_its_analysis_stored(answered: Catalogue, analyzer: Analyzer) -> None:
    summary = analyse_feedback(answered.engine, analyzer)

    assert summary.analysed == 7
    assert summary.without_text == 1
    stored = _stored(answered)
    assert stored["N1"].sentiment == "negative"
    assert stored["N4"].sentiment == "positive"
    assert stored["N2"].detected_language == "es"
    assert stored["N3"].detected_language == "ru"
    assert "delivery" in [m["theme"] for m in stored["N1"].themes]
    assert stored["N1"].urgent is True
    assert "legal_threat" in stored["N1"].urgency_reasons
    assert stored["N4"].urgent is False
    assert stored["N7"].sentiment is None
    assert stored["N7"].analyzed_at is not None
    assert "maria.lopez@example.com" not in stored["N8"].redacted_text
    assert "[EMAIL]" in stored["N8"].redacted_text
    assert "maria.lopez@example.com" in stored["N8"].text  # the original is kept
    assert pending_items(answered.engine) == []


def test_a_second_run_finds_nothing_to_do_and_reanalyze_does_it_all_again(
    answered: Catalogue, analyzer: Analyzer
) -> None:
    analyse_feedback(answered.engine, analyzer)

    assert analyse_feedback(answered.engine, analyzer).analysed == 0
    assert analyse_feedback(answered.engine, analyzer, reanalyze=True).analysed == 7


def test_a_new_wording_is_analysed_again_but_a_new_score_is_not(
    answered: Catalogue, analyzer: Analyzer, tmp_path: Path
) -> None:
    analyse_feedback(answered.engine, analyzer)
    rows = [
        {"response_id": "N4", "score": 10, "comment": "Changed my mind: rude staff.",
         "responded_at": "2025-03-13", "language": "en"},
        {"response_id": "N5", "score": 7, "comment": ANSWERS[4][2],
         "responded_at": "2025-03-14", "language": "ro"},
    ]  # fmt: skip
    answered.import_file("nps", factories.write_csv(tmp_path / "again.csv", rows))

    assert [
        row.external_id
        for row in _stored(answered).values()
        if row.id in pending_items(answered.engine)
    ] == ["N4"]


def test_since_limits_the_run_to_items_from_that_day(
    answered: Catalogue, analyzer: Analyzer
) -> None:
    import datetime as dt

    summary = analyse_feedback(answered.engine, analyzer, since=dt.datetime(2025, 3, 16))

    assert summary.analysed + summary.without_text == 2  # N7 and N8


def test_the_inbox_filters_by_sentiment_theme_urgency_and_found_language(
    answered: Catalogue, analyzer: Analyzer
) -> None:
    analyse_feedback(answered.engine, analyzer)

    negative = answered.feedback(sentiment="negative")
    delivery = answered.feedback(theme="delivery")
    urgent = answered.feedback(urgent=True)
    spanish = answered.feedback(language="es")

    assert {"N1", "N2", "N3"} <= set(negative["item_id"])
    assert {"N1", "N2", "N3", "N8"} <= set(delivery["item_id"])
    assert "N4" not in set(delivery["item_id"])
    assert "N1" in set(urgent["item_id"])
    assert "N4" not in set(urgent["item_id"])
    assert set(spanish["item_id"]) == {"N2"}


def test_an_unknown_sentiment_filter_is_refused(answered: Catalogue) -> None:
    from advocacy.errors import InvalidInput

    with pytest.raises(InvalidInput, match="unknown sentiment"):
        answered.feedback(sentiment="angry")


def test_key_drivers_put_delivery_first_for_these_detractors(
    answered: Catalogue, analyzer: Analyzer
) -> None:
    analyse_feedback(answered.engine, analyzer)

    report = drivers_report(answered.engine)

    assert report["answers"] == 8
    assert report["unanalysed"] == 0
    top = report["drivers"][0]
    assert top["theme"] == "delivery"
    assert top["label"] == "Delivery"
    # 4 of the 8 answers are detractors who mention delivery: +50 points if they were passives.
    assert top["detractors_mentioning"] == 4
    assert top["impact"] == pytest.approx(50.0)


def test_key_drivers_leave_out_answers_not_analysed_yet(answered: Catalogue) -> None:
    report = drivers_report(answered.engine)

    assert report["answers"] == 1  # only the answer without a comment
    assert report["unanalysed"] == 7
