"""Tables of the heads of safeguarding: the model registry, shadow scores, imported labelled
files and the stored route facts of every labelled notification (the what-if history).

Policy versions live in `models.tables.PolicyVersion` (proposal, approval and status there).
`LabelledFacts` keeps, per labelled notification, its score and the route facts
(`screening.route.Facts`) computed once at label or import time, so a what-if replays the
route rule and never re-runs the language rules or the model. Category lists are stored as
comma-joined strings: 100,000 rows load fast without JSON decoding.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.types import BigId, JsonDoc, UTCDateTime, utcnow

MODEL_STATUSES = ("candidate", "active", "retired")
FACT_ORIGINS = ("label", "import")


class ModelEntry(Base):
    """A trained triage model: its artefact, hash, what it was trained on and its metrics."""

    __tablename__ = "model_registry"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    version: Mapped[str] = mapped_column(String(100), unique=True)
    # The artefact path without suffix (`<stem>.joblib` and `<stem>.json`).
    stem: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    trained_on: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
    metrics: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="candidate")
    registered_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), nullable=True)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    promoted_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), nullable=True)
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The version that was active before this one was promoted: where a rollback returns to.
    replaced_version: Mapped[str | None] = mapped_column(String(100), nullable=True)
    # The latest shadow comparison with the active model (figures only, no personal data).
    comparison: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc, nullable=True)


class ShadowScore(Base):
    """A candidate model's score and route for a notification: recorded, never routed."""

    __tablename__ = "shadow_scores"
    __table_args__ = (
        UniqueConstraint(
            "notification_id", "model_version", name="uq_shadow_scores_notification_id"
        ),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    notification_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("notifications.id"))
    model_version: Mapped[str] = mapped_column(String(100), index=True)
    score: Mapped[float] = mapped_column(Float)
    route: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LabelledImport(Base):
    """A labelled file (contract section 5) brought into the what-if history."""

    __tablename__ = "labelled_imports"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    rows: Mapped[int] = mapped_column(Integer)
    model_version: Mapped[str] = mapped_column(String(100))
    imported_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), nullable=True)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LabelledFacts(Base):
    """One labelled notification's truth, score and route facts, stored once for replay."""

    __tablename__ = "labelled_facts"
    __table_args__ = (Index("ix_labelled_facts_import_id", "import_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    origin: Mapped[str] = mapped_column(String(10))
    # For a label recorded in the service: the notification (one row each) and the label used.
    notification_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("notifications.id"), nullable=True, unique=True
    )
    label_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("labelled_imports.id"), nullable=True
    )
    reference: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    child_involvement: Mapped[bool] = mapped_column(Boolean)
    categories: Mapped[str] = mapped_column(String(200), default="")
    score: Mapped[float] = mapped_column(Float)
    positive_categories: Mapped[str] = mapped_column(String(200), default="")
    uncertain_rules: Mapped[str] = mapped_column(Text, default="")
    silent: Mapped[bool] = mapped_column(Boolean)
    model_version: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
