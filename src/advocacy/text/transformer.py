"""An optional sentiment backend: any fine-tuned Hugging Face sequence classifier, from a folder.

A company with a better model for its languages (one it fine-tuned, or a published checkpoint it
copied onto the machine) points Advocacy at the folder that ``save_pretrained`` wrote: the
configuration, the weights and the tokenizer files. Nothing is ever downloaded: the folder is
read with ``local_files_only`` and the Hugging Face hub is switched off for the process.

The model's own labels are read from its configuration (``id2label``) and each is mapped to
Advocacy's negative / neutral / positive:

- names that say it: ``negative``, ``neg``, ``neutral``, ``mixed``, ``positive``, ``pos`` (any
  case, in English, as most checkpoints name them);
- star ratings: ``1 star`` … ``5 stars`` (1–2 negative, 3 neutral, 4–5 positive);
- anything else (``LABEL_0``, ``LABEL_1`` …) needs an explicit ``labels`` mapping, so that no
  model is read the wrong way round.

The probabilities of the model's labels that map to the same sentiment are added. A model with no
neutral label gives neutral the probability 0.

On a machine with a CUDA GPU the model runs there, in bfloat16 where the GPU supports it; on a CPU
in float32 on torch's threads. Texts are sorted by length and batched, so that a batch pads
little, and cut at ``max_tokens``.

Needs the optional dependencies ``torch`` and ``transformers``
(``pip install 'advocacy[transformers]'``).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from advocacy.errors import InvalidInput
from advocacy.text.sentiment import _NEUTRAL, LABELS, _clean

_NAMED = {
    "negative": 0,
    "neg": 0,
    "neutral": 1,
    "neu": 1,
    "mixed": 1,
    "positive": 2,
    "pos": 2,
}
_STARS = re.compile(r"^([1-5])\s*stars?$")


def label_columns(
    id2label: Mapping[int, str], labels: Mapping[str, str] | None = None
) -> list[int]:
    """For each of a model's outputs, in order, the index in ``LABELS`` it counts towards.

    Parameters
    ----------
    id2label : mapping of int to str
        The model's output index → label name (its configuration's ``id2label``).
    labels : mapping of str to str, optional
        The model's label name → "negative", "neutral" or "positive", for names that do not say
        it; it overrides the names that do.

    Raises
    ------
    InvalidInput
        If a label cannot be mapped, or no output is negative or none positive.

    Examples
    --------
    >>> label_columns({0: "1 star", 1: "2 stars", 2: "3 stars", 3: "4 stars", 4: "5 stars"})
    [0, 0, 1, 2, 2]
    >>> label_columns({0: "LABEL_0", 1: "LABEL_1"}, {"LABEL_0": "negative", "LABEL_1": "positive"})
    [0, 2]
    """
    given = {name: value.strip().lower() for name, value in (labels or {}).items()}
    for name, value in given.items():
        if value not in LABELS:
            raise InvalidInput(
                f"label {name!r} maps to {value!r}: use negative, neutral or positive"
            )
    columns: list[int] = []
    for index in sorted(id2label):
        name = str(id2label[index])
        key = name.strip().lower()
        if name in given:
            columns.append(LABELS.index(given[name]))
        elif key in _NAMED:
            columns.append(_NAMED[key])
        elif (stars := _STARS.match(key)) is not None:
            count = int(stars.group(1))
            columns.append(0 if count <= 2 else 1 if count == 3 else 2)
        else:
            raise InvalidInput(
                f"the model's label {name!r} does not say negative, neutral or positive: "
                "give a label mapping, e.g. LABEL_0=negative,LABEL_1=positive"
            )
    if 0 not in columns or 2 not in columns:
        raise InvalidInput("a sentiment model needs at least one negative and one positive label")
    return columns


def parse_label_mapping(text: str | None) -> dict[str, str] | None:
    """``"LABEL_0=negative,LABEL_1=positive"`` as a mapping (``None`` for no text).

    >>> parse_label_mapping("LABEL_0=negative, LABEL_1=positive")
    {'LABEL_0': 'negative', 'LABEL_1': 'positive'}
    """
    if not text or not text.strip():
        return None
    mapping: dict[str, str] = {}
    for part in text.split(","):
        name, sep, value = part.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise InvalidInput(
                f"{part.strip()!r}: write each label as NAME=negative|neutral|positive"
            )
        mapping[name.strip()] = value.strip().lower()
    return mapping


class TransformerSentiment:
    """Sentiment from a fine-tuned sequence-classification checkpoint in a local folder.

    The model is loaded on first use and shared by the threads of the process (they take turns).

    Parameters
    ----------
    directory : pathlib.Path
        A folder written by ``save_pretrained`` (configuration, weights, tokenizer).
    labels : mapping of str to str, optional
        The model's label names → negative / neutral / positive, where the names don't say it.
    device : str, optional
        ``"cuda"``, ``"cuda:1"``, ``"cpu"`` …; the first GPU when there is one, else the CPU.
    batch_size : int
        Texts a forward pass.
    max_tokens : int
        A text is cut after this many tokens (the model's own limit if it is lower).

    Raises
    ------
    InvalidInput
        If the folder is missing or holds no usable model (checked on first use), or torch and
        transformers are not installed.
    """

    name = "transformer"

    def __init__(
        self,
        directory: Path,
        *,
        labels: Mapping[str, str] | None = None,
        device: str | None = None,
        batch_size: int = 64,
        max_tokens: int = 256,
    ) -> None:
        if batch_size < 1 or max_tokens < 2:
            raise InvalidInput("batch_size is at least 1 and max_tokens at least 2")
        self.directory = Path(directory)
        if not self.directory.is_dir():
            raise InvalidInput(f"{self.directory}: no such folder (a save_pretrained checkpoint)")
        self.labels = dict(labels) if labels else None
        self.device = device
        self.batch_size = batch_size
        self.max_tokens = max_tokens
        self._lock = threading.Lock()
        self._loaded: tuple[Any, Any, npt.NDArray[np.float64], Any] | None = None

    def _load(self) -> tuple[Any, Any, npt.NDArray[np.float64], Any]:
        with self._lock:
            if self._loaded is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                try:
                    import torch
                    from transformers import AutoModelForSequenceClassification, AutoTokenizer
                    from transformers.utils import logging as transformers_logging
                except ImportError as error:
                    raise InvalidInput(
                        "a transformer model needs torch and transformers: "
                        "pip install 'advocacy[transformers]'"
                    ) from error
                transformers_logging.disable_progress_bar()  # no bars on a server's output
                transformers_logging.set_verbosity_error()
                device = torch.device(
                    self.device or ("cuda" if torch.cuda.is_available() else "cpu")
                )
                dtype = torch.float32
                if device.type == "cuda" and torch.cuda.is_bf16_supported():
                    dtype = torch.bfloat16
                try:
                    tokenizer = AutoTokenizer.from_pretrained(self.directory, local_files_only=True)
                    model = AutoModelForSequenceClassification.from_pretrained(
                        self.directory, local_files_only=True, dtype=dtype
                    )
                except (OSError, ValueError, KeyError) as error:
                    raise InvalidInput(
                        f"{self.directory}: not a sequence-classification checkpoint ({error})"
                    ) from error
                columns = label_columns(model.config.id2label, self.labels)
                # Adds up the probabilities of the model's labels into LABELS' columns.
                fold = np.zeros((len(columns), len(LABELS)))
                fold[np.arange(len(columns)), columns] = 1.0
                model.to(device).eval()
                self._loaded = (tokenizer, model, fold, device)
            return self._loaded

    def predict_proba(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """Probabilities of ``LABELS`` for each text (see :class:`SentimentModel`)."""
        import torch

        tokenizer, model, fold, device = self._load()
        out = np.tile(_NEUTRAL, (len(texts), 1))
        cleaned = [_clean(text) for text in texts]
        todo = [k for k, text in enumerate(cleaned) if text.strip()]
        if not todo:
            return out
        limit = min(self.max_tokens, getattr(tokenizer, "model_max_length", self.max_tokens))
        # Sorted by length (characters, a good stand-in for tokens) so that batches pad little.
        todo.sort(key=lambda k: len(cleaned[k]))
        with self._lock, torch.inference_mode():
            for start in range(0, len(todo), self.batch_size):
                chosen = todo[start : start + self.batch_size]
                batch = tokenizer(
                    [cleaned[k][: limit * 32] for k in chosen],
                    padding=True,
                    truncation=True,
                    max_length=limit,
                    return_tensors="pt",
                ).to(device)
                logits = model(**batch).logits.float()
                probabilities = torch.softmax(logits, dim=-1).cpu().numpy().astype(np.float64)
                out[chosen] = probabilities @ fold
        return out
