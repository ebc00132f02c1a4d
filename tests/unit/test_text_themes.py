"""Themes, urgency and sentences: what a review talks about, whether it cannot wait."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advocacy.errors import InvalidInput
from advocacy.text.patterns import TermSet, compile_terms, fold
from advocacy.text.sentences import split_sentences
from advocacy.text.themes import Taxonomy
from advocacy.text.urgency import UrgencyRules


def test_folding_removes_case_and_diacritics_but_keeps_cyrillic_letters() -> None:
    assert fold("PREȚUL și Envío") == "pretul si envio"
    assert fold("Preţul (cedilla) şi") == "pretul (cedilla) si"
    assert fold("Ещё ЙОГУРТ") == "еще йогурт"


def test_a_stem_matches_every_ending_and_a_word_only_the_whole_word() -> None:
    pattern = compile_terms(["доставк*", "late"], name="delivery")

    assert pattern.search(fold("Доставкой недоволен"))
    assert pattern.search(fold("It came late."))
    assert not pattern.search(fold("Chocolate cake"))
    assert not pattern.search(fold("недоставка"))  # a stem starts a word


def test_a_phrase_matches_across_spaces_and_punctuation() -> None:
    terms = TermSet.of({"service": ["customer service"]})

    assert terms.names_in(fold("Customer-Service was great")) == ["service"]
    assert terms.names_in(fold("customer   service")) == ["service"]
    assert terms.names_in(fold("the customer was served")) == []


@pytest.mark.parametrize("term", ["", "   ", "<script>", "del*ivery", "a|b"])
def test_a_term_that_is_not_words_is_refused(term: str) -> None:
    with pytest.raises(InvalidInput, match="delivery"):
        compile_terms([term], name="delivery")


@pytest.mark.parametrize(
    ("text", "themes"),
    [
        ("The parcel arrived late and the price was a rip off", {"delivery", "price"}),
        ("La entrega llegó tarde y el precio es caro", {"delivery", "price"}),
        ("Доставка опоздала на неделю, качество ужасное", {"delivery", "quality"}),
        ("Livrarea a întârziat, dar produsul e de calitate", {"delivery", "quality"}),
        ("Официант был груб, а суп холодный", {"customer_service", "food_drink"}),
        ("Nu mi-au returnat banii, rambursarea durează", {"returns_refunds"}),
        ("The app keeps crashing at checkout", {"website_app"}),
        ("Nothing to say.", set()),
    ],
)
def test_the_default_taxonomy_finds_themes_in_every_language(text: str, themes: set[str]) -> None:
    assert set(Taxonomy.default().themes_in(text)) == themes


def test_an_ordinary_word_does_not_trigger_a_theme_by_its_prefix() -> None:
    taxonomy = Taxonomy.default()

    assert taxonomy.themes_in("Я просто зашёл посмотреть") == []  # "просто" is not usability
    assert taxonomy.themes_in("I feel fine") == []  # "feel" is not a fee
    assert taxonomy.themes_in("Супер!") == []  # "супер" is not soup


def test_themes_are_found_per_sentence() -> None:
    taxonomy = Taxonomy.default()
    sentences = [s.text for s in split_sentences("Great food. Slow delivery. Rude courier!")]

    assert taxonomy.sentences_by_theme(sentences) == {
        "delivery": [1, 2],
        "customer_service": [2],
        "food_drink": [0],
    }


def test_a_company_taxonomy_replaces_the_default(tmp_path: Path) -> None:
    path = tmp_path / "themes.json"
    path.write_text(
        json.dumps(
            {"themes": {"onboarding": {"labels": {"es": "Alta"}, "terms": ["onboard*", "alta"]}}}
        ),
        encoding="utf-8",
    )

    taxonomy = Taxonomy.load(path)

    assert taxonomy.names == ["onboarding"]
    assert taxonomy.themes_in("El proceso de alta fue lento") == ["onboarding"]
    assert taxonomy["onboarding"].label("es") == "Alta"
    assert taxonomy["onboarding"].label("ru") == "onboarding"


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ("not json", "theme taxonomy"),
        ('{"themes": []}', '"themes" object'),
        ('{"themes": {}}', "at least one theme"),
        ('{"themes": {"bad name!": {"terms": ["x"]}}}', "a name is letters"),
        ('{"themes": {"price": {}}}', '"terms" list'),
        ('{"themes": {"price": {"terms": []}}}', "no terms"),
        ('{"themes": {"price": {"terms": ["<b>"]}}}', "is not a term"),
        ('{"themes": {"price": {"terms": ["x"], "labels": ["en"]}}}', '"labels"'),
    ],
)
def test_a_broken_taxonomy_file_is_refused_with_its_name_and_problem(
    tmp_path: Path, document: str, problem: str
) -> None:
    path = tmp_path / "themes.json"
    path.write_text(document, encoding="utf-8")

    with pytest.raises(InvalidInput, match=problem) as raised:
        Taxonomy.load(path)
    assert str(path) in str(raised.value)


def test_a_missing_taxonomy_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="theme taxonomy"):
        Taxonomy.load(tmp_path / "missing.json")


@pytest.mark.parametrize(
    ("text", "reasons"),
    [
        ("I will contact my lawyer, you charged me twice!", ("legal_threat", "money_taken")),
        ("Voy a poner una denuncia, me cobraron dos veces", ("legal_threat", "money_taken")),
        ("Опять списали деньги, пишу в Роспотребнадзор", ("legal_threat", "money_taken")),
        ("Produsul a luat foc și am ajuns la spital", ("safety",)),
        ("Cancel my account, I'm switching to another bank", ("cancellation",)),
        ("Уже третий раз пишу, до сих пор нет ответа", ("repeated_failure",)),
    ],
)
def test_negative_feedback_with_a_reason_is_urgent(text: str, reasons: tuple[str, ...]) -> None:
    urgency = UrgencyRules().assess(text, "negative")

    assert urgency.urgent
    assert set(reasons) <= set(urgency.reasons)


@pytest.mark.parametrize("sentiment", ["positive", "neutral", None])
def test_the_same_words_in_feedback_that_is_not_negative_are_not_urgent(
    sentiment: str | None,
) -> None:
    urgency = UrgencyRules().assess("Urgent: go again and again, never again such joy!", sentiment)

    assert not urgency.urgent
    assert urgency.reasons == ()


def test_unhappy_feedback_without_a_reason_is_not_urgent() -> None:
    assert (
        not UrgencyRules().assess("The delivery was late and the box was torn", "negative").urgent
    )


def test_sentences_end_at_stops_line_breaks_and_emoticons_but_not_in_numbers() -> None:
    text = "Доставка опоздала.Качество ужасное, т.е. брак... Больше не закажу :( Цена 1.200 руб"

    assert [s.text for s in split_sentences(text)] == [
        "Доставка опоздала.",
        "Качество ужасное, т.е. брак...",
        "Больше не закажу :(",
        "Цена 1.200 руб",
    ]


def test_sentence_positions_point_into_the_original_text() -> None:
    text = "  Hola.\n\nSr. Pérez, ¡gracias!  "

    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text
    assert [s.text for s in split_sentences(text)] == ["Hola.", "Sr. Pérez, ¡gracias!"]


def test_a_huge_text_keeps_every_character_in_its_sentences() -> None:
    text = "Bad. " * 50_000

    sentences = split_sentences(text)

    assert len(sentences) == 200
    assert " ".join(s.text for s in sentences) == text.strip()
