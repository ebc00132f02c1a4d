"""Key drivers of NPS from the catalogue: which themes of the answers' comments move the score.

The answers are the NPS answers with a score whose comment has been analysed (see
:mod:`advocacy.services.analysis`); an answer mentions a theme when text analysis found it in
the comment. With ``negative_only`` the impact of a theme counts only the detractors who said
something negative about it (its aspect sentiment). The statistics are those of
:func:`advocacy.metrics.drivers.key_drivers`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from sqlalchemy import Engine, select

from advocacy.errors import InvalidInput
from advocacy.metrics.drivers import key_drivers
from advocacy.store.tables import FeedbackItem
from advocacy.text.themes import Taxonomy

DEFINITIONS = {
    "impact": "NPS points gained if the detractors who mention the theme were passives: "
    "100 × those detractors ÷ all answers, with a Wilson interval",
    "gap": "NPS of the answers that mention the theme − NPS of those that don't, Wald interval",
    "rate_difference": "share of detractors who mention the theme − share of promoters who do, "
    "Newcombe's hybrid score interval",
}


def drivers_report(
    engine: Engine,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    negative_only: bool = False,
    min_mentions: int = 1,
    confidence: float = 0.95,
    taxonomy: Taxonomy | None = None,
) -> dict[str, Any]:
    """The key drivers of the NPS answers given from ``since`` (inclusive) to ``until``
    (exclusive), as a JSON-ready dictionary: ``answers`` (analysed answers with a score),
    ``unanalysed`` (answers with a comment not analysed yet, left out), the overall ``nps``,
    ``confidence``, ``drivers`` (largest impact first, each with its theme's ``label``),
    ``excluded`` themes (fewer than ``min_mentions``) and the ``definitions``."""
    if min_mentions < 0:
        raise InvalidInput("min_mentions cannot be negative")
    f = FeedbackItem.__table__.c
    query = select(f.rating, f.themes, f.analyzed_at, f.text).where(
        f.kind == "nps", f.rating.is_not(None)
    )
    if since is not None:
        query = query.where(f.occurred_at >= since)
    if until is not None:
        query = query.where(f.occurred_at < until)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    analysed = [row for row in rows if row.analyzed_at is not None or not row.text]
    taxonomy = taxonomy or Taxonomy.default()
    names = list(taxonomy.names)
    for row in analysed:
        for mention in row.themes or []:
            if mention["theme"] not in names:
                names.append(mention["theme"])  # a theme of an earlier taxonomy
    mentions = {name: np.zeros(len(analysed), dtype=bool) for name in names}
    negative = {name: np.zeros(len(analysed), dtype=bool) for name in names}
    for index, row in enumerate(analysed):
        for mention in row.themes or []:
            mentions[mention["theme"]][index] = True
            negative[mention["theme"]][index] = mention.get("sentiment") == "negative"
    scores = np.array([int(row.rating) for row in analysed], dtype=np.int64)
    report = key_drivers(
        scores,
        mentions,
        confidence=confidence,
        negative_only=negative if negative_only else None,
        min_mentions=min_mentions,
    )
    document = report.as_dict()
    for driver in document["drivers"]:
        theme = driver["theme"]
        driver["label"] = taxonomy[theme].label("en") if theme in taxonomy.names else theme
    return {
        "since": since,
        "until": until,
        "answers": len(analysed),
        "unanalysed": len(rows) - len(analysed),
        "negative_only": negative_only,
        **document,
        "definitions": DEFINITIONS,
    }
