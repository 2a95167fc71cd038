"""The hand-over to case management: contact records (one per child of a decided notification,
shaped as the Standard Safeguarding Dataset's `ssd_contacts`) and the consumers' API keys.

`ContactRecord.id` is the feed position: rows are numbered under a lock in the order they are
committed (models/contacts_store.py), so a consumer reading after a position never misses one.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.types import BigId, JsonDoc, UTCDateTime, utcnow


class ContactRecord(Base):
    """One contact: a decided notification and one of its children (child_index None when the
    notification names no child). Personal details stay in the notification's raw JSON."""

    __tablename__ = "contacts"
    __table_args__ = (
        UniqueConstraint("notification_id", "child_index", name="uq_contacts_notification_child"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    contact_id: Mapped[str] = mapped_column(String(80), unique=True)
    notification_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("notifications.id"), index=True)
    # Index into the notification's `people`; -1 when no child is named.
    child_index: Mapped[int] = mapped_column(Integer)
    contact_date: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())
    outcome: Mapped[str] = mapped_column(String(40))
    outcome_flags: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    nfa: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ConsumerKey(Base):
    """A case-management system's bearer key for the contacts feed (`dvc_...`): a kind of its
    own, never a police source's key. Only its SHA-256 is kept."""

    __tablename__ = "consumer_keys"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    consumer: Mapped[str] = mapped_column(String(100), index=True)
    prefix: Mapped[str] = mapped_column(String(32), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
