"""The database tables of the intake pipeline, the duty queue, audit and staff (SQLAlchemy 2).

Names here are stable: the web app's review tables (models/review_tables.py) refer to them.
Enumerated columns are plain strings checked in code (the `*_VALUES` tuples), so later
migrations can add a value without rebuilding SQLite tables.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Boolean,
    Case,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    case,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.deadlines import DeadlineRule
from models.types import BigId, JsonDoc, UTCDateTime, utcnow

NOTIFICATION_STATUSES = ("received", "triaged", "failed")
QUEUE_KINDS = ("duty_review", "triage_check", "manager_sample")
QUEUE_STATUSES = ("open", "claimed", "closed")
PRIORITIES = ("urgent", "high", "normal")
STAFF_ROLES = ("duty_worker", "manager", "head_of_safeguarding", "admin")
POLICY_STATUSES = ("proposed", "active", "retired")
TRIAGE_TASK = "dvscreen.triage"


class Source(Base):
    """A police system (force) that sends notifications."""

    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ApiKey(Base):
    """A source's bearer key: only its SHA-256 is kept; `prefix` finds it without a scan."""

    __tablename__ = "api_keys"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    prefix: Mapped[str] = mapped_column(String(32), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class NotificationRecord(Base):
    """One notification as received, with its pipeline status."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("source_id", "reference", name="uq_notifications_source_reference"),
        Index("ix_notifications_status_received_at", "status", "received_at"),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid(), primary_key=True, default=uuid.uuid4)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    reference: Mapped[str] = mapped_column(String(64))
    # SHA-256 of the canonical form of the parsed JSON (sorted keys): decides 200 versus 409.
    body_hash: Mapped[str] = mapped_column(String(64))
    # The JSON text exactly as received (for a batch item: that item's JSON).
    raw_json: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="received")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # An exception class and short code; never personal data.
    last_error: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # Normalised postcode and first line, to find earlier notifications at the same address.
    address_key: Mapped[str] = mapped_column(String(300), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    triaged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Set ahead by the worker triaging it; run out while still `received` = its worker died.
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class TriageResult(Base):
    """The screening result; UNIQUE notification_id is the idempotency guard of triage."""

    __tablename__ = "triage_results"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    notification_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("notifications.id"), unique=True)
    route: Mapped[str] = mapped_column(String(20))
    priority: Mapped[str | None] = mapped_column(String(10), nullable=True)
    score: Mapped[float] = mapped_column(Float)
    categories: Mapped[list[str]] = mapped_column(JsonDoc)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JsonDoc)
    reasons: Mapped[list[str]] = mapped_column(JsonDoc)
    policy_version: Mapped[int] = mapped_column(Integer)
    model_version: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class QueueItem(Base):
    """Work for a person: duty review, a triage check, or a manager's sample."""

    __tablename__ = "queue_items"
    __table_args__ = (
        Index("ix_queue_items_status_priority_deadline", "status", "priority", "deadline_at"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    notification_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("notifications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    priority: Mapped[str] = mapped_column(String(10))
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default="open")
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class OutboxRow(Base):
    """A task to publish to the broker, written in the same transaction as its notification
    (triage) or its job (models/job_tables.py): exactly one of the two ids is set."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index(
            "ix_outbox_unpublished",
            "id",
            postgresql_where=text("published_at IS NULL"),
            sqlite_where=text("published_at IS NULL"),
        ),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    notification_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("notifications.id"), index=True, nullable=True
    )
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"), nullable=True)
    task_name: Mapped[str] = mapped_column(String(100), default=TRIAGE_TASK)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)


class AuditEvent(Base):
    """Who did what, when, to which notification. `detail` holds no personal data."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    # "staff:<id>", "source:<id>" or "system:<component>".
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(100))
    notification_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("notifications.id"), nullable=True, index=True
    )
    detail: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)


class StaffAccount(Base):
    """A member of staff who signs in to the web app."""

    __tablename__ = "staff_users"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(30))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Each signed session carries the version it was issued under; logout, deactivation and a
    # password change bump it, ending every copy of every session of this user at once.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class LoginThrottle(Base):
    """Failed sign-ins per (client address, username), keyed by a keyed hash of the pair; the
    same for names that exist and names that do not."""

    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PolicyVersion(Base):
    """A version of the screening policy (screening.policy.Policy as JSON)."""

    __tablename__ = "policy_versions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    policy: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    reason: Mapped[str] = mapped_column(Text, default="")
    proposed_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), nullable=True)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


PRIORITY_RANK = {"urgent": 0, "high": 1, "normal": 2}


def deadline_at(received_at: datetime, priority: str, hours: Mapping[str, int]) -> datetime:
    """The deadline rule: a priority's hours (the active policy's) from the notification's
    receipt, in working time where the policy says so (`hours` is then a
    `models.deadlines.DeadlineRule`). The triage result's queue item and every later duty item
    use it."""
    if isinstance(hours, DeadlineRule):
        return hours.due(received_at, priority)
    return received_at + timedelta(hours=int(hours[priority]))


def priority_rank() -> Case[int]:
    """An ORDER BY expression putting urgent first, then high, then normal."""
    return case(PRIORITY_RANK, value=QueueItem.priority, else_=3)
