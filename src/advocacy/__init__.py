"""Advocacy: a self-hosted customer-advocacy platform.

The public Python API::

    from advocacy import open_catalogue
    catalogue = open_catalogue()          # ADVOCACY_DATABASE_URL or ./advocacy.sqlite
    catalogue.upgrade()
    catalogue.import_file("reviews", "reviews.csv")
    catalogue.feedback(kind="reviews").head()
"""

from advocacy.bootstrap import open_catalogue
from advocacy.catalogue import Catalogue
from advocacy.errors import (
    AdvocacyError,
    ConfigurationError,
    DatabaseError,
    ImportRejected,
    InvalidFile,
    InvalidInput,
    NotFound,
    RowError,
)

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    # ImportReport lives with the import service, which loads polars: only when asked for.
    if name == "ImportReport":
        from advocacy.services.ingest import ImportReport

        return ImportReport
    raise AttributeError(f"module 'advocacy' has no attribute {name!r}")


__all__ = [
    "AdvocacyError",
    "Catalogue",
    "ConfigurationError",
    "DatabaseError",
    "ImportRejected",
    "ImportReport",
    "InvalidFile",
    "InvalidInput",
    "NotFound",
    "RowError",
    "__version__",
    "open_catalogue",
]
