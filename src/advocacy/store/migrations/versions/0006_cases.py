"""Cases: a customer problem with its owner, SLA, escalation and timeline, and the feedback
items it is about.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 01:20:10.912734
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("rule", sa.String(length=60), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("owner", sa.String(length=320), nullable=True),
        sa.Column("team", sa.String(length=100), nullable=True),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("first_response_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("escalation_level", sa.Integer(), nullable=False),
        sa.Column("escalated_at", sa.DateTime(), nullable=True),
        sa.Column(
            "value_at_risk", sa.Numeric(precision=18, scale=4, asdecimal=False), nullable=True
        ),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column(
            "details",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_cases_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_cases_dedupe_key")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index("ix_cases_customer_id", ["customer_id"], unique=False)
        batch_op.create_index("ix_cases_status_due_at", ["status", "due_at"], unique=False)

    op.create_table(
        "case_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=320), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column(
            "detail",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_events_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_events")),
    )
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_events_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_items",
        sa.Column(
            "feedback_item_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_items_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["feedback_item_id"],
            ["feedback_items.id"],
            name=op.f("fk_case_items_feedback_item_id_feedback_items"),
        ),
        sa.PrimaryKeyConstraint("feedback_item_id", name=op.f("pk_case_items")),
    )
    with op.batch_alter_table("case_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_items_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_items_case_id"))

    op.drop_table("case_items")
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_events_case_id"))

    op.drop_table("case_events")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_status_due_at")
        batch_op.drop_index("ix_cases_customer_id")

    op.drop_table("cases")
