"""Heads of safeguarding: model registry, shadow scores, labelled imports and stored facts.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003"
down_revision = "0002"
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
        "model_registry",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("version", sa.String(100), nullable=False),
        sa.Column("stem", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("trained_on", JsonDoc, nullable=False),
        sa.Column("metrics", JsonDoc, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("registered_by", BigId, nullable=True),
        _when("registered_at"),
        sa.Column("promoted_by", BigId, nullable=True),
        _when("promoted_at", nullable=True),
        sa.Column("replaced_version", sa.String(100), nullable=True),
        sa.Column("comparison", JsonDoc, nullable=True),
        _staff_fk("model_registry", "registered_by"),
        _staff_fk("model_registry", "promoted_by"),
        sa.PrimaryKeyConstraint("id", name="pk_model_registry"),
        sa.UniqueConstraint("version", name="uq_model_registry_version"),
    )

    op.create_table(
        "shadow_scores",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("notification_id", sa.Uuid(), nullable=False),
        sa.Column("model_version", sa.String(100), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("route", sa.String(20), nullable=False),
        _when("created_at"),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name="fk_shadow_scores_notification_id_notifications",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_shadow_scores"),
        sa.UniqueConstraint(
            "notification_id", "model_version", name="uq_shadow_scores_notification_id"
        ),
    )
    op.create_index("ix_shadow_scores_model_version", "shadow_scores", ["model_version"])

    op.create_table(
        "labelled_imports",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("model_version", sa.String(100), nullable=False),
        sa.Column("imported_by", BigId, nullable=True),
        _when("imported_at"),
        _staff_fk("labelled_imports", "imported_by"),
        sa.PrimaryKeyConstraint("id", name="pk_labelled_imports"),
    )
    op.create_index("ix_labelled_imports_sha256", "labelled_imports", ["sha256"])

    op.create_table(
        "labelled_facts",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("origin", sa.String(10), nullable=False),
        sa.Column("notification_id", sa.Uuid(), nullable=True),
        sa.Column("label_id", sa.Integer(), nullable=True),
        sa.Column("import_id", BigId, nullable=True),
        sa.Column("reference", sa.String(64), nullable=False),
        _when("occurred_at"),
        sa.Column("child_involvement", sa.Boolean(), nullable=False),
        sa.Column("categories", sa.String(200), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("positive_categories", sa.String(200), nullable=False),
        sa.Column("uncertain_rules", sa.Text(), nullable=False),
        sa.Column("silent", sa.Boolean(), nullable=False),
        sa.Column("model_version", sa.String(100), nullable=False),
        _when("created_at"),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name="fk_labelled_facts_notification_id_notifications",
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["labelled_imports.id"],
            name="fk_labelled_facts_import_id_labelled_imports",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_labelled_facts"),
        sa.UniqueConstraint("notification_id", name="uq_labelled_facts_notification_id"),
    )
    op.create_index("ix_labelled_facts_import_id", "labelled_facts", ["import_id"])
    op.create_index("ix_labelled_facts_occurred_at", "labelled_facts", ["occurred_at"])


def downgrade() -> None:
    op.drop_index("ix_labelled_facts_occurred_at", table_name="labelled_facts")
    op.drop_index("ix_labelled_facts_import_id", table_name="labelled_facts")
    op.drop_table("labelled_facts")
    op.drop_index("ix_labelled_imports_sha256", table_name="labelled_imports")
    op.drop_table("labelled_imports")
    op.drop_index("ix_shadow_scores_model_version", table_name="shadow_scores")
    op.drop_table("shadow_scores")
    op.drop_table("model_registry")
