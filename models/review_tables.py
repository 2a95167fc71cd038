"""The duty team's review records: decisions (with manager sign-off), sample outcomes, labels.

A decision closes a `duty_review` or `triage_check` queue item, at once or, for outcomes that
need it, when a manager signs it off. A sample outcome is a manager's verdict on a sampled
screened-out notification. A label is what a person decided was true (contract section 5);
the latest label of a notification is the one exported.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.types import BigId, JsonDoc, UTCDateTime, utcnow

DUTY_OUTCOMES = (
    "open_case",
    "refer_for_assessment",
    "strategy_discussion",
    "early_help",
    "no_further_action",
    "close_no_child",
)
TRIAGE_OUTCOMES = ("child_involved", "confirm_screen_out")
# "Open case: pass to the allocated worker" names the case record it passes to.
CASE_RECORD_OUTCOMES = ("open_case",)
CASE_RECORD_MAX = 64
# Actions recorded with a decision (information shared), not outcomes of their own.
DECISION_ACTIONS = ("share_with_school", "share_with_health_visitor")
# Outcomes that close the item only once a manager has signed them off.
SIGNOFF_OUTCOMES = ("no_further_action", "close_no_child")
SIGNOFF_STATUSES = ("pending", "approved", "returned")
SAMPLE_OUTCOMES = ("confirm", "overturn")
LABEL_SOURCES = ("decision", "sample")
# The outcomes that say no child is involved (a duty review's, a triage check's).
NOT_INVOLVED_OUTCOMES = ("close_no_child", "confirm_screen_out")
# Queue item kinds the duty team works, the manager's sample, and the statuses of a live item.
WORK_KINDS = ("duty_review", "triage_check")
SAMPLE_KIND = "manager_sample"
LIVE = ("open", "claimed")


class ReviewError(Exception):
    """A review action that cannot be done; `code` says why (no personal data in it)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class DecisionRecord(Base):
    """A duty worker's decision on a queue item, with its written reasoning."""

    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_signoff_status", "signoff_status"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    queue_item_id: Mapped[int] = mapped_column(ForeignKey("queue_items.id"), index=True)
    notification_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("notifications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    outcome: Mapped[str] = mapped_column(String(40))
    reasoning: Mapped[str] = mapped_column(Text)
    child_involvement: Mapped[bool] = mapped_column(Boolean)
    categories: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    # For a triage check found to involve a child: the duty review priority chosen.
    priority: Mapped[str | None] = mapped_column(String(10), nullable=True)
    decided_by: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    needs_signoff: Mapped[bool] = mapped_column(Boolean, default=False)
    # None when no sign-off is needed, else pending, approved or returned.
    signoff_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    signed_off_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), nullable=True)
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    signoff_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    # For "open case": the case record the item is passed to (the allocated worker's).
    case_record_id: Mapped[str | None] = mapped_column(String(CASE_RECORD_MAX), nullable=True)
    # Recorded actions (DECISION_ACTIONS): information shared with school or health visitor.
    actions: Mapped[list[str]] = mapped_column(JsonDoc, default=list, server_default="[]")


class DecisionDraft(Base):
    """A worker's unfinished decision on an item, saved before deciding; one per item and
    worker, removed when they record the decision."""

    __tablename__ = "decision_drafts"
    __table_args__ = (
        UniqueConstraint("queue_item_id", "user_id", name="uq_decision_drafts_item_user"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    queue_item_id: Mapped[int] = mapped_column(ForeignKey("queue_items.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    outcome: Mapped[str | None] = mapped_column(String(40), nullable=True)
    reasoning: Mapped[str] = mapped_column(Text, default="")
    categories: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    actions: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    case_record_id: Mapped[str | None] = mapped_column(String(CASE_RECORD_MAX), nullable=True)
    priority: Mapped[str | None] = mapped_column(String(10), nullable=True)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SampleOutcome(Base):
    """A manager's verdict on a sampled screened-out notification; an overturn is a miss."""

    __tablename__ = "sample_outcomes"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    queue_item_id: Mapped[int] = mapped_column(ForeignKey("queue_items.id"), unique=True)
    notification_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("notifications.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(16))
    reasoning: Mapped[str] = mapped_column(Text)
    categories: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    is_miss: Mapped[bool] = mapped_column(Boolean, default=False)
    decided_by: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class LabelRecord(Base):
    """What a person decided was true of a notification (contract section 5)."""

    __tablename__ = "labels"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    notification_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("notifications.id"), index=True)
    child_involvement: Mapped[bool] = mapped_column(Boolean)
    categories: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    source: Mapped[str] = mapped_column(String(16))
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"), nullable=True)
    sample_outcome_id: Mapped[int | None] = mapped_column(
        ForeignKey("sample_outcomes.id"), nullable=True
    )
    labelled_by: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    labelled_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
