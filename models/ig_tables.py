"""Tables of information governance: legal holds, the purge log, subject access exports.

A legal hold stops the purge of one notification, or of every notification a person (given
name, family name and date of birth, over the notifications' people) appears in. The person's
identifiers are personal data, kept only for as long as the hold lives: releasing a hold
blanks them. The purge log and the export log hold counts, never names.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.types import BigId, JsonDoc, UTCDateTime, utcnow

HOLD_KINDS = ("notification", "person")


class LegalHold(Base):
    """A hold on one notification or on a person; `released_at` set ends it."""

    __tablename__ = "legal_holds"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    notification_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("notifications.id"), nullable=True, index=True
    )
    # Normalised (case-folded, accents and extra spaces removed) for matching.
    given_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    family_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    date_of_birth: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Why (a case or court reference): written by staff, never logged.
    reason: Mapped[str] = mapped_column(Text)
    placed_by: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    released_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), nullable=True)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class PurgeRun(Base):
    """One run of the purge (or a dry run): counts per class and per table, no personal data."""

    __tablename__ = "purge_runs"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    # "staff:<id>" or "system:retention".
    actor: Mapped[str] = mapped_column(String(100))
    policy_version: Mapped[int] = mapped_column(Integer)
    notifications: Mapped[int] = mapped_column(Integer, default=0)
    held: Mapped[int] = mapped_column(Integer, default=0)
    counts: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)


class SubjectAccessExport(Base):
    """A subject access export made: who made it, when, how much it held (never whose it is)."""

    __tablename__ = "subject_access_exports"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    exported_by: Mapped[str] = mapped_column(String(100))
    exported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    notifications: Mapped[int] = mapped_column(Integer, default=0)
    staff_views: Mapped[int] = mapped_column(Integer, default=0)
    third_parties: Mapped[int] = mapped_column(Integer, default=0)


class PurgedNotification(Base):
    """A notification whose personal data the purge removed: when, by which run, under which
    retention class. Its counts, route, versions and labelled facts stay where they were."""

    __tablename__ = "purged_notifications"
    notification_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("notifications.id"), primary_key=True
    )
    run_id: Mapped[int] = mapped_column(ForeignKey("purge_runs.id"), index=True)
    retention_class: Mapped[str] = mapped_column(String(40))
    purged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
