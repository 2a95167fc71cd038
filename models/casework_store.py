"""Casework on one item: reading it (the notification, its result, decisions), a duty
worker's decision, and a manager's sign-off.

Outcomes that need sign-off leave the item held until a manager signs; the others close it and
write a label at once. Nobody signs off their own decision. Deadlines are hours per priority
given by the caller (the active screening policy).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, aliased

from models.audit import staff_actor, write_audit
from models.db import changed_one
from models.label_store import label_categories, required_reasoning, write_label
from models.queue_store import close_item, has_pending, queue_for_duty
from models.review_tables import (
    CASE_RECORD_MAX,
    CASE_RECORD_OUTCOMES,
    DECISION_ACTIONS,
    DUTY_OUTCOMES,
    NOT_INVOLVED_OUTCOMES,
    SIGNOFF_OUTCOMES,
    TRIAGE_OUTCOMES,
    WORK_KINDS,
    DecisionDraft,
    DecisionRecord,
    ReviewError,
    SampleOutcome,
)
from models.tables import (
    PRIORITIES,
    NotificationRecord,
    QueueItem,
    StaffAccount,
    TriageResult,
    priority_rank,
)


@dataclass(frozen=True)
class DecisionRow:
    id: int
    kind: str
    outcome: str
    reasoning: str
    child_involvement: bool
    categories: list[str]
    priority: str | None
    decided_by_name: str
    decided_at: datetime
    signoff_status: str | None
    signed_off_by_name: str | None
    signed_off_at: datetime | None
    signoff_note: str | None
    case_record_id: str | None = None
    actions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ItemView:
    item: QueueItem
    notification: NotificationRecord
    result: TriageResult | None
    claimed_by_name: str | None
    decisions: list[DecisionRow]
    sample_outcome: SampleOutcome | None

    @property
    def pending_decision(self) -> DecisionRow | None:
        return next((d for d in self.decisions if d.signoff_status == "pending"), None)

    def document(self) -> dict[str, Any]:
        """The notification JSON as received; empty once retention has removed it."""
        raw = self.notification.raw_json
        return dict(json.loads(raw)) if raw else {}


def _decision_rows(session: Session, condition: Any) -> list[DecisionRow]:
    decider = aliased(StaffAccount)
    signer = aliased(StaffAccount)
    stmt = (
        select(DecisionRecord, decider.username, signer.username)
        .join(decider, decider.id == DecisionRecord.decided_by)
        .outerjoin(signer, signer.id == DecisionRecord.signed_off_by)
        .where(condition)
        .order_by(DecisionRecord.decided_at, DecisionRecord.id)
    )
    return [
        DecisionRow(
            id=d.id,
            kind=d.kind,
            outcome=d.outcome,
            reasoning=d.reasoning,
            child_involvement=d.child_involvement,
            categories=list(d.categories or []),
            priority=d.priority,
            decided_by_name=by,
            decided_at=d.decided_at,
            signoff_status=d.signoff_status,
            signed_off_by_name=signer_name,
            signed_off_at=d.signed_off_at,
            signoff_note=d.signoff_note,
            case_record_id=d.case_record_id,
            actions=tuple(d.actions or ()),
        )
        for d, by, signer_name in session.execute(stmt)
    ]


def get_item(session: Session, *, item_id: int) -> ItemView | None:
    item = session.get(QueueItem, item_id)
    if item is None:
        return None
    notification = session.get(NotificationRecord, item.notification_id)
    if notification is None:  # pragma: no cover - foreign key
        return None
    result = session.scalar(
        select(TriageResult).where(TriageResult.notification_id == item.notification_id)
    )
    holder = session.get(StaffAccount, item.claimed_by) if item.claimed_by else None
    sample = session.scalar(
        select(SampleOutcome)
        .where(SampleOutcome.notification_id == item.notification_id)
        .order_by(SampleOutcome.id.desc())
        .limit(1)
    )
    return ItemView(
        item=item,
        notification=notification,
        result=result,
        claimed_by_name=holder.username if holder else None,
        decisions=_decision_rows(session, DecisionRecord.queue_item_id == item.id),
        sample_outcome=sample,
    )


def _take_effect(
    session: Session, decision: DecisionRecord, *, holder: int | None, now: datetime
) -> None:
    """A decision takes effect (at once, or when a manager approves it): its item closes (held
    by `holder`, when given) and the decision's label is written."""
    close_item(session, item_id=decision.queue_item_id, now=now, holder=holder)
    write_label(
        session,
        notification_id=decision.notification_id,
        involved=decision.child_involvement,
        categories=list(decision.categories or []),
        labelled_by=decision.decided_by,
        now=now,
        decision_id=decision.id,
    )


@dataclass(frozen=True)
class DecideOutcome:
    decision_id: int
    closed: bool
    needs_signoff: bool
    new_item_id: int | None


