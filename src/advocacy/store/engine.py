"""Database engines for the catalogue: SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from advocacy.errors import ConfigurationError

SUPPORTED_BACKENDS = ("sqlite", "postgresql")


def _tune_sqlite(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA temp_store=FILE")
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def build_engine(url: str) -> Engine:
    """An engine for ``url``, a SQLAlchemy URL of a SQLite file or a PostgreSQL database.

    A bare ``postgresql://`` URL uses the psycopg 3 driver that Advocacy ships with.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigurationError(f"not a database URL: {url!r} ({exc})") from None
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise ConfigurationError(
            f"unsupported database {backend!r}: use a sqlite:/// or postgresql:// URL"
        )
    if backend == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        if backend == "sqlite":
            engine = create_engine(parsed)
            event.listen(engine, "connect", _tune_sqlite)
        else:
            # The catalogue stores UTC; now() must be UTC too.
            engine = create_engine(
                parsed, pool_pre_ping=True, connect_args={"options": "-c timezone=UTC"}
            )
    except NoSuchModuleError as exc:
        raise ConfigurationError(f"no driver for {parsed.drivername!r}: {exc}") from None
    return engine


@contextmanager
def connected(bind: Engine | Connection) -> Iterator[Connection]:
    """A connection to read with: ``bind`` itself when it is one (so the caller's transaction
    sees what it wrote), else a new one of the engine ``bind``, closed afterwards.

    Examples
    --------
    >>> engine = build_engine("sqlite://")
    >>> from sqlalchemy import text
    >>> with connected(engine) as connection:
    ...     connection.execute(text("SELECT 1")).scalar()
    1
    """
    if isinstance(bind, Connection):
        yield bind
    else:
        with bind.connect() as connection:
            yield connection
