"""The composition root: the one place that decides which concrete parts Advocacy runs on."""

from __future__ import annotations

from advocacy.catalogue import Catalogue
from advocacy.config import Settings, load_settings
from advocacy.store.engine import build_engine


def open_catalogue(
    database_url: str | None = None, *, settings: Settings | None = None
) -> Catalogue:
    """The catalogue at ``database_url``, else ``ADVOCACY_DATABASE_URL``, else advocacy.sqlite."""
    settings = settings or load_settings(database_url=database_url)
    return Catalogue(build_engine(settings.database_url))