def record_decision(
    session: Session,
    *,
    item_id: int,
    user_id: int,
    outcome: str,
    reasoning: str,
    categories: Sequence[str],
    priority: str | None,
    deadline_hours: Mapping[str, int],
    now: datetime,
    case_record_id: str | None = None,
    actions: Sequence[str] = (),
) -> DecideOutcome:
    """Record a decision on an item the user holds. Outcomes that need sign-off leave the
    item held until a manager signs; the others close it and write a label at once. "Open
    case" needs the case record it passes to; actions (information shared) are recorded with
    the decision. The worker's draft of this decision, if any, is removed."""
    item = session.get(QueueItem, item_id)
    if item is None or item.kind not in WORK_KINDS:
        raise ReviewError("not_found")
    if item.status != "claimed" or item.claimed_by != user_id:
        raise ReviewError("not_claimed_by_you")
    if has_pending(session, item_id=item_id):
        raise ReviewError("awaiting_signoff")
    reasoning = required_reasoning(reasoning)
    allowed = DUTY_OUTCOMES if item.kind == "duty_review" else TRIAGE_OUTCOMES
    if outcome not in allowed:
        raise ReviewError("invalid_outcome")
    involved = outcome not in NOT_INVOLVED_OUTCOMES
    chosen = label_categories(categories, involved=involved)
    new_priority: str | None = None
    if item.kind == "triage_check" and involved:
        if priority not in PRIORITIES:
            raise ReviewError("priority_required")
        new_priority = priority
    case_record = (case_record_id or "").strip() or None
    if outcome in CASE_RECORD_OUTCOMES:
        if case_record is None:
            raise ReviewError("case_record_required")
        if len(case_record) > CASE_RECORD_MAX:
            raise ReviewError("case_record_too_long")
    else:
        case_record = None
    if any(a not in DECISION_ACTIONS for a in actions):
        raise ReviewError("invalid_action")
    chosen_actions = [a for a in DECISION_ACTIONS if a in actions]
    needs_signoff = item.kind == "duty_review" and outcome in SIGNOFF_OUTCOMES
    decision = DecisionRecord(
        queue_item_id=item.id,
        notification_id=item.notification_id,
        kind=item.kind,
        outcome=outcome,
        reasoning=reasoning,
        child_involvement=involved,
        categories=chosen,
        priority=new_priority,
        decided_by=user_id,
        decided_at=now,
        needs_signoff=needs_signoff,
        signoff_status="pending" if needs_signoff else None,
        case_record_id=case_record,
        actions=chosen_actions,
    )
    session.add(decision)
    session.flush()
    session.execute(
        delete(DecisionDraft).where(
            DecisionDraft.queue_item_id == item.id, DecisionDraft.user_id == user_id
        )
    )
    new_item_id: int | None = None
    if not needs_signoff:
        _take_effect(session, decision, holder=user_id, now=now)
        if new_priority is not None:
            new_item_id = queue_for_duty(
                session,
                notification_id=item.notification_id,
                priority=new_priority,
                deadline_hours=deadline_hours,
                now=now,
            ).id
    write_audit(
        session,
        actor=staff_actor(user_id),
        action="decided",
        notification_id=item.notification_id,
        detail={
            "item": item.id,
            "decision": decision.id,
            "outcome": outcome,
            "needs_signoff": needs_signoff,
            "new_item": new_item_id,
            "actions": chosen_actions,
        },
        now=now,
    )
    return DecideOutcome(decision.id, not needs_signoff, needs_signoff, new_item_id)


@dataclass(frozen=True)
class SignoffRow:
    decision_id: int
    item_id: int
    notification_id: uuid.UUID
    reference: str
    priority: str
    deadline_at: datetime
    outcome: str
    reasoning: str
    decided_by: int
    decided_by_name: str
    decided_at: datetime
    case_record_id: str | None = None
    actions: tuple[str, ...] = ()


def list_signoffs(session: Session) -> list[SignoffRow]:
    stmt = (
        select(
            DecisionRecord.id,
            QueueItem.id,
            DecisionRecord.notification_id,
            NotificationRecord.reference,
            QueueItem.priority,
            QueueItem.deadline_at,
            DecisionRecord.outcome,
            DecisionRecord.reasoning,
            DecisionRecord.decided_by,
            StaffAccount.username,
            DecisionRecord.decided_at,
            DecisionRecord.case_record_id,
            DecisionRecord.actions,
        )
        .join(QueueItem, QueueItem.id == DecisionRecord.queue_item_id)
        .join(NotificationRecord, NotificationRecord.id == DecisionRecord.notification_id)
        .join(StaffAccount, StaffAccount.id == DecisionRecord.decided_by)
        .where(DecisionRecord.signoff_status == "pending")
        .order_by(priority_rank(), QueueItem.deadline_at, DecisionRecord.id)
    )
    return [
        SignoffRow(
            decision_id=r[0], item_id=r[1], notification_id=r[2], reference=r[3],
            priority=r[4], deadline_at=r[5], outcome=r[6], reasoning=r[7], decided_by=r[8],
            decided_by_name=r[9], decided_at=r[10], case_record_id=r[11],
            actions=tuple(r[12] or ()),
        )
        for r in session.execute(stmt)
    ]


def sign_off(
    session: Session,
    *,
    decision_id: int,
    manager_id: int,
    approve: bool,
    note: str,
    now: datetime,
) -> None:
    """Approve (closes the item, writes the label) or return a pending decision to its
    worker, who keeps the item and decides again. Nobody signs off their own decision."""
    decision = session.get(DecisionRecord, decision_id)
    if decision is None:
        raise ReviewError("not_found")
    if decision.decided_by == manager_id:
        raise ReviewError("own_decision")
    note = note.strip()
    if not approve and not note:
        raise ReviewError("note_required")
    if not changed_one(
        session,
        update(DecisionRecord)
        .where(DecisionRecord.id == decision_id, DecisionRecord.signoff_status == "pending")
        .values(
            signoff_status="approved" if approve else "returned",
            signed_off_by=manager_id,
            signed_off_at=now,
            signoff_note=note or None,
        ),
    ):
        raise ReviewError("conflict")
    if approve:
        _take_effect(session, decision, holder=None, now=now)
    write_audit(
        session,
        actor=staff_actor(manager_id),
        action="signed_off" if approve else "signoff_returned",
        notification_id=decision.notification_id,
        detail={"item": decision.queue_item_id, "decision": decision.id},
        now=now,
    )
