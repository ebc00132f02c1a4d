"""The advocate programme: advocates kept over time and their log, tasks, rewards and
settings; referrals and their links' visits; messages to customers (thank-yous, review
invitations) with their audit.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 05:24:52.948355
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "advocate_settings",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column(
            "value",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=320), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_advocate_settings")),
    )
    op.create_table(
        "advocate_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=320), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column(
            "detail",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_advocate_events_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advocate_events")),
    )
    with op.batch_alter_table("advocate_events", schema=None) as batch_op:
        batch_op.create_index("ix_advocate_events_customer_at", ["customer_id", "at"], unique=False)

    op.create_table(
        "advocates",
        sa.Column(
            "customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column(
            "reasons",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("since", sa.DateTime(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.Column("evaluated_at", sa.DateTime(), nullable=False),
        sa.Column("owner", sa.String(length=320), nullable=True),
        sa.Column("referral_code", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_advocates_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_advocates")),
        sa.UniqueConstraint("referral_code", name=op.f("uq_advocates_referral_code")),
    )
    with op.batch_alter_table("advocates", schema=None) as batch_op:
        batch_op.create_index("ix_advocates_status_score", ["status", "score"], unique=False)

    op.create_table(
        "referral_clicks",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "advocate_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["advocate_id"], ["customers.id"], name=op.f("fk_referral_clicks_advocate_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_clicks")),
    )
    with op.batch_alter_table("referral_clicks", schema=None) as batch_op:
        batch_op.create_index("ix_referral_clicks_advocate_at", ["advocate_id", "at"], unique=False)

    op.create_table(
        "referrals",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "advocate_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "referred_customer_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("attributed_at", sa.DateTime(), nullable=False),
        sa.Column("attributed_by", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(
            ["advocate_id"], ["customers.id"], name=op.f("fk_referrals_advocate_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["referred_customer_id"],
            ["customers.id"],
            name=op.f("fk_referrals_referred_customer_id_customers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
        sa.UniqueConstraint("referred_customer_id", name=op.f("uq_referrals_referred_customer_id")),
    )
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referrals_advocate_id"), ["advocate_id"], unique=False)

    op.create_table(
        "advocate_tasks",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("owner", sa.String(length=320), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("done_by", sa.String(length=320), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column(
            "feedback_item_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("order_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("reminders", sa.Integer(), nullable=False),
        sa.Column("next_reminder_at", sa.DateTime(), nullable=True),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        sa.Column(
            "details",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_advocate_tasks_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["feedback_item_id"],
            ["feedback_items.id"],
            name=op.f("fk_advocate_tasks_feedback_item_id_feedback_items"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_advocate_tasks_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advocate_tasks")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_advocate_tasks_dedupe_key")),
    )
    with op.batch_alter_table("advocate_tasks", schema=None) as batch_op:
        batch_op.create_index("ix_advocate_tasks_customer_id", ["customer_id"], unique=False)
        batch_op.create_index("ix_advocate_tasks_status_due_at", ["status", "due_at"], unique=False)

    op.create_table(
        "customer_messages",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=True),
        sa.Column("subject", sa.String(length=300), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("to_address", sa.String(length=320), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("order_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "feedback_item_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column(
            "audit",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_customer_messages_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["feedback_item_id"],
            ["feedback_items.id"],
            name=op.f("fk_customer_messages_feedback_item_id_feedback_items"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_customer_messages_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_messages")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_customer_messages_dedupe_key")),
    )
    with op.batch_alter_table("customer_messages", schema=None) as batch_op:
        batch_op.create_index("ix_customer_messages_customer_id", ["customer_id"], unique=False)
        batch_op.create_index(
            "ix_customer_messages_kind_created_at", ["kind", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_customer_messages_status_next_attempt_at",
            ["status", "next_attempt_at"],
            unique=False,
        )

    op.create_table(
        "advocate_rewards",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=True),
        sa.Column("amount", sa.Numeric(precision=18, scale=4, asdecimal=False), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("milestone", sa.String(length=60), nullable=True),
        sa.Column("task_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("given_at", sa.DateTime(), nullable=False),
        sa.Column("given_by", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_advocate_rewards_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["advocate_tasks.id"],
            name=op.f("fk_advocate_rewards_task_id_advocate_tasks"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advocate_rewards")),
    )
    with op.batch_alter_table("advocate_rewards", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_advocate_rewards_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_advocate_rewards_given_at"), ["given_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("advocate_rewards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_advocate_rewards_given_at"))
        batch_op.drop_index(batch_op.f("ix_advocate_rewards_customer_id"))

    op.drop_table("advocate_rewards")
    with op.batch_alter_table("customer_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_messages_status_next_attempt_at")
        batch_op.drop_index("ix_customer_messages_kind_created_at")
        batch_op.drop_index("ix_customer_messages_customer_id")

    op.drop_table("customer_messages")
    with op.batch_alter_table("advocate_tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_advocate_tasks_status_due_at")
        batch_op.drop_index("ix_advocate_tasks_customer_id")

    op.drop_table("advocate_tasks")
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referrals_advocate_id"))

    op.drop_table("referrals")
    with op.batch_alter_table("referral_clicks", schema=None) as batch_op:
        batch_op.drop_index("ix_referral_clicks_advocate_at")

    op.drop_table("referral_clicks")
    with op.batch_alter_table("advocates", schema=None) as batch_op:
        batch_op.drop_index("ix_advocates_status_score")

    op.drop_table("advocates")
    with op.batch_alter_table("advocate_events", schema=None) as batch_op:
        batch_op.drop_index("ix_advocate_events_customer_at")

    op.drop_table("advocate_events")
    op.drop_table("advocate_settings")
