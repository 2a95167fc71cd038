"""Retention, legal holds, subject access and equality monitoring (issue 13): legal holds, purge
runs, the purged notifications and the subject access exports.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JsonDoc = sa.JSON().with_variant(JSONB(), "postgresql")


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _staff_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["staff_users.id"], name=f"fk_{table}_{column}_staff_users"
    )


def upgrade() -> None:
    op.create_table(
        "legal_holds",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("notification_id", sa.Uuid(), nullable=True),
        sa.Column("given_name", sa.String(100), nullable=True),
        sa.Column("family_name", sa.String(100), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("placed_by", BigId, nullable=False),
        _when("placed_at"),
        sa.Column("released_by", BigId, nullable=True),
        _when("released_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["notification_id"], ["notifications.id"],
            name="fk_legal_holds_notification_id_notifications",
        ),
        _staff_fk("legal_holds", "placed_by"),
        _staff_fk("legal_holds", "released_by"),
        sa.PrimaryKeyConstraint("id", name="pk_legal_holds"),
    )
    op.create_index("ix_legal_holds_notification_id", "legal_holds", ["notification_id"])
    op.create_table(
        "purge_runs",
        sa.Column("id", BigId, primary_key=True),
        _when("started_at"),
        _when("finished_at", nullable=True),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("policy_version", sa.Integer(), nullable=False),
        sa.Column("notifications", sa.Integer(), nullable=False),
        sa.Column("held", sa.Integer(), nullable=False),
        sa.Column("counts", JsonDoc, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_purge_runs"),
    )
    op.create_table(
        "purged_notifications",
        sa.Column("notification_id", sa.Uuid(), nullable=False),
        sa.Column("run_id", BigId, nullable=False),
        sa.Column("retention_class", sa.String(40), nullable=False),
        _when("purged_at"),
        sa.ForeignKeyConstraint(
            ["notification_id"], ["notifications.id"],
            name="fk_purged_notifications_notification_id_notifications",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["purge_runs.id"], name="fk_purged_notifications_run_id_purge_runs"
        ),
        sa.PrimaryKeyConstraint("notification_id", name="pk_purged_notifications"),
    )
    op.create_index("ix_purged_notifications_run_id", "purged_notifications", ["run_id"])
    op.create_table(
        "subject_access_exports",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("exported_by", sa.String(100), nullable=False),
        _when("exported_at"),
        sa.Column("notifications", sa.Integer(), nullable=False),
        sa.Column("staff_views", sa.Integer(), nullable=False),
        sa.Column("third_parties", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_subject_access_exports"),
    )


def downgrade() -> None:
    op.drop_table("subject_access_exports")
    op.drop_index("ix_purged_notifications_run_id", table_name="purged_notifications")
    op.drop_table("purged_notifications")
    op.drop_table("purge_runs")
    op.drop_index("ix_legal_holds_notification_id", table_name="legal_holds")
    op.drop_table("legal_holds")
