"""Background jobs (training, label sync) and their progress (issue 11).

A `jobs` table, and the outbox carries a job as well as a notification: `outbox.job_id` is
added and `outbox.notification_id` may be empty (a job's row). On SQLite the outbox is rebuilt
(batch mode) to drop the NOT NULL; its partial index on unpublished rows is made again.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("message", sa.String(200), nullable=True),
        sa.Column("result", JSON_DOC, nullable=True),
        sa.Column("requested_by", BIG_ID, nullable=True),
        _ts("created_at"),
        _ts("started_at", nullable=True),
        _ts("finished_at", nullable=True),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_jobs"),
        sa.ForeignKeyConstraint(
            ["requested_by"], ["staff_users.id"], name="fk_jobs_requested_by_staff_users"
        ),
    )
    op.create_index("ix_jobs_kind_created_at", "jobs", ["kind", "created_at"])
    op.drop_index("ix_outbox_unpublished", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("job_id", BIG_ID, nullable=True))
        batch.alter_column("notification_id", existing_type=sa.Uuid(), nullable=True)
        batch.create_foreign_key("fk_outbox_job_id_jobs", "jobs", ["job_id"], ["id"])
    _unpublished_index()


def _unpublished_index() -> None:
    op.create_index(
        "ix_outbox_unpublished",
        "outbox",
        ["id"],
        postgresql_where=sa.text("published_at IS NULL"),
        sqlite_where=sa.text("published_at IS NULL"),
    )


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM outbox WHERE job_id IS NOT NULL"))
    op.drop_index("ix_outbox_unpublished", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("fk_outbox_job_id_jobs", type_="foreignkey")
        batch.drop_column("job_id")
        batch.alter_column("notification_id", existing_type=sa.Uuid(), nullable=False)
    _unpublished_index()
    op.drop_index("ix_jobs_kind_created_at", table_name="jobs")
    op.drop_table("jobs")
