"""The Python API for analysts: the catalogue as pandas DataFrames, imports as one call.

>>> from advocacy import open_catalogue
>>> catalogue = open_catalogue("sqlite:///advocacy.sqlite")   # doctest: +SKIP
>>> catalogue.feedback(kind="reviews", max_rating=2).head()    # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from advocacy.store import queries
from advocacy.store.schema import upgrade

if TYPE_CHECKING:
    import pandas as pd

    from advocacy.services.ingest import ImportReport


class Catalogue:
    """Every customer, order and piece of feedback in one database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def upgrade(self) -> None:
        """Create or migrate the database's tables to this version's schema."""
        upgrade(self.engine)

    def import_file(
        self,
        kind: str,
        path: str | Path,
        *,
        skip_bad_rows: bool = False,
        rejects_path: str | Path | None = None,
    ) -> ImportReport:
        """Import a canonical file (CSV, JSON Lines, Excel or Parquet); see ``advocacy import``."""
        from advocacy.services.ingest import import_file  # polars is loaded only to import

        return import_file(
            self.engine,
            kind,
            Path(path),
            skip_bad_rows=skip_bad_rows,
            rejects_path=Path(rejects_path) if rejects_path else None,
        )

    def customers(self) -> pd.DataFrame:
        """Every customer, one row each."""
        return queries.customers_frame(self.engine)

    def orders(self, *, customer_id: str | None = None) -> pd.DataFrame:
        """Every order, oldest first; only one customer's with ``customer_id``."""
        return queries.orders_frame(self.engine, customer_id=customer_id)

    def feedback(
        self,
        *,
        kind: str | None = None,
        platform: str | None = None,
        customer_id: str | None = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        min_rating: float | None = None,
        max_rating: float | None = None,
        language: str | None = None,
        search: str | None = None,
        sentiment: str | None = None,
        theme: str | None = None,
        urgent: bool | None = None,
        limit: int | None = None,
    ) -> pd.DataFrame:
        """Feedback items of every kind (NPS answers, reviews, posts, tickets), newest first.

        ``language`` is the language the source gave, else the one text analysis found;
        ``sentiment``, ``theme`` and ``urgent`` filter on the results of text analysis.
        """
        filters = queries.FeedbackFilter(
            kind=kind,
            platform=platform,
            customer_id=customer_id,
            since=since,
            until=until,
            min_rating=min_rating,
            max_rating=max_rating,
            language=language,
            search=search,
            sentiment=sentiment,
            theme=theme,
            urgent=urgent,
            limit=limit,
        )
        return queries.feedback_frame(self.engine, filters)

    def analyze(
        self,
        *,
        mode: str = "fast",
        since: dt.datetime | None = None,
        reanalyze: bool = False,
        languages: Sequence[str] | None = None,
        themes_file: str | None = None,
    ) -> dict[str, Any]:
        """Analyse the text of the feedback not analysed yet (all of it with ``reanalyze``):
        language, sentiment, themes, urgency, redaction. Returns what the run did."""
        from advocacy.services.analysis import analyse_feedback, analyzer_for
        from advocacy.text.language import DEFAULT_LANGUAGES

        analyzer = analyzer_for(
            mode,
            languages=languages or DEFAULT_LANGUAGES,
            themes_file=themes_file,
        )
        summary = analyse_feedback(self.engine, analyzer, since=since, reanalyze=reanalyze)
        return summary.as_dict()

    def customer(self, customer_id: str) -> dict[str, Any]:
        """One customer's profile, orders and feedback."""
        return queries.customer_profile(self.engine, customer_id)

    def counts(self) -> dict[str, int]:
        """How many customers, orders and feedback items of each kind there are."""
        return queries.catalogue_counts(self.engine)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()
