"""Text analysis of the catalogue's feedback: every item that lands, and on demand.

Items are analysed in batches, each batch written in its own transaction: an interrupted run
keeps what it finished, and the next picks up the items still without ``analyzed_at``. An item's
title and text are analysed together (a review's title is often its verdict); the redacted text
is that of the text alone. An item without any text (an NPS score without a comment) is marked
analysed with no sentiment and no themes: its score speaks for it. Re-importing an item with a
new wording clears its ``analyzed_at`` (:mod:`advocacy.store.bulk`), so it is analysed again.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, cast

from sqlalchemy import Engine, Table, bindparam, select, update

from advocacy.errors import InvalidInput
from advocacy.services.facts import count_change, fact_counts
from advocacy.store.tables import FeedbackItem
from advocacy.text.pipeline import MODES, Analyzer, TextAnalysis, analyze_batches
from advocacy.text.redact import redact_many

BATCH_SIZE = 256
Progress = Callable[[int, int], None]


@dataclass
class AnalysisSummary:
    """What a run of text analysis did."""

    mode: str
    analysed: int = 0
    without_text: int = 0
    urgent: int = 0
    sentiments: dict[str, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)
    themes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def items_per_second(self) -> float | None:
        return self.analysed / self.seconds if self.seconds > 0 else None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary of the summary."""
        rate = self.items_per_second
        return {
            **asdict(self),
            "seconds": round(self.seconds, 3),
            "items_per_second": None if rate is None else round(rate, 1),
        }


def pending_items(
    engine: Engine,
    *,
    since: dt.datetime | None = None,
    reanalyze: bool = False,
    limit: int | None = None,
) -> list[int]:
    """The ids of the items to analyse: those not analysed yet (all with ``reanalyze``), from
    ``since`` on (their date, inclusive), the oldest ``limit`` of them."""
    f = FeedbackItem.__table__.c
    query = select(f.id).order_by(f.id).limit(limit)
    if not reanalyze:
        query = query.where(f.analyzed_at.is_(None))
    if since is not None:
        query = query.where(f.occurred_at >= since)
    with engine.connect() as connection:
        return [int(row[0]) for row in connection.execute(query)]


def analyse_feedback(
    engine: Engine,
    analyzer: Analyzer,
    *,
    since: dt.datetime | None = None,
    reanalyze: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    limit: int | None = None,
    workers: int = 1,
) -> AnalysisSummary:
    """Analyse the pending items (see :func:`pending_items`) and store the results.

    With ``workers`` above 1, that many processes analyse the batches while this one reads and
    stores them (:func:`advocacy.text.pipeline.analyze_batches`): for long runs in fast mode,
    from a command, not from a process other threads are running in.
    """
    started = time.perf_counter()
    todo = pending_items(engine, since=since, reanalyze=reanalyze, limit=limit)
    summary = AnalysisSummary(mode=analyzer.mode)
    counts: dict[str, Counter[str]] = {"s": Counter(), "l": Counter(), "t": Counter()}
    f = FeedbackItem.__table__.c
    # The items asked for and the rows read of each batch being analysed, in order.
    read: deque[tuple[int, Sequence[Any]]] = deque()

    def texts() -> Iterator[list[str]]:
        for offset in range(0, len(todo), batch_size):
            batch = todo[offset : offset + batch_size]
            with engine.connect() as connection:
                rows = connection.execute(
                    select(f.id, f.title, f.text).where(f.id.in_(batch)).order_by(f.id)
                ).all()
            read.append((len(batch), rows))
            # Analysed with the title; what is stored redacted is the text alone.
            yield ["\n".join(part for part in (row.title, row.text) if part) for row in rows]

    done = 0
    for results in analyze_batches(analyzer, texts(), workers=workers, redact_texts=False):
        asked, rows = read.popleft()
        texts_alone = redact_many([row.text for row in rows])
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        values = [
            _stored(row.id, result, redacted, now)
            for row, result, redacted in zip(rows, results, texts_alone, strict=True)
        ]
        ids = [row.id for row in rows]
        with engine.begin() as connection:
            # The dashboard's facts follow the batch (no rebuild of them); the rows are locked
            # first on PostgreSQL, so that what is taken out is what is counted in again.
            connection.execute(select(f.id).where(f.id.in_(ids)).with_for_update())
            before = fact_counts(connection, ids)
            connection.execute(_UPDATE, values)
            count_change(connection, before, fact_counts(connection, ids))
        for result in results:
            if result.sentiment is None:
                summary.without_text += 1
                continue
            summary.analysed += 1
            summary.urgent += result.urgent
            counts["s"][result.sentiment] += 1
            counts["l"][result.language] += 1
            counts["t"].update(result.theme_names)
        done += asked
        if progress is not None:
            progress(done, len(todo))
    summary.sentiments = dict(counts["s"].most_common())
    summary.languages = dict(counts["l"].most_common())
    summary.themes = dict(counts["t"].most_common())
    summary.seconds = time.perf_counter() - started
    return summary


_TABLE = cast(Table, FeedbackItem.__table__)
_UPDATE = (
    update(_TABLE)
    .where(_TABLE.c.id == bindparam("item_id"))
    .values(
        detected_language=bindparam("detected_language"),
        sentiment=bindparam("sentiment"),
        sentiment_score=bindparam("sentiment_score"),
        themes=bindparam("themes"),
        urgent=bindparam("urgent"),
        urgency_reasons=bindparam("urgency_reasons"),
        redacted_text=bindparam("redacted_text"),
        analyzed_at=bindparam("analyzed_at"),
    )
)


def _stored(
    item_id: int, result: TextAnalysis, redacted: str | None, now: dt.datetime
) -> dict[str, Any]:
    return {
        "item_id": item_id,
        "detected_language": result.language,
        "sentiment": result.sentiment,
        "sentiment_score": result.sentiment_score,
        "themes": [
            {"theme": m.theme, "sentiment": m.sentiment, "score": round(m.score, 4)}
            for m in result.themes
        ],
        "urgent": result.urgent,
        "urgency_reasons": list(result.urgency_reasons),
        "redacted_text": redacted,
        "analyzed_at": now,
    }


def analyzer_for(
    mode: str,
    *,
    languages: Sequence[str],
    themes_file: str | None,
    engine: Engine | None = None,
    model_dir: str | None = None,
    model_labels: str | None = None,
) -> Analyzer:
    """An analyzer in ``mode`` ("accurate" or "fast") with the installation's languages, theme
    taxonomy and, given the ``engine``, the company's own sentiment models (``advocacy text
    train``). ``model_dir`` is a folder with a fine-tuned Hugging Face sequence classifier that
    scores the items in accurate mode instead of the shipped model (``model_labels`` maps its
    label names, as ``LABEL_0=negative,LABEL_1=positive``)."""
    from advocacy.services.text_training import company_models
    from advocacy.text.themes import Taxonomy

    if mode not in MODES:
        raise InvalidInput(f"unknown mode {mode!r}: choose accurate or fast")
    item_model = None
    if model_dir:
        from pathlib import Path

        from advocacy.text.transformer import TransformerSentiment, parse_label_mapping

        if mode != "accurate":
            raise InvalidInput("a transformer model directory is used by the accurate mode only")
        item_model = TransformerSentiment(Path(model_dir), labels=parse_label_mapping(model_labels))
    return Analyzer(
        mode,
        languages=languages,
        taxonomy=Taxonomy.load(themes_file),
        item_model=item_model,
        company_models=company_models(engine) if engine is not None else None,
    )
