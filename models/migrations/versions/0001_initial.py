"""Initial schema: sources, API keys, notifications, results, queue, outbox, audit, staff, policy.

Hand-written to run on PostgreSQL and SQLite alike.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _id() -> sa.Column:
    return sa.Column("id", BIG_ID, primary_key=True, autoincrement=True)


def upgrade() -> None:
    op.create_table(
        "sources",
        _id(),
        sa.Column("name", sa.String(100), nullable=False),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_sources"),
        sa.UniqueConstraint("name", name="uq_sources_name"),
    )
    op.create_table(
        "staff_users",
        _id(),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(30), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _ts("created_at"),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        _ts("locked_until", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_staff_users"),
        sa.UniqueConstraint("username", name="uq_staff_users_username"),
    )
    op.create_table(
        "api_keys",
        _id(),
        sa.Column("source_id", BIG_ID, nullable=False),
        sa.Column("prefix", sa.String(32), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        _ts("created_at"),
        _ts("revoked_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_api_keys"),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name="fk_api_keys_source_id_sources"
        ),
        sa.UniqueConstraint("prefix", name="uq_api_keys_prefix"),
    )
    op.create_index("ix_api_keys_source_id", "api_keys", ["source_id"])
    op.create_table(
        "notifications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("source_id", BIG_ID, nullable=False),
        sa.Column("reference", sa.String(64), nullable=False),
        sa.Column("body_hash", sa.String(64), nullable=False),
        sa.Column("raw_json", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(200), nullable=True),
        sa.Column("address_key", sa.String(300), nullable=False),
        _ts("received_at"),
        _ts("triaged_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_notifications"),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name="fk_notifications_source_id_sources"
        ),
        sa.UniqueConstraint("source_id", "reference", name="uq_notifications_source_reference"),
    )
    op.create_index("ix_notifications_address_key", "notifications", ["address_key"])
    op.create_index(
        "ix_notifications_status_received_at", "notifications", ["status", "received_at"]
    )
    op.create_table(
        "policy_versions",
        _id(),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("policy", JSON_DOC, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("proposed_by", BIG_ID, nullable=True),
        sa.Column("approved_by", BIG_ID, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        _ts("created_at"),
        _ts("activated_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_policy_versions"),
        sa.UniqueConstraint("version", name="uq_policy_versions_version"),
        sa.ForeignKeyConstraint(
            ["proposed_by"], ["staff_users.id"], name="fk_policy_versions_proposed_by_staff_users"
        ),
        sa.ForeignKeyConstraint(
            ["approved_by"], ["staff_users.id"], name="fk_policy_versions_approved_by_staff_users"
        ),
    )
    op.create_table(
        "audit_events",
        _id(),
        _ts("at"),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("notification_id", sa.Uuid(), nullable=True),
        sa.Column("detail", JSON_DOC, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_events"),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name="fk_audit_events_notification_id_notifications",
        ),
    )
    op.create_index("ix_audit_events_at", "audit_events", ["at"])
    op.create_index("ix_audit_events_notification_id", "audit_events", ["notification_id"])
    op.create_table(
        "outbox",
        _id(),
        sa.Column("notification_id", sa.Uuid(), nullable=False),
        sa.Column("task_name", sa.String(100), nullable=False),
        _ts("created_at"),
        _ts("published_at", nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name="fk_outbox_notification_id_notifications",
        ),
    )
    op.create_index(
        "ix_outbox_unpublished",
        "outbox",
        ["id"],
        postgresql_where=sa.text("published_at IS NULL"),
        sqlite_where=sa.text("published_at IS NULL"),
    )
    op.create_index("ix_outbox_notification_id", "outbox", ["notification_id"])
    op.create_table(
        "queue_items",
        _id(),
        sa.Column("notification_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("priority", sa.String(10), nullable=False),
        _ts("deadline_at"),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("claimed_by", BIG_ID, nullable=True),
        _ts("claimed_at", nullable=True),
        _ts("created_at"),
        _ts("closed_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_queue_items"),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name="fk_queue_items_notification_id_notifications",
        ),
        sa.ForeignKeyConstraint(
            ["claimed_by"], ["staff_users.id"], name="fk_queue_items_claimed_by_staff_users"
        ),
    )
    op.create_index("ix_queue_items_notification_id", "queue_items", ["notification_id"])
    op.create_index(
        "ix_queue_items_status_priority_deadline",
        "queue_items",
        ["status", "priority", "deadline_at"],
    )
    op.create_table(
        "triage_results",
        _id(),
        sa.Column("notification_id", sa.Uuid(), nullable=False),
        sa.Column("route", sa.String(20), nullable=False),
        sa.Column("priority", sa.String(10), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("categories", JSON_DOC, nullable=False),
        sa.Column("evidence", JSON_DOC, nullable=False),
        sa.Column("reasons", JSON_DOC, nullable=False),
        sa.Column("policy_version", sa.Integer(), nullable=False),
        sa.Column("model_version", sa.String(100), nullable=False),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_triage_results"),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name="fk_triage_results_notification_id_notifications",
        ),
        sa.UniqueConstraint("notification_id", name="uq_triage_results_notification_id"),
    )


def downgrade() -> None:
    for table in (
        "triage_results",
        "queue_items",
        "outbox",
        "audit_events",
        "policy_versions",
        "notifications",
        "api_keys",
        "staff_users",
        "sources",
    ):
        op.drop_table(table)
