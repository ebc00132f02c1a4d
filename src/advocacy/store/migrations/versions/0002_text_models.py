"""Sentiment models a company trains on its own rated feedback.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "text_models",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("task", sa.String(length=30), nullable=False),
        sa.Column("examples", sa.Integer(), nullable=False),
        sa.Column(
            "metrics",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("weights", sa.LargeBinary(), nullable=False),
        sa.Column("trained_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_models")),
        sa.UniqueConstraint("language", "task", name="uq_text_models_language_task"),
    )


def downgrade() -> None:
    op.drop_table("text_models")
