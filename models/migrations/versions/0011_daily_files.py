"""Daily file imports, column mappings and the contacts feed (issue 12).

`file_mappings`: each source's column mapping for its daily file. `file_imports`: each import
of a file, its progress and its rejected rows. `contacts`: the hand-over to case management,
one row per child of a decided notification, numbered in commit order (the feed position).
`consumer_keys`: the case-management system's API keys, a kind apart from police sources'.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JsonDoc = sa.JSON().with_variant(JSONB(), "postgresql")


def _when() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "file_mappings",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("source_id", BigId, nullable=False),
        sa.Column("mapping", JsonDoc, nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("updated_at", _when(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name="fk_file_mappings_source_id_sources"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_file_mappings"),
        sa.UniqueConstraint("source_id", name="uq_file_mappings_source_id"),
    )
    op.create_table(
        "file_imports",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("source_id", BigId, nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("file_hash", sa.String(64), nullable=False),
        sa.Column("started_by", sa.String(100), nullable=False),
        sa.Column("started_at", _when(), nullable=False),
        sa.Column("finished_at", _when(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("total_rows", sa.Integer(), nullable=False),
        sa.Column("processed_rows", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("repeated", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("problems", JsonDoc, nullable=False),
        sa.Column("error", sa.String(300), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name="fk_file_imports_source_id_sources"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_file_imports"),
    )
    op.create_index("ix_file_imports_source_id", "file_imports", ["source_id"])
    op.create_index("ix_file_imports_file_hash", "file_imports", ["file_hash"])
    op.create_table(
        "contacts",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("contact_id", sa.String(80), nullable=False),
        sa.Column("notification_id", sa.Uuid(), nullable=False),
        sa.Column("child_index", sa.Integer(), nullable=False),
        sa.Column("contact_date", _when(), nullable=False),
        sa.Column("decided_at", _when(), nullable=False),
        sa.Column("outcome", sa.String(40), nullable=False),
        sa.Column("outcome_flags", JsonDoc, nullable=False),
        sa.Column("nfa", sa.Boolean(), nullable=False),
        sa.Column("created_at", _when(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name="fk_contacts_notification_id_notifications",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_contacts"),
        sa.UniqueConstraint("contact_id", name="uq_contacts_contact_id"),
        sa.UniqueConstraint(
            "notification_id", "child_index", name="uq_contacts_notification_child"
        ),
    )
    op.create_index("ix_contacts_notification_id", "contacts", ["notification_id"])
    op.create_table(
        "consumer_keys",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("consumer", sa.String(100), nullable=False),
        sa.Column("prefix", sa.String(32), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("created_at", _when(), nullable=False),
        sa.Column("revoked_at", _when(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_consumer_keys"),
        sa.UniqueConstraint("prefix", name="uq_consumer_keys_prefix"),
    )
    op.create_index("ix_consumer_keys_consumer", "consumer_keys", ["consumer"])


def downgrade() -> None:
    op.drop_index("ix_consumer_keys_consumer", table_name="consumer_keys")
    op.drop_table("consumer_keys")
    op.drop_index("ix_contacts_notification_id", table_name="contacts")
    op.drop_table("contacts")
    op.drop_index("ix_file_imports_file_hash", table_name="file_imports")
    op.drop_index("ix_file_imports_source_id", table_name="file_imports")
    op.drop_table("file_imports")
    op.drop_table("file_mappings")
