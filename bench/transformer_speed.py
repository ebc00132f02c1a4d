"""The transformer backend's throughput against the raw forward pass of the same model.

One command::

    .venv/bin/python bench/transformer_speed.py [--size base|small] [--texts N] [--markdown]

**Model.** A sequence classifier with the XLM-RoBERTa architecture and random weights (no
weights are downloaded): ``base`` is XLM-R-base's shape (12 layers, 768 wide, 250,002-token
vocabulary; the default on a GPU), ``small`` 6 layers of 384 (the default on a CPU, where base
runs at a few texts a second). Its tokenizer is a byte-level BPE of 30,000 tokens trained on the
texts. Both are written to a temporary folder with ``save_pretrained`` and the backend loads them
from there, as it loads a company's model.

**Texts.** The demo company's feedback (``advocacy.demo``, seed 7), each repeated until it has
at least 128 tokens, so that every text fills the 128-token window: the backend then does the
same arithmetic as the raw pass, and the ratio measures what it adds (tokenizing, batching,
moving to the device, the softmax and the label mapping).

**Raw forward pass.** The texts tokenized beforehand to exactly 128 tokens, in batches of
``--batch`` on the device, in bfloat16 on a GPU that supports it (float32 on a CPU);
``model(**batch)`` alone is timed (with ``torch.cuda.synchronize``), after a warm-up.

**Backend.** ``TransformerSentiment(folder, batch_size=--batch, max_tokens=128)
.predict_proba(texts)`` on the raw texts, end to end, after a warm-up. The target of issue 5:
within 2× of the raw pass.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from report import invocation, machine_facts, markdown_table, package_version
from text_speed import demo_texts

TOKENS = 128
SIZES = {
    "base": {"hidden_size": 768, "num_hidden_layers": 12, "num_attention_heads": 12,
             "intermediate_size": 3072},
    "small": {"hidden_size": 384, "num_hidden_layers": 6, "num_attention_heads": 6,
              "intermediate_size": 1536},
}  # fmt: skip


def build(folder: Path, size: str, texts: Sequence[str]) -> None:
    """A random XLM-R-shaped classifier and a BPE tokenizer trained on ``texts``, saved."""
    import torch
    from tokenizers import ByteLevelBPETokenizer
    from transformers import (
        PreTrainedTokenizerFast,
        XLMRobertaConfig,
        XLMRobertaForSequenceClassification,
    )

    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(
        texts, vocab_size=30_000, special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
    )
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=bpe._tokenizer,
        bos_token="<s>",
        eos_token="</s>",
        unk_token="<unk>",
        pad_token="<pad>",
        cls_token="<s>",
        sep_token="</s>",
        mask_token="<mask>",
        model_max_length=512,
    )
    torch.manual_seed(0)
    config = XLMRobertaConfig(
        vocab_size=250_002 if size == "base" else 30_000,
        num_labels=3,
        id2label={0: "negative", 1: "neutral", 2: "positive"},
        label2id={"negative": 0, "neutral": 1, "positive": 2},
        pad_token_id=tokenizer.pad_token_id,
        **SIZES[size],
    )
    XLMRobertaForSequenceClassification(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)


def raw_rate(folder: Path, texts: Sequence[str], batch: int, device: str) -> float:
    """Texts a second of ``model(**batch)`` alone on 128-token inputs."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    dtype = torch.float32
    if device.startswith("cuda") and torch.cuda.is_bf16_supported():
        dtype = torch.bfloat16
    model = AutoModelForSequenceClassification.from_pretrained(
        folder, local_files_only=True, dtype=dtype
    )
    model.to(device).eval()
    batches = [
        tokenizer(
            list(texts[start : start + batch]),
            padding="max_length",
            truncation=True,
            max_length=TOKENS,
            return_tensors="pt",
        ).to(device)
        for start in range(0, len(texts), batch)
    ]
    with torch.inference_mode():
        model(**batches[0])
        if device.startswith("cuda"):
            torch.cuda.synchronize()
        started = time.perf_counter()
        for inputs in batches:
            model(**inputs).logits.float().softmax(-1)
        if device.startswith("cuda"):
            torch.cuda.synchronize()
        return len(texts) / (time.perf_counter() - started)


def backend_rate(folder: Path, texts: Sequence[str], batch: int, device: str) -> float:
    """Texts a second of the backend, end to end."""
    from advocacy.text.transformer import TransformerSentiment

    model = TransformerSentiment(folder, device=device, batch_size=batch, max_tokens=TOKENS)
    model.predict_proba(list(texts[:batch]))
    started = time.perf_counter()
    model.predict_proba(list(texts))
    return len(texts) / (time.perf_counter() - started)


def main(argv: Sequence[str] | None = None) -> int:
    import torch

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    gpu = torch.cuda.is_available()
    parser.add_argument("--size", choices=sorted(SIZES), default="base" if gpu else "small")
    parser.add_argument("--texts", type=int, default=20_000 if gpu else 1_000)
    parser.add_argument("--batch", type=int, default=256 if gpu else 32)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown report")
    args = parser.parse_args(argv)
    device = "cuda" if gpu else "cpu"
    pool = [text for text in demo_texts(5_000) if text.strip()]
    texts = []
    for k in range(args.texts):
        text = pool[k % len(pool)]
        texts.append(" ".join([text] * (1 + 4 * TOKENS // max(1, len(text.split())))))
    with tempfile.TemporaryDirectory() as folder:
        build(Path(folder), args.size, pool)
        raw = raw_rate(Path(folder), texts, args.batch, device)
        ours = backend_rate(Path(folder), texts, args.batch, device)
    name = torch.cuda.get_device_name(0) if gpu else f"CPU, {torch.get_num_threads()} threads"
    ratio = raw / ours
    rows = [
        ["raw forward pass", f"{args.texts:,}", f"{raw:,.1f}", ""],
        [
            "TransformerSentiment",
            f"{args.texts:,}",
            f"{ours:,.1f}",
            f"{ratio:.2f}× the raw pass's time (≤ 2×: {'met' if ratio <= 2 else 'not met'})",
        ],
    ]
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"## Transformer backend — {when}\n\n{machine_facts()}\n")
    print(
        f"Device: {name}; torch {package_version('torch')}, transformers "
        f"{package_version('transformers')}; model: XLM-R shape `{args.size}`, random weights; "
        f"{TOKENS} tokens a text, batches of {args.batch}.\n\nCommand: `{invocation()}`\n"
    )
    print(markdown_table(["line", "texts", "texts/s", "backend ÷ raw"], rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
