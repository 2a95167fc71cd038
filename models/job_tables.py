"""Background jobs a head of safeguarding starts from the web (training a candidate model,
comparing a candidate with the active model in shadow, bringing the what-if history up to date
with the service's labels): what was asked, by whom,
how far it has got and how it ended. A job reaches a worker through the outbox
(`OutboxRow.job_id`, task `JOB_TASK`), so starting one needs no broker.

`message` is a short sentence for the page, never personal data; `params` says what the job works
on (a model version) and `result` holds ids and counts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.types import BigId, JsonDoc, UTCDateTime, utcnow

JOB_TASK = "dvscreen.governance_job"
JOB_KINDS = ("train_model", "compare_model", "sync_labels")
JOB_STATUSES = ("queued", "running", "succeeded", "failed")
UNFINISHED = ("queued", "running")


class JobRecord(Base):
    """One background job and its progress (`done` of `total` steps)."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_kind_created_at", "kind", "created_at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int | None] = mapped_column(Integer, nullable=True)
    message: Mapped[str | None] = mapped_column(String(200), nullable=True)
    params: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc, nullable=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc, nullable=True)
    # Who asked (None: the service's own schedule).
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
