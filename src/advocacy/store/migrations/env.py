"""Alembic environment: migrates the engine handed over by ``advocacy.store.schema``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine, create_engine

from advocacy.store.tables import Base

config = context.config
engine: Engine | None = config.attributes.get("engine")
if engine is None:  # alembic's own command line: `alembic -x url=... upgrade head`
    engine = create_engine(context.get_x_argument(as_dictionary=True)["url"])

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
