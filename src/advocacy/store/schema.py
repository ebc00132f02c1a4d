"""Schema migrations with Alembic, run from the package (no alembic.ini needed).

Alembic is imported only to migrate; the check every command makes (:func:`ensure_current`) reads
the revision straight from the ``alembic_version`` table, which keeps the command line quick.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from advocacy.errors import DatabaseError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
# The newest migration in migrations/versions; a test keeps the two in step.
SCHEMA_REVISION = "0008"


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic configuration of Advocacy's migrations, for the database behind ``engine``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database up to ``revision`` (the newest by default); harmless when it is there."""
    from alembic import command

    try:
        command.upgrade(alembic_config(engine), revision)
    except DBAPIError as exc:
        raise DatabaseError(f"cannot migrate the database: {exc.orig}") from None


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or ``None`` for an empty database."""
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            value = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError as exc:
        raise DatabaseError(f"cannot open the database: {exc.orig}") from None
    return str(value) if value is not None else None


def head_revision() -> str:
    """The newest revision this version of Advocacy knows."""
    return SCHEMA_REVISION


def ensure_current(engine: Engine) -> None:
    """Refuse to work on a database that is not at this version's schema, with the fix."""
    revision = current_revision(engine)
    if revision != head_revision():
        raise DatabaseError(
            "the database is not at this version's schema "
            f"(it is at {revision or 'no revision'}): run `advocacy db upgrade`"
        )
