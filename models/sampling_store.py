"""The manager's sample of screened-out notifications: the open sample items, the totals
confirmed and overturned, and a verdict. An overturn is a known miss: the notification goes to
duty review as urgent, and the verdict is a label like any decision.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.audit import staff_actor, write_audit
from models.label_store import label_categories, required_reasoning, write_label
from models.queue_store import close_item, queue_for_duty
from models.review_tables import LIVE, SAMPLE_KIND, SAMPLE_OUTCOMES, ReviewError, SampleOutcome
from models.tables import NotificationRecord, QueueItem, TriageResult


@dataclass(frozen=True)
class SampleRow:
    item_id: int
    notification_id: uuid.UUID
    reference: str
    received_at: datetime
    score: float | None
    deadline_at: datetime


@dataclass(frozen=True)
class SampleSummary:
    open_items: list[SampleRow]
    confirmed: int
    overturned: int


def list_sample(session: Session) -> SampleSummary:
    stmt = (
        select(
            QueueItem.id,
            QueueItem.notification_id,
            NotificationRecord.reference,
            NotificationRecord.received_at,
            TriageResult.score,
            QueueItem.deadline_at,
        )
        .join(NotificationRecord, NotificationRecord.id == QueueItem.notification_id)
        .outerjoin(TriageResult, TriageResult.notification_id == QueueItem.notification_id)
        .where(QueueItem.kind == SAMPLE_KIND, QueueItem.status.in_(LIVE))
        .order_by(QueueItem.deadline_at, QueueItem.id)
    )
    rows = [SampleRow(*row) for row in session.execute(stmt)]
    totals = {
        outcome: int(count)
        for outcome, count in session.execute(
            select(SampleOutcome.outcome, func.count()).group_by(SampleOutcome.outcome)
        )
    }
    return SampleSummary(rows, totals.get("confirm", 0), totals.get("overturn", 0))


def misses_found(session: Session) -> int:
    """Screened-out notifications that a manager overturned: the known misses."""
    return int(
        session.scalar(select(func.count()).select_from(SampleOutcome).where(SampleOutcome.is_miss))
        or 0
    )


def sample_verdict(
    session: Session,
    *,
    item_id: int,
    manager_id: int,
    outcome: str,
    reasoning: str,
    categories: Sequence[str],
    deadline_hours: Mapping[str, int],
    now: datetime,
) -> int | None:
    """Confirm or overturn a sampled screen-out. An overturn is a miss: the notification goes
    to duty review as urgent. Returns the new duty item's id on an overturn."""
    if outcome not in SAMPLE_OUTCOMES:
        raise ReviewError("invalid_outcome")
    item = session.get(QueueItem, item_id)
    if item is None or item.kind != SAMPLE_KIND:
        raise ReviewError("not_found")
    reasoning = required_reasoning(reasoning)
    overturn = outcome == "overturn"
    chosen = label_categories(categories, involved=overturn)
    close_item(session, item_id=item.id, now=now, holder=None)
    verdict = SampleOutcome(
        queue_item_id=item.id,
        notification_id=item.notification_id,
        outcome=outcome,
        reasoning=reasoning,
        categories=chosen,
        is_miss=overturn,
        decided_by=manager_id,
        decided_at=now,
    )
    session.add(verdict)
    session.flush()
    write_label(
        session,
        notification_id=item.notification_id,
        involved=overturn,
        categories=chosen,
        labelled_by=manager_id,
        now=now,
        sample_outcome_id=verdict.id,
    )
    new_item_id = (
        queue_for_duty(
            session,
            notification_id=item.notification_id,
            priority="urgent",
            deadline_hours=deadline_hours,
            now=now,
        ).id
        if overturn
        else None
    )
    write_audit(
        session,
        actor=staff_actor(manager_id),
        action="sample_overturned" if overturn else "sample_confirmed",
        notification_id=item.notification_id,
        detail={"item": item.id, "sample_outcome": verdict.id, "new_item": new_item_id},
        now=now,
    )
    return new_item_id
