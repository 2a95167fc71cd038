"""What the item page says around one notification: the force that sent it, earlier
notifications at the same address (with the item to open for each), who set the item's
priority when a person did, and the policy version its result was made under."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.review_tables import DecisionRecord, SampleOutcome
from models.tables import (
    NotificationRecord,
    PolicyVersion,
    QueueItem,
    Source,
    StaffAccount,
    TriageResult,
)


@dataclass(frozen=True)
class EarlierNotification:
    notification_id: uuid.UUID
    reference: str
    received_at: datetime
    route: str | None
    outcome: str | None
    # The newest queue item of that notification (None: screened out and never queued).
    item_id: int | None = None
    source_name: str | None = None


def earlier_at_address(
    session: Session, *, notification: NotificationRecord, limit: int = 20
) -> list[EarlierNotification]:
    """Notifications received before this one at the same address key, newest first, each with
    its route, the latest human outcome (a decision, else a sample verdict) and its item."""
    if not notification.address_key:
        return []
    stmt = (
        select(
            NotificationRecord.id,
            NotificationRecord.reference,
            NotificationRecord.received_at,
            TriageResult.route,
            Source.name,
        )
        .outerjoin(TriageResult, TriageResult.notification_id == NotificationRecord.id)
        .join(Source, Source.id == NotificationRecord.source_id)
        .where(
            NotificationRecord.address_key == notification.address_key,
            NotificationRecord.id != notification.id,
            NotificationRecord.received_at <= notification.received_at,
        )
        .order_by(NotificationRecord.received_at.desc())
        .limit(limit)
    )
    earlier = session.execute(stmt).all()
    ids = [row[0] for row in earlier]
    outcomes: dict[uuid.UUID, str] = {}
    items: dict[uuid.UUID, int] = {}
    if ids:
        for nid, outcome, status in session.execute(
            select(
                DecisionRecord.notification_id,
                DecisionRecord.outcome,
                DecisionRecord.signoff_status,
            )
            .where(DecisionRecord.notification_id.in_(ids))
            .order_by(DecisionRecord.decided_at, DecisionRecord.id)
        ).all():
            outcomes[nid] = outcome + (" (awaiting sign-off)" if status == "pending" else "")
        for nid, outcome in session.execute(
            select(SampleOutcome.notification_id, SampleOutcome.outcome).where(
                SampleOutcome.notification_id.in_(ids)
            )
        ).all():
            outcomes.setdefault(nid, f"sample_{outcome}")
        for nid, item_id in session.execute(
            select(QueueItem.notification_id, QueueItem.id)
            .where(QueueItem.notification_id.in_(ids))
            .order_by(QueueItem.id)
        ).all():
            items[nid] = item_id
    return [
        EarlierNotification(n, ref, at, route, outcomes.get(n), items.get(n), source)
        for n, ref, at, route, source in earlier
    ]


@dataclass(frozen=True)
class ItemContext:
    source_name: str | None
    # "Dora Smith chose it at the triage check" when a person set this item's priority.
    priority_set_by: str | None
    # The policy JSON the result was made under (None when that version is not stored).
    result_policy: dict[str, Any] | None


def item_context(
    session: Session, *, item: QueueItem, notification: NotificationRecord,
    result: TriageResult | None,
) -> ItemContext:
    source_name = session.scalar(select(Source.name).where(Source.id == notification.source_id))
    set_by: str | None = None
    if item.kind == "duty_review":
        overturned = session.scalar(
            select(SampleOutcome.id).where(
                SampleOutcome.notification_id == notification.id,
                SampleOutcome.outcome == "overturn",
            )
        )
        if overturned is not None:
            set_by = "a manager overturned the screen-out (a missed child)"
        else:
            chooser = session.execute(
                select(StaffAccount.username)
                .join(DecisionRecord, DecisionRecord.decided_by == StaffAccount.id)
                .where(
                    DecisionRecord.notification_id == notification.id,
                    DecisionRecord.kind == "triage_check",
                    DecisionRecord.priority.is_not(None),
                )
                .order_by(DecisionRecord.id.desc())
                .limit(1)
            ).scalar()
            if chooser is not None:
                set_by = f"chosen by {chooser} at the triage check, who found a child involved"
    policy = None
    if result is not None:
        policy = session.scalar(
            select(PolicyVersion.policy).where(PolicyVersion.version == result.policy_version)
        )
    return ItemContext(source_name, set_by, dict(policy) if policy is not None else None)
