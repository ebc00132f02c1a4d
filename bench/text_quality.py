"""Text-analysis quality on real labelled reviews: language ID, sentiment, themes.

One command::

    .venv/bin/python bench/text_quality.py [--modes fast,accurate] [--per-class 0] [--markdown]

**Data.** ``../shared/data/eval/*.jsonl`` beside the repository (``--eval-dir``): real reviews in
English, Spanish, Russian and Romanian with labels (see that folder's README). They are read
here to *measure* only: nothing in Advocacy is trained or tuned on them, and they are never
copied into the repository.

**Measures**, per file and per language (files pooled):

- *language ID*: accuracy of ``advocacy.text.language`` on texts of 20 characters or more
  ("unknown" counts as wrong), over every text of every file;
- *pos/neg balanced accuracy*: on the items labelled positive or negative, an item is called
  positive when the model's P(positive) ≥ P(negative); the mean of the recall of the positives
  and the recall of the negatives;
- *3-class macro-F1*: where a file has neutral labels, the macro-average F1 of the label
  analysis gives (the most probable of negative / neutral / positive);
- *themes*: per-theme precision and recall of ``advocacy.text.themes`` on the files with aspect
  annotations — SemEval-2016 restaurant sentences (en: FOOD#… and DRINKS#… → food_drink,
  …#PRICES → price, SERVICE#GENERAL → customer_service, AMBIENCE#GENERAL → ambience,
  LOCATION#GENERAL → location) and SentiRuEval-2015 restaurant reviews (ru: Food → food_drink,
  Service → customer_service, Interior → ambience, Price → price).

Sentiment is measured per mode. ``--per-class N`` takes the first N items of each label of each
file (the files are balanced samples already; 0, the default, = all). The accurate mode reads the
long evaluation reviews at about 20 a second on 2 cores, so all of them take about 15 minutes;
``--per-class 300`` is a quicker, noisier check. The language-ID and theme measures use every
text.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from report import invocation, machine_facts, markdown_table

EVAL_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "eval"
LABELS = ("negative", "neutral", "positive")
SEMEVAL_THEMES = {
    "FOOD": "food_drink",
    "DRINKS": "food_drink",
    "SERVICE": "customer_service",
    "AMBIENCE": "ambience",
    "LOCATION": "location",
}
SENTIRUEVAL_THEMES = {
    "Food": "food_drink",
    "Service": "customer_service",
    "Interior": "ambience",
    "Price": "price",
}


def read_eval(folder: Path) -> dict[str, list[dict[str, Any]]]:
    files = {}
    for path in sorted(folder.glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            files[path.stem] = [json.loads(line) for line in handle if line.strip()]
    if not files:
        raise SystemExit(f"no evaluation files in {folder}")
    return files


def subsample(rows: list[dict[str, Any]], per_class: int) -> list[dict[str, Any]]:
    if per_class <= 0:
        return rows
    taken: Counter[str] = Counter()
    chosen = []
    for row in rows:
        if taken[row["label"]] < per_class:
            taken[row["label"]] += 1
            chosen.append(row)
    return chosen


def balanced_accuracy(truth: Sequence[str], positive: Sequence[bool]) -> float | None:
    recalls = []
    for label, wanted in (("positive", True), ("negative", False)):
        hits = [p == wanted for t, p in zip(truth, positive, strict=True) if t == label]
        if hits:
            recalls.append(sum(hits) / len(hits))
    return float(np.mean(recalls)) if len(recalls) == 2 else None


def macro_f1(truth: Sequence[str], predicted: Sequence[str]) -> float:
    scores = []
    for label in LABELS:
        tp = sum(t == label and p == label for t, p in zip(truth, predicted, strict=True))
        fp = sum(t != label and p == label for t, p in zip(truth, predicted, strict=True))
        fn = sum(t == label and p != label for t, p in zip(truth, predicted, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0)
    return float(np.mean(scores))


def language_rows(
    files: dict[str, list[dict[str, Any]]],
) -> tuple[list[list[str]], dict[str, float]]:
    from advocacy.text.language import LanguageIdentifier

    identify = LanguageIdentifier()
    rows, pooled = [], defaultdict(list)
    for name, items in files.items():
        hits = [
            identify(item["text"]).language == item["lang"]
            for item in items
            if len(item["text"]) >= 20
        ]
        pooled[items[0]["lang"]].extend(hits)
        rows.append([name, f"{len(hits):,}", f"{np.mean(hits):.4f}"])
    by_language = {lang: float(np.mean(hits)) for lang, hits in sorted(pooled.items())}
    every = [hit for hits in pooled.values() for hit in hits]
    rows.append(["**all files**", f"{len(every):,}", f"**{np.mean(every):.4f}**"])
    return rows, by_language


def sentiment_rows(
    files: dict[str, list[dict[str, Any]]], mode: str, per_class: int
) -> tuple[list[list[str]], float]:
    from advocacy.text.sentiment import sentiment_model

    model = sentiment_model(mode)
    rows: list[list[str]] = []
    pooled: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    seconds, count = 0.0, 0
    for name, items in files.items():
        labelled = [item for item in items if item["label"] in LABELS]
        if not labelled:
            continue
        chosen = subsample(labelled, per_class)
        started = time.perf_counter()
        probabilities = np.asarray(model.predict_proba([item["text"] for item in chosen]))
        seconds += time.perf_counter() - started
        count += len(chosen)
        truth = [item["label"] for item in chosen]
        positive = list(probabilities[:, 2] >= probabilities[:, 0])
        predicted = [LABELS[i] for i in probabilities.argmax(axis=1)]
        lang = chosen[0]["lang"]
        for key, values in (("truth", truth), ("positive", positive), ("predicted", predicted)):
            pooled[lang][key].extend(values)
        accuracy = balanced_accuracy(truth, positive)
        f1 = macro_f1(truth, predicted) if "neutral" in truth else None
        rows.append(
            [
                name,
                f"{len(chosen):,}",
                "" if accuracy is None else f"{accuracy:.3f}",
                "" if f1 is None else f"{f1:.3f}",
            ]
        )
    for lang, values in sorted(pooled.items()):
        accuracy = balanced_accuracy(values["truth"], values["positive"])
        neutral = "neutral" in values["truth"]
        f1 = macro_f1(values["truth"], values["predicted"]) if neutral else None
        rows.append(
            [
                f"**{lang} (pooled)**",
                f"{len(values['truth']):,}",
                "" if accuracy is None else f"**{accuracy:.3f}**",
                "" if f1 is None else f"{f1:.3f}",
            ]
        )
    return rows, count / seconds if seconds else 0.0


def theme_rows(files: dict[str, list[dict[str, Any]]]) -> list[list[str]]:
    from advocacy.text.themes import Taxonomy

    taxonomy = Taxonomy.default()
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    sources = {
        "en_semeval16_restaurant_aspects": lambda item: {
            SEMEVAL_THEMES.get(category.split("#")[0])
            if not category.endswith("#PRICES")
            else "price"
            for category, *_ in item.get("opinions") or []
        },
        "ru_sentirueval_restaurant_reviews": lambda item: {
            SENTIRUEVAL_THEMES.get(aspect[0]) for aspect in item.get("aspects") or []
        },
    }
    for name, gold_of in sources.items():
        for item in files.get(name, []):
            gold = gold_of(item) - {None}
            found = set(taxonomy.themes_in(item["text"]))
            for theme in set(SEMEVAL_THEMES.values()) | {"price"}:
                key = (name, theme)
                counts[key]["tp"] += theme in gold and theme in found
                counts[key]["fp"] += theme not in gold and theme in found
                counts[key]["fn"] += theme in gold and theme not in found
    rows = []
    for (name, theme), c in sorted(counts.items()):
        if not c["tp"] + c["fn"]:
            continue
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        recall = c["tp"] / (c["tp"] + c["fn"])
        rows.append([name, theme, f"{c['tp'] + c['fn']:,}", f"{precision:.3f}", f"{recall:.3f}"])
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--eval-dir", type=Path, default=EVAL_DIR)
    parser.add_argument("--modes", default="fast,accurate", help="comma-separated modes")
    parser.add_argument(
        "--per-class",
        type=int,
        default=0,
        help="items of each label of each file for the accurate mode (0 = all; fast: all)",
    )
    parser.add_argument("--markdown", action="store_true", help="print a Markdown report")
    args = parser.parse_args(argv)
    files = read_eval(args.eval_dir)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    out = [f"## Text quality — {started}", "", machine_facts(), ""]
    out += [f"Command: `{invocation()}`", ""]
    rows, languages = language_rows(files)
    out += ["### Language identification (texts ≥ 20 characters)", ""]
    out += [markdown_table(["file", "texts", "accuracy"], rows), ""]
    out += ["Per language: " + ", ".join(f"{k} {v:.4f}" for k, v in languages.items()), ""]
    for mode in [m.strip() for m in args.modes.split(",") if m.strip()]:
        per_class = args.per_class if mode == "accurate" else 0
        rows, rate = sentiment_rows(files, mode, per_class)
        sample = f"first {per_class} items of each label of each file" if per_class else "all items"
        out += [f"### Sentiment, {mode} mode ({sample}; {rate:,.0f} texts/s here)", ""]
        out += [
            markdown_table(["file", "items", "pos/neg balanced acc.", "3-class macro-F1"], rows)
        ]
        out += [""]
    out += ["### Themes (default taxonomy) on aspect-annotated reviews", ""]
    out += [markdown_table(["file", "theme", "gold", "precision", "recall"], theme_rows(files))]
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
