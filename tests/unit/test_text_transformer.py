"""The optional transformer backend: a fine-tuned sequence classifier read from a local folder.

The checkpoints are tiny randomly initialised BERT models with a word-level tokenizer, written to
a temporary folder by ``save_pretrained`` exactly as a fine-tuned model would be.
"""

from __future__ import annotations

import socket
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from advocacy.errors import InvalidInput
from advocacy.text.pipeline import Analyzer
from advocacy.text.transformer import TransformerSentiment, label_columns, parse_label_mapping

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

WORDS = ["the", "delivery", "was", "late", "great", "service", "terrible", "awful", "good"]
WORDS += ["bad", "refund", "thank", "you"]
SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
THREE = {0: "negative", 1: "neutral", 2: "positive"}


def save_checkpoint(folder: Path, id2label: Mapping[int, str], seed: int = 0) -> Any:
    """A random BERT classifier and its tokenizer saved in ``folder``; returns the model."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers
    from tokenizers.processors import TemplateProcessing

    vocabulary = {
        t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS])
    }
    tokenizer = Tokenizer(models.WordLevel(vocabulary, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.Lowercase()
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.post_processor = TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)]
    )
    fast = transformers.PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        model_max_length=64,
    )
    config = transformers.BertConfig(
        vocab_size=len(vocabulary),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
        num_labels=len(id2label),
        id2label=dict(id2label),
        label2id={name: index for index, name in id2label.items()},
    )
    torch.manual_seed(seed)
    model = transformers.BertForSequenceClassification(config).eval()
    model.save_pretrained(folder)
    fast.save_pretrained(folder)
    return model, fast


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any, Any]:
    folder = tmp_path_factory.mktemp("sentiment-model")
    model, tokenizer = save_checkpoint(folder, THREE)
    return folder, model, tokenizer


TEXTS = [
    "The delivery was late",
    "great service thank you",
    "terrible awful bad",
    "good",
    "refund refund refund the delivery was late and the service was bad",
]


def test_probabilities_are_the_models_own_softmax(checkpoint: tuple[Path, Any, Any]) -> None:
    folder, model, tokenizer = checkpoint

    ours = TransformerSentiment(folder, device="cpu").predict_proba(TEXTS)

    with torch.inference_mode():
        batch = tokenizer(TEXTS, padding=True, return_tensors="pt")
        raw = torch.softmax(model(**batch).logits, dim=-1).numpy()
    np.testing.assert_allclose(ours, raw, atol=1e-5)
    np.testing.assert_allclose(ours.sum(axis=1), 1.0)


def test_small_batches_give_what_one_batch_gives(checkpoint: tuple[Path, Any, Any]) -> None:
    folder, _, _ = checkpoint

    whole = TransformerSentiment(folder, batch_size=64).predict_proba(TEXTS)
    pieces = TransformerSentiment(folder, batch_size=2).predict_proba(TEXTS)

    np.testing.assert_allclose(whole, pieces, atol=1e-5)


def test_empty_missing_hostile_and_huge_texts_are_read_safely(
    checkpoint: tuple[Path, Any, Any],
) -> None:
    folder, _, _ = checkpoint
    texts: list[Any] = [
        "",
        "   ",
        None,
        "<script>alert('the delivery was late')</script>",
        "great " * 300_000,
        "nul\x00in the\x00middle",
    ]

    proba = TransformerSentiment(folder).predict_proba(texts)

    assert proba.shape == (6, 3)
    np.testing.assert_array_equal(proba[:3], [[0.0, 1.0, 0.0]] * 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_star_labels_are_added_up_into_three_sentiments(tmp_path: Path) -> None:
    stars = {k: f"{k + 1} star" + ("s" if k else "") for k in range(5)}
    model, tokenizer = save_checkpoint(tmp_path, stars, seed=3)

    ours = TransformerSentiment(tmp_path).predict_proba(TEXTS[:2])

    with torch.inference_mode():
        batch = tokenizer(TEXTS[:2], padding=True, return_tensors="pt")
        raw = torch.softmax(model(**batch).logits, dim=-1).numpy()
    expected = np.stack([raw[:, :2].sum(1), raw[:, 2], raw[:, 3:].sum(1)], axis=1)
    np.testing.assert_allclose(ours, expected, atol=1e-5)


def test_labels_that_do_not_say_their_sentiment_need_a_mapping(tmp_path: Path) -> None:
    save_checkpoint(tmp_path, {0: "LABEL_0", 1: "LABEL_1"})

    with pytest.raises(InvalidInput, match="give a label mapping"):
        TransformerSentiment(tmp_path).predict_proba(["good"])
    mapped = TransformerSentiment(
        tmp_path, labels={"LABEL_0": "negative", "LABEL_1": "positive"}
    ).predict_proba(["good"])
    assert mapped[0, 1] == 0.0  # no neutral label: neutral has no probability
    assert mapped[0].sum() == pytest.approx(1.0)


def test_label_mappings_are_checked() -> None:
    with pytest.raises(InvalidInput, match="use negative, neutral or positive"):
        label_columns({0: "LABEL_0", 1: "LABEL_1"}, {"LABEL_0": "bad", "LABEL_1": "positive"})
    with pytest.raises(InvalidInput, match="one negative and one positive"):
        label_columns({0: "neutral", 1: "positive"})
    with pytest.raises(InvalidInput, match="NAME=negative"):
        parse_label_mapping("LABEL_0:negative")
    assert parse_label_mapping(" ") is None
    assert label_columns({0: "NEG", 1: "Neutral", 2: "POSITIVE"}) == [0, 1, 2]


def test_a_missing_folder_or_one_without_a_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no such folder"):
        TransformerSentiment(tmp_path / "nowhere")
    (tmp_path / "config.json").write_text("{not json", encoding="utf-8")

    with pytest.raises(InvalidInput, match="not a sequence-classification checkpoint"):
        TransformerSentiment(tmp_path).predict_proba(["good"])


def test_loading_a_model_never_touches_the_network(
    checkpoint: tuple[Path, Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, _, _ = checkpoint

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)

    proba = TransformerSentiment(folder).predict_proba(["thank you"])

    assert proba.shape == (1, 3)


def test_the_analyzer_reads_items_with_the_transformer(checkpoint: tuple[Path, Any, Any]) -> None:
    folder, _, _ = checkpoint
    model = TransformerSentiment(folder)
    analyzer = Analyzer("accurate", item_model=model)

    results = analyzer.analyze(["The delivery was late. Terrible service!", ""])

    expected = model.predict_proba(["The delivery was late. Terrible service!"])[0]
    assert results[0].sentiment_score == pytest.approx(expected[2] - expected[0])
    assert "delivery" in results[0].theme_names
    assert results[1].sentiment is None
