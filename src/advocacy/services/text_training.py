"""``advocacy text train``: the company's own sentiment models, from its customers' ratings.

Per configured language: the rated items with a comment (NPS answers, reviews) become labelled
examples (:func:`advocacy.text.learning.label_of_rating`), a fifth is held out, a model is fitted
on the rest, and it is kept — stored in ``text_models``, replacing the language's previous one —
only if the blend of it with the shipped fast model beats the shipped model alone on the held-out
fifth, by a margin and beyond chance (:mod:`advocacy.text.learning`). A language with fewer
than ``min_per_class`` positive or negative examples is not trained, and says so.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Engine, Table, delete, insert, select

from advocacy.errors import InvalidInput
from advocacy.store.tables import FeedbackItem, TextModel
from advocacy.text.learning import (
    MAX_P_VALUE,
    MIN_GAIN,
    CompanyModel,
    balanced_accuracy,
    blend,
    held_out_split,
    improvement_p_value,
    label_of_rating,
)
from advocacy.text.sentiment import sentiment_model

MIN_PER_CLASS = 50
TASK = "sentiment"


def _examples(engine: Engine, languages: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
    f = FeedbackItem.__table__.c
    query = select(
        f.kind, f.rating, f.rating_scale, f.title, f.text, f.language, f.detected_language
    ).where(f.rating.is_not(None), f.text.is_not(None), f.kind.in_(("nps", "review")))
    found: dict[str, list[tuple[str, str]]] = {language: [] for language in languages}
    with engine.connect() as connection:
        for row in connection.execute(query):
            language = row.language or row.detected_language
            text = "\n".join(part for part in (row.title, row.text) if part)
            if language in found and text.strip():
                label = label_of_rating(row.kind, float(row.rating), row.rating_scale)
                found[language].append((text, label))
    return found


def train_company_models(
    engine: Engine,
    *,
    languages: Sequence[str],
    min_per_class: int = MIN_PER_CLASS,
    seed: int = 0,
) -> dict[str, Any]:
    """Train, check and keep (or not) a sentiment model per language; what happened, as a
    JSON-ready dictionary: ``languages``, a list of ``language``, ``examples`` (per label),
    ``trained``, ``shipped_accuracy``, ``company_accuracy`` (the blend's), ``kept`` and
    ``reason``."""
    if min_per_class < 5:
        raise InvalidInput("min_per_class must be at least 5")
    shipped = sentiment_model("fast")
    results = []
    for language, examples in _examples(engine, languages).items():
        counts = Counter(label for _, label in examples)
        entry: dict[str, Any] = {
            "language": language,
            "examples": {
                label: counts.get(label, 0) for label in ("negative", "neutral", "positive")
            },
            "trained": False,
            "shipped_accuracy": None,
            "company_accuracy": None,
            "kept": False,
        }
        if min(counts.get("negative", 0), counts.get("positive", 0)) < min_per_class:
            entry["reason"] = (
                f"fewer than {min_per_class} negative or positive rated comments in {language}"
            )
            results.append(entry)
            continue
        texts = [text for text, _ in examples]
        labels = [label for _, label in examples]
        train, test = held_out_split(labels, seed=seed)
        model = CompanyModel.fit([texts[i] for i in train], [labels[i] for i in train])
        held_texts, held_labels = [texts[i] for i in test], [labels[i] for i in test]
        before = shipped.predict_proba(held_texts)
        after = blend(before, model.predict_proba(held_texts))
        entry["trained"] = True
        entry["shipped_accuracy"] = round(balanced_accuracy(held_labels, before), 4)
        entry["company_accuracy"] = round(balanced_accuracy(held_labels, after), 4)
        entry["held_out"] = len(test)
        entry["p_value"] = round(improvement_p_value(held_labels, before, after), 4)
        gain = entry["company_accuracy"] >= entry["shipped_accuracy"] + MIN_GAIN
        if gain and entry["p_value"] < MAX_P_VALUE:
            _store(engine, language, model, len(train), entry)
            entry["kept"] = True
            entry["reason"] = "better than the shipped model on the held-out comments"
        elif gain:
            entry["reason"] = (
                f"better on the held-out comments, but not beyond chance (p = "
                f"{entry['p_value']:.3f} ≥ {MAX_P_VALUE}); the shipped model (or the "
                "language's earlier company model) stays"
            )
        else:
            entry["reason"] = (
                f"not better than the shipped model by {MIN_GAIN} on the held-out comments; "
                "the shipped model (or the language's earlier company model) stays"
            )
        results.append(entry)
    return {"min_gain": MIN_GAIN, "max_p_value": MAX_P_VALUE, "languages": results}


def _store(
    engine: Engine, language: str, model: CompanyModel, examples: int, metrics: dict[str, Any]
) -> None:
    table = cast(Table, TextModel.__table__)
    with engine.begin() as connection:
        connection.execute(delete(table).where(table.c.language == language, table.c.task == TASK))
        connection.execute(
            insert(table).values(
                language=language,
                task=TASK,
                examples=examples,
                metrics={k: v for k, v in metrics.items() if k != "reason"},
                weights=model.to_bytes(),
                trained_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            )
        )


def company_models(engine: Engine) -> dict[str, CompanyModel]:
    """The company's kept sentiment models, by language."""
    table = TextModel.__table__
    with engine.connect() as connection:
        rows = connection.execute(
            select(table.c.language, table.c.weights).where(table.c.task == TASK)
        ).all()
    return {row.language: CompanyModel.from_bytes(row.weights) for row in rows}
