"""A duty worker's own casework: the draft of a decision saved before deciding (one per item
and worker, removed when the decision is recorded) and the history of their decisions."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.queue_store import has_pending
from models.review_tables import (
    CASE_RECORD_MAX,
    DECISION_ACTIONS,
    DecisionDraft,
    DecisionRecord,
    ReviewError,
)
from models.tables import NotificationRecord, QueueItem

# A draft is a note, not a document: long enough for any reasoning, bounded all the same.
DRAFT_MAX = 20_000


@dataclass(frozen=True)
class Draft:
    outcome: str | None
    reasoning: str
    categories: list[str]
    actions: list[str]
    case_record_id: str | None
    priority: str | None
    saved_at: datetime


def get_draft(session: Session, *, item_id: int, user_id: int) -> Draft | None:
    row = session.scalar(
        select(DecisionDraft).where(
            DecisionDraft.queue_item_id == item_id, DecisionDraft.user_id == user_id
        )
    )
    if row is None:
        return None
    return Draft(
        row.outcome,
        row.reasoning,
        list(row.categories or []),
        list(row.actions or []),
        row.case_record_id,
        row.priority,
        row.saved_at,
    )


def save_draft(
    session: Session,
    *,
    item_id: int,
    user_id: int,
    outcome: str | None,
    reasoning: str,
    categories: Sequence[str],
    actions: Sequence[str],
    case_record_id: str | None,
    priority: str | None,
    now: datetime,
) -> None:
    """Keep the worker's unfinished decision on an item they hold (replacing their last)."""
    item = session.get(QueueItem, item_id)
    if item is None:
        raise ReviewError("not_found")
    if item.status != "claimed" or item.claimed_by != user_id:
        raise ReviewError("not_claimed_by_you")
    if has_pending(session, item_id=item_id):
        raise ReviewError("awaiting_signoff")
    if len(reasoning) > DRAFT_MAX:
        raise ReviewError("draft_too_long")
    values = {
        "outcome": (outcome or None) and outcome[:40],
        "reasoning": reasoning,
        "categories": [str(c)[:40] for c in categories][:20],
        "actions": [a for a in DECISION_ACTIONS if a in actions],
        "case_record_id": ((case_record_id or "").strip() or None)
        and (case_record_id or "").strip()[:CASE_RECORD_MAX],
        "priority": (priority or None) and priority[:10],
        "saved_at": now,
    }
    row = session.scalar(
        select(DecisionDraft)
        .where(DecisionDraft.queue_item_id == item_id, DecisionDraft.user_id == user_id)
        .with_for_update()
    )
    if row is None:
        session.add(DecisionDraft(queue_item_id=item_id, user_id=user_id, **values))
    else:
        for key, value in values.items():
            setattr(row, key, value)
    session.flush()


@dataclass(frozen=True)
class MyDecision:
    decision_id: int
    item_id: int
    notification_id: uuid.UUID
    reference: str
    kind: str
    outcome: str
    decided_at: datetime
    signoff_status: str | None
    signoff_note: str | None
    case_record_id: str | None
    actions: list[str]


@dataclass(frozen=True)
class MyDecisionsPage:
    rows: list[MyDecision]
    total: int
    returned: int
    page: int
    pages: int


def my_decisions(
    session: Session, *, user_id: int, page: int = 1, per_page: int = 50
) -> MyDecisionsPage:
    """The user's decisions, newest first, with how many were returned to them."""
    total = int(
        session.scalar(
            select(func.count()).select_from(DecisionRecord).where(
                DecisionRecord.decided_by == user_id
            )
        )
        or 0
    )
    returned = int(
        session.scalar(
            select(func.count()).select_from(DecisionRecord).where(
                DecisionRecord.decided_by == user_id,
                DecisionRecord.signoff_status == "returned",
            )
        )
        or 0
    )
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    stmt = (
        select(
            DecisionRecord.id,
            DecisionRecord.queue_item_id,
            DecisionRecord.notification_id,
            NotificationRecord.reference,
            DecisionRecord.kind,
            DecisionRecord.outcome,
            DecisionRecord.decided_at,
            DecisionRecord.signoff_status,
            DecisionRecord.signoff_note,
            DecisionRecord.case_record_id,
            DecisionRecord.actions,
        )
        .join(NotificationRecord, NotificationRecord.id == DecisionRecord.notification_id)
        .where(DecisionRecord.decided_by == user_id)
        .order_by(DecisionRecord.decided_at.desc(), DecisionRecord.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    rows = [
        MyDecision(*row[:10], list(row[10] or [])) for row in session.execute(stmt)
    ]
    return MyDecisionsPage(rows, total, returned, page, pages)
