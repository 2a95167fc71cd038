"""Review records of the duty team web app: decisions, sample outcomes, labels.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JsonDoc = sa.JSON().with_variant(JSONB(), "postgresql")


def _when() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "decisions",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("queue_item_id", BigId, nullable=False),
        sa.Column("notification_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("outcome", sa.String(40), nullable=False),
        sa.Column("reasoning", sa.Text(), nullable=False),
        sa.Column("child_involvement", sa.Boolean(), nullable=False),
        sa.Column("categories", JsonDoc, nullable=False),
        sa.Column("priority", sa.String(10), nullable=True),
        sa.Column("decided_by", BigId, nullable=False),
        sa.Column("decided_at", _when(), nullable=False),
        sa.Column("needs_signoff", sa.Boolean(), nullable=False),
        sa.Column("signoff_status", sa.String(16), nullable=True),
        sa.Column("signed_off_by", BigId, nullable=True),
        sa.Column("signed_off_at", _when(), nullable=True),
        sa.Column("signoff_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["queue_item_id"], ["queue_items.id"], name="fk_decisions_queue_item_id_queue_items"
        ),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name="fk_decisions_notification_id_notifications",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["staff_users.id"], name="fk_decisions_decided_by_staff_users"
        ),
        sa.ForeignKeyConstraint(
            ["signed_off_by"], ["staff_users.id"], name="fk_decisions_signed_off_by_staff_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_decisions"),
    )
    op.create_index("ix_decisions_queue_item_id", "decisions", ["queue_item_id"])
    op.create_index("ix_decisions_notification_id", "decisions", ["notification_id"])
    op.create_index("ix_decisions_signoff_status", "decisions", ["signoff_status"])

    op.create_table(
        "sample_outcomes",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("queue_item_id", BigId, nullable=False),
        sa.Column("notification_id", sa.Uuid(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("reasoning", sa.Text(), nullable=False),
        sa.Column("categories", JsonDoc, nullable=False),
        sa.Column("is_miss", sa.Boolean(), nullable=False),
        sa.Column("decided_by", BigId, nullable=False),
        sa.Column("decided_at", _when(), nullable=False),
        sa.ForeignKeyConstraint(
            ["queue_item_id"],
            ["queue_items.id"],
            name="fk_sample_outcomes_queue_item_id_queue_items",
        ),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name="fk_sample_outcomes_notification_id_notifications",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["staff_users.id"], name="fk_sample_outcomes_decided_by_staff_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_sample_outcomes"),
        sa.UniqueConstraint("queue_item_id", name="uq_sample_outcomes_queue_item_id"),
    )
    op.create_index("ix_sample_outcomes_notification_id", "sample_outcomes", ["notification_id"])
    op.create_index("ix_sample_outcomes_decided_at", "sample_outcomes", ["decided_at"])

    op.create_table(
        "labels",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("notification_id", sa.Uuid(), nullable=False),
        sa.Column("child_involvement", sa.Boolean(), nullable=False),
        sa.Column("categories", JsonDoc, nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("decision_id", BigId, nullable=True),
        sa.Column("sample_outcome_id", BigId, nullable=True),
        sa.Column("labelled_by", BigId, nullable=False),
        sa.Column("labelled_at", _when(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name="fk_labels_notification_id_notifications",
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name="fk_labels_decision_id_decisions"
        ),
        sa.ForeignKeyConstraint(
            ["sample_outcome_id"],
            ["sample_outcomes.id"],
            name="fk_labels_sample_outcome_id_sample_outcomes",
        ),
        sa.ForeignKeyConstraint(
            ["labelled_by"], ["staff_users.id"], name="fk_labels_labelled_by_staff_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_labels"),
    )
    op.create_index("ix_labels_notification_id", "labels", ["notification_id"])


def downgrade() -> None:
    op.drop_index("ix_labels_notification_id", table_name="labels")
    op.drop_table("labels")
    op.drop_index("ix_sample_outcomes_decided_at", table_name="sample_outcomes")
    op.drop_index("ix_sample_outcomes_notification_id", table_name="sample_outcomes")
    op.drop_table("sample_outcomes")
    op.drop_index("ix_decisions_signoff_status", table_name="decisions")
    op.drop_index("ix_decisions_notification_id", table_name="decisions")
    op.drop_index("ix_decisions_queue_item_id", table_name="decisions")
    op.drop_table("decisions")
