"""Sentiment: probabilities of negative, neutral and positive, in two modes, for any text."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pytest

from advocacy.errors import InvalidInput
from advocacy.text.sentiment import (
    FAST_FILE,
    FAST_READ_CHARACTERS,
    LABELS,
    AccurateSentiment,
    FastSentiment,
    SentimentModel,
    fast_read,
    normalise,
    sentiment_model,
)

# Written for these tests: plain verdicts a customer could write, in each language.
POSITIVE = {
    "en": "Excellent service, the staff were friendly and helpful. I love it, thank you!",
    "es": "Me encantó: la comida estaba deliciosa y el personal fue muy amable. ¡Lo recomiendo!",
    "ru": "Отличный магазин, быстрая доставка и вежливые сотрудники. Всем рекомендую!",
    "ro": "Produs excelent, livrare rapidă și personal foarte amabil. Recomand cu încredere!",
    "ro (no diacritics)": "Sunt foarte multumit, calitate buna si pret corect. Recomand!",
}
NEGATIVE = {
    "en": "Terrible experience. It broke after one day and nobody answered my emails.",
    "es": "Pésimo servicio, el pedido llegó roto y nunca me devolvieron el dinero.",
    "ru": "Ужасное обслуживание, товар сломался через день, деньги так и не вернули.",
    "ro": "Produsul s-a stricat după o zi și nu mi-au dat banii înapoi. Nu recomand!",
    "ro (no diacritics)": "Dezamagire totala, nu functioneaza deloc. Nu recomand.",
}
HOSTILE = [
    "Great service! " * 70_000,  # about a megabyte
    "<html><script>alert('x')</script><p>Terrible &amp; slow</p></html>",
    "nul\x00in the\x00middle \x00",
    "😡😡😡 👍🏽 ❤️",
    "lone surrogate \ud800 here",
    "\u200b\u200b",
    "a" * 5000,
    "١٢٣ 汉字 ",
]


@pytest.fixture(scope="module")
def fast() -> SentimentModel:
    return sentiment_model("fast")


@pytest.fixture(scope="module")
def accurate() -> SentimentModel:
    return sentiment_model("accurate")


def test_the_labels_are_negative_neutral_positive_in_that_order() -> None:
    assert LABELS == ("negative", "neutral", "positive")


def test_fast_mode_gives_one_row_of_probabilities_a_text_summing_to_one(
    fast: SentimentModel,
) -> None:
    texts = [*POSITIVE.values(), *NEGATIVE.values(), "It arrived on Tuesday."]

    proba = fast.predict_proba(texts)

    assert proba.shape == (len(texts), 3)
    assert proba.dtype == np.float64
    assert np.all(proba >= 0.0)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert fast.predict_proba([]).shape == (0, 3)


@pytest.mark.parametrize("language", sorted(POSITIVE))
def test_fast_mode_tells_obvious_praise_from_obvious_complaint(
    fast: SentimentModel, language: str
) -> None:
    good, bad = fast.predict_proba([POSITIVE[language], NEGATIVE[language]])

    assert good[2] > good[0]
    assert bad[0] > bad[2]


def test_accurate_mode_tells_obvious_praise_from_obvious_complaint_in_four_languages(
    accurate: SentimentModel,
) -> None:
    languages = sorted(POSITIVE)

    proba = accurate.predict_proba(
        [POSITIVE[lang] for lang in languages] + [NEGATIVE[lang] for lang in languages]
    )

    assert proba.shape == (2 * len(languages), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    good, bad = proba[: len(languages)], proba[len(languages) :]
    assert [lang for lang, row in zip(languages, good, strict=True) if row[2] <= row[0]] == []
    assert [lang for lang, row in zip(languages, bad, strict=True) if row[0] <= row[2]] == []


@pytest.mark.parametrize("mode", ["fast", "accurate"])
def test_an_empty_or_blank_text_is_exactly_neutral(mode: str) -> None:
    proba = sentiment_model(mode).predict_proba(["", "   ", "\n\t", "\x00"])

    np.testing.assert_array_equal(proba, [[0.0, 1.0, 0.0]] * 4)


def test_a_text_without_any_word_the_fast_table_knows_is_neutral(fast: SentimentModel) -> None:
    proba = fast.predict_proba(["12345 !!! ???", "😀", "漢字"])

    np.testing.assert_array_equal(proba, [[0.0, 1.0, 0.0]] * 3)


def test_romanian_reads_the_same_with_or_without_diacritics(fast: SentimentModel) -> None:
    with_marks, without = fast.predict_proba(
        [
            "Mulțumesc, livrarea a fost rapidă și ușoară",
            "Multumesc, livrarea a fost rapida si usoara",
        ]
    )

    np.testing.assert_allclose(with_marks, without)
    assert normalise("ȘI ŞI Ещё") == "si si еще"


def test_fast_mode_gives_the_same_answer_every_time_whatever_the_batch(
    fast: SentimentModel,
) -> None:
    texts = [*POSITIVE.values(), *NEGATIVE.values()]

    together = fast.predict_proba(texts)
    again = fast.predict_proba(texts)
    alone = np.vstack([fast.predict_proba([text]) for text in texts])
    fresh = FastSentiment().predict_proba(texts)

    np.testing.assert_array_equal(together, again)
    np.testing.assert_allclose(together, alone, rtol=1e-6, atol=1e-9)
    np.testing.assert_array_equal(together, fresh)


def test_accurate_mode_gives_the_same_answer_every_time(accurate: SentimentModel) -> None:
    texts = [POSITIVE["en"], NEGATIVE["ru"], "word " * 300]

    first = accurate.predict_proba(texts)

    np.testing.assert_allclose(accurate.predict_proba(texts), first, atol=1e-6)
    np.testing.assert_allclose(accurate.predict_proba(texts[1:2]), first[1:2], atol=1e-4)


@pytest.mark.parametrize("mode", ["fast", "accurate"])
def test_huge_or_hostile_texts_get_probabilities_not_errors(mode: str) -> None:
    proba = sentiment_model(mode).predict_proba(HOSTILE)

    assert proba.shape == (len(HOSTILE), 3)
    assert np.all(np.isfinite(proba))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


@pytest.mark.parametrize("mode", ["fast", "accurate"])
def test_a_missing_text_is_neutral_rather_than_an_error(mode: str) -> None:
    texts: list[Any] = [None, float("nan")]

    proba = sentiment_model(mode).predict_proba(texts)

    np.testing.assert_array_equal(proba, [[0.0, 1.0, 0.0]] * 2)


def test_a_long_review_is_read_from_its_end_too_in_accurate_mode() -> None:
    model = AccurateSentiment()
    story = "We ordered on Monday and the parcel came on Friday with the usual paperwork. " * 8
    verdict = "The product is broken and useless, I am very angry and want my money back!"

    assert model.is_long(story + verdict)
    proba = model.predict_proba([story + verdict])

    assert proba[0, 0] > proba[0, 2]


def test_a_long_review_is_read_from_its_end_too_in_fast_mode(fast: SentimentModel) -> None:
    story = "We ordered on Monday and the parcel came on Friday with the usual paperwork. " * 40
    angry = "The product is broken and useless, I am very angry and want my money back!"
    happy = "The product is perfect, I love it and will recommend it to all my friends!"

    assert len(story) > 2 * FAST_READ_CHARACTERS
    proba = fast.predict_proba([story + angry, story + happy])

    assert proba[0, 0] > proba[1, 0]
    assert proba[1, 2] > proba[0, 2]


def test_fast_mode_reads_a_text_of_up_to_twice_its_reach_whole() -> None:
    text = "word " * (2 * FAST_READ_CHARACTERS // 5)

    assert len(text) == 2 * FAST_READ_CHARACTERS
    assert fast_read(text) == text


def test_fast_mode_reads_both_ends_of_a_longer_text_from_the_start_of_a_word() -> None:
    text = "Beginning " + "middle " * 10_000 + "unfinished sentence near the end, and the verdict"

    read = fast_read(text)

    assert read.startswith("Beginning middle")
    assert read.endswith("and the verdict")
    assert len(read) <= 2 * FAST_READ_CHARACTERS + 2
    head, tail = read[:FAST_READ_CHARACTERS], read[FAST_READ_CHARACTERS + 2 :]
    assert all(
        word in {"middle", "unfinished", "sentence", "near", "the", "end,", "and", "verdict"}
        for word in tail.split()
    )
    assert head == text[:FAST_READ_CHARACTERS]


def test_threads_share_one_fast_model_and_agree(fast: SentimentModel) -> None:
    model = FastSentiment()
    texts = [*POSITIVE.values(), *NEGATIVE.values()]
    results: list[np.ndarray] = []

    def work() -> None:
        results.append(model.predict_proba(texts))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == 8
    for result in results:
        np.testing.assert_array_equal(result, fast.predict_proba(texts))


def test_one_model_a_mode_is_shared_by_the_whole_process() -> None:
    assert sentiment_model("fast") is sentiment_model("fast")
    assert sentiment_model("accurate") is sentiment_model(" Accurate ")
    assert sentiment_model("fast").name == "fast"
    assert sentiment_model("accurate").name == "accurate"


@pytest.mark.parametrize("mode", ["", "slow", "fastest", "vader"])
def test_an_unknown_mode_is_refused(mode: str) -> None:
    with pytest.raises(InvalidInput, match="fast, accurate"):
        sentiment_model(mode)


def test_the_fast_table_is_small_enough_to_commit() -> None:
    assert FAST_FILE.stat().st_size <= 8 * 1024 * 1024
