"""The schema: migrations build exactly the tables the code describes, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from advocacy.store.engine import build_engine
from advocacy.store.schema import current_revision, head_revision, upgrade
from advocacy.store.tables import Base


def test_the_migrations_create_exactly_the_tables_of_the_models(database_url: str) -> None:
    engine = build_engine(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()

    assert differences == []


def test_upgrading_twice_leaves_the_database_at_the_latest_revision(database_url: str) -> None:
    engine = build_engine(database_url)

    upgrade(engine)

    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_the_revision_the_code_expects_is_the_newest_migration() -> None:
    from alembic.script import ScriptDirectory

    from advocacy.store.schema import SCHEMA_REVISION, alembic_config

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == SCHEMA_REVISION


def test_a_bulk_load_rebuilds_the_indexes_it_suspended(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from advocacy import open_catalogue
    from advocacy.store import bulk
    from tests import factories

    monkeypatch.setattr(bulk, "BULK_ROWS", 1)  # any load into an empty table counts as bulk
    catalogue = open_catalogue(sqlite_url)
    catalogue.import_file("reviews", factories.write_csv(tmp_path / "r.csv", factories.reviews()))

    with catalogue.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    catalogue.close()

    assert differences == []
