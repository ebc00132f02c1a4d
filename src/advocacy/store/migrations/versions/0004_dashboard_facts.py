"""The dashboard's monthly facts and the catalogue's change counters.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 21:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catalogue_state",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_catalogue_state")),
    )
    op.create_table(
        "feedback_monthly",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("platform", sa.String(length=50), nullable=False),
        sa.Column("channel", sa.String(length=50), nullable=False),
        sa.Column("segment", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("category", sa.String(length=10), nullable=False),
        sa.Column("sentiment", sa.String(length=10), nullable=False),
        sa.Column("pending", sa.Boolean(), nullable=False),
        sa.Column("items", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_monthly")),
    )
    with op.batch_alter_table("feedback_monthly", schema=None) as batch_op:
        batch_op.create_index("ix_feedback_monthly_month", ["month"], unique=False)

    op.create_table(
        "theme_monthly",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("platform", sa.String(length=50), nullable=False),
        sa.Column("channel", sa.String(length=50), nullable=False),
        sa.Column("segment", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("theme", sa.String(length=64), nullable=False),
        sa.Column("tone", sa.String(length=10), nullable=False),
        sa.Column("items", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_theme_monthly")),
    )
    with op.batch_alter_table("theme_monthly", schema=None) as batch_op:
        batch_op.create_index("ix_theme_monthly_month", ["month"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("theme_monthly", schema=None) as batch_op:
        batch_op.drop_index("ix_theme_monthly_month")

    op.drop_table("theme_monthly")
    with op.batch_alter_table("feedback_monthly", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_monthly_month")

    op.drop_table("feedback_monthly")
    op.drop_table("catalogue_state")
