"""Shared fixtures: a real database of each kind, the catalogue on it, and the command line.

Every test that takes ``database_url`` runs twice: on a SQLite file and on the PostgreSQL server
that ``make test`` starts (its URL in ``ADVOCACY_TEST_POSTGRES_URL``). Without that server the
PostgreSQL half is skipped, with the reason shown.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from advocacy import Catalogue, open_catalogue
from advocacy.store.engine import build_engine
from advocacy.store.schema import upgrade
from advocacy.store.tables import Base

POSTGRES_URL = os.environ.get("ADVOCACY_TEST_POSTGRES_URL")


@pytest.fixture(scope="session")
def postgres_url() -> str:
    if not POSTGRES_URL:
        pytest.skip("no PostgreSQL server: run the suite with `make test`")
    engine = build_engine(POSTGRES_URL)
    upgrade(engine)
    engine.dispose()
    return POSTGRES_URL


def _empty_postgres(url: str) -> None:
    engine = build_engine(url)
    names = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty catalogue database: a SQLite file, then the PostgreSQL server."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'advocacy.sqlite'}"
        engine = build_engine(url)
        upgrade(engine)
        engine.dispose()
        return url
    url = str(request.getfixturevalue("postgres_url"))
    _empty_postgres(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A migrated, empty SQLite catalogue, for tests about the embedded default alone."""
    url = f"sqlite:///{tmp_path / 'advocacy.sqlite'}"
    engine = build_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def catalogue(database_url: str) -> Iterator[Catalogue]:
    opened = open_catalogue(database_url)
    yield opened
    opened.close()


@pytest.fixture(autouse=True)
def _work_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands that write beside the working directory (rejects files) write in tmp_path."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ADVOCACY_DATABASE_URL", raising=False)
