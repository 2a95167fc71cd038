"""Reads and writes of the duty team's work: the queue, claims, decisions, sign-off, sampling,
audit, earlier notifications at an address, and the labels export.

Every function takes an open SQLAlchemy session and leaves committing to the caller, so one
request is one transaction. Claims and closes are conditional UPDATEs (`... WHERE status =
'open'`), so two people can never hold or close the same item, whatever the interleaving.
Deadlines are given as hours per priority by the caller (the active screening policy).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, delete, func, select, update
from sqlalchemy.orm import Session, aliased

from models.contract import CATEGORIES
from models.review_tables import (
    DUTY_OUTCOMES,
    SAMPLE_OUTCOMES,
    SIGNOFF_OUTCOMES,
    TRIAGE_OUTCOMES,
    Decision,
    Label,
    SampleOutcome,
)
from models.tables import (
    PRIORITIES,
    AuditEvent,
    LoginThrottle,
    Notification,
    QueueItem,
    StaffUser,
    TriageResult,
    deadline_at,
    priority_rank,
)

WORK_KINDS = ("duty_review", "triage_check")
SAMPLE_KIND = "manager_sample"
LIVE = ("open", "claimed")


class ReviewError(Exception):
    """An action that cannot be done; `code` says why (no personal data in it)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def actor(user_id: int) -> str:
    return f"staff:{user_id}"


# --- audit -------------------------------------------------------------------------------


def write_audit(
    session: Session,
    user_id: int,
    action: str,
    notification_id: uuid.UUID | None,
    detail: Mapping[str, Any] | None = None,
    *,
    now: datetime,
) -> None:
    """Record who did what, when, to which notification (detail: ids and codes only)."""
    session.add(
        AuditEvent(
            at=now,
            actor=actor(user_id),
            action=action,
            notification_id=notification_id,
            detail=dict(detail or {}),
        )
    )


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    actor_name: str
    action: str
    detail: dict[str, Any]


def audit_trail(session: Session, notification_id: uuid.UUID) -> list[AuditRow]:
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.notification_id == notification_id)
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    staff_ids = {
        int(e.actor.split(":", 1)[1])
        for e in events
        if e.actor.startswith("staff:") and e.actor.split(":", 1)[1].isdigit()
    }
    names: dict[int, str] = {}
    if staff_ids:
        names = dict(
            session.execute(
                select(StaffUser.id, StaffUser.username).where(StaffUser.id.in_(staff_ids))
            ).all()
        )
    rows = []
    for event in events:
        kind, _, ident = event.actor.partition(":")
        name = (
            names.get(int(ident), event.actor)
            if kind == "staff" and ident.isdigit()
            else (event.actor)
        )
        rows.append(AuditRow(event.at, event.actor, name, event.action, dict(event.detail or {})))
    return rows


# --- staff -------------------------------------------------------------------------------


def find_staff(session: Session, username: str) -> StaffUser | None:
    return session.scalar(select(StaffUser).where(StaffUser.username == username))


def get_staff(session: Session, user_id: int) -> StaffUser | None:
    return session.get(StaffUser, user_id)


def create_staff(
    session: Session, username: str, password_hash: str, role: str, *, now: datetime
) -> StaffUser:
    if find_staff(session, username) is not None:
        raise ReviewError("username_taken")
    user = StaffUser(
        username=username, password_hash=password_hash, role=role, active=True, created_at=now
    )
    session.add(user)
    session.flush()
    return user


def record_failed_login(session: Session, user_id: int) -> int:
    """Count one more failed login atomically; returns the new count."""
    session.execute(
        update(StaffUser)
        .where(StaffUser.id == user_id)
        .values(failed_logins=StaffUser.failed_logins + 1)
        .execution_options(synchronize_session=False)
    )
    return int(session.scalar(select(StaffUser.failed_logins).where(StaffUser.id == user_id)) or 0)


def set_lock(session: Session, user_id: int, until: datetime | None) -> None:
    session.execute(
        update(StaffUser)
        .where(StaffUser.id == user_id)
        .values(locked_until=until)
        .execution_options(synchronize_session=False)
    )


def end_sessions(session: Session, user_id: int) -> None:
    """End every session of this user (logout, deactivation, a new password)."""
    session.execute(
        update(StaffUser)
        .where(StaffUser.id == user_id)
        .values(session_version=StaffUser.session_version + 1)
        .execution_options(synchronize_session=False)
    )


def set_password(session: Session, user_id: int, password_hash: str) -> None:
    """A new password; every session of the user ends."""
    session.execute(
        update(StaffUser)
        .where(StaffUser.id == user_id)
        .values(password_hash=password_hash)
        .execution_options(synchronize_session=False)
    )
    end_sessions(session, user_id)


def set_active(session: Session, user_id: int, active: bool) -> None:
    """Activate or deactivate an account; deactivation ends every session of the user."""
    session.execute(
        update(StaffUser)
        .where(StaffUser.id == user_id)
        .values(active=active)
        .execution_options(synchronize_session=False)
    )
    if not active:
        end_sessions(session, user_id)


def throttle_state(session: Session, key: str) -> LoginThrottle | None:
    return session.get(LoginThrottle, key)


def record_throttled_failure(
    session: Session, key: str, now: datetime, lock: Callable[[int, datetime], datetime | None]
) -> LoginThrottle:
    """Count one more failed sign-in for `key` and set its lock from `lock(failures, now)`."""
    row = session.get(LoginThrottle, key, with_for_update=True)
    if row is None:
        row = LoginThrottle(key=key, failures=0, updated_at=now)
        session.add(row)
    row.failures += 1
    row.locked_until = lock(row.failures, now)
    row.updated_at = now
    session.flush()
    return row


def clear_throttle(session: Session, key: str) -> None:
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))


def write_system_audit(
    session: Session, component: str, action: str, detail: Mapping[str, Any], *, now: datetime
) -> None:
    """An audit event with no staff actor (e.g. a failed sign-in under an unknown name)."""
    session.add(
        AuditEvent(at=now, actor=f"system:{component}", action=action, detail=dict(detail))
    )


def record_successful_login(session: Session, user_id: int, new_hash: str | None) -> None:
    values: dict[str, Any] = {"failed_logins": 0, "locked_until": None}
    if new_hash:
        values["password_hash"] = new_hash
    session.execute(
        update(StaffUser)
        .where(StaffUser.id == user_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


# --- the queue ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    priority: str | None = None
    overdue: bool = False
    mine: bool = False


@dataclass(frozen=True)
class QueueRow:
    item_id: int
    notification_id: uuid.UUID
    kind: str
    priority: str
    deadline_at: datetime
    status: str
    claimed_by: int | None
    claimed_by_name: str | None
    reference: str
    received_at: datetime
    score: float | None
    categories: list[str]
    awaiting_signoff: bool = False
    # The screening route: a duty item whose route was screened_out is an overturned miss.
    route: str | None = None

    def overdue(self, now: datetime) -> bool:
        return self.deadline_at < now


@dataclass
class QueueCounts:
    total: int = 0
    overdue: int = 0
    mine: int = 0
    by_priority: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PRIORITIES, 0))


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    counts: QueueCounts
    matching: int
    page: int
    pages: int
    per_page: int


def queue_counts(session: Session, user_id: int, now: datetime) -> QueueCounts:
    stmt = (
        select(
            QueueItem.priority,
            func.count(),
            func.sum(case((QueueItem.deadline_at < now, 1), else_=0)),
            func.sum(case((QueueItem.claimed_by == user_id, 1), else_=0)),
        )
        .where(QueueItem.kind.in_(WORK_KINDS), QueueItem.status.in_(LIVE))
        .group_by(QueueItem.priority)
    )
    counts = QueueCounts()
    for priority, total, overdue, mine in session.execute(stmt):
        counts.by_priority[priority] = int(total)
        counts.total += int(total)
        counts.overdue += int(overdue or 0)
        counts.mine += int(mine or 0)
    return counts


def _queue_conditions(filters: QueueFilters, user_id: int, now: datetime) -> list[Any]:
    conditions: list[Any] = [QueueItem.kind.in_(WORK_KINDS), QueueItem.status.in_(LIVE)]
    if filters.priority in PRIORITIES:
        conditions.append(QueueItem.priority == filters.priority)
    if filters.overdue:
        conditions.append(QueueItem.deadline_at < now)
    if filters.mine:
        conditions.append(QueueItem.claimed_by == user_id)
    return conditions


def list_queue(
    session: Session,
    *,
    user_id: int,
    now: datetime,
    filters: QueueFilters = QueueFilters(),
    page: int = 1,
    per_page: int = 50,
) -> QueuePage:
    """Live duty and triage items, urgent first then by deadline, one page of them."""
    conditions = _queue_conditions(filters, user_id, now)
    counts = queue_counts(session, user_id, now)
    if filters == QueueFilters():
        matching = counts.total
    else:
        matching = int(
            session.scalar(select(func.count()).select_from(QueueItem).where(*conditions)) or 0
        )
    pages = max(1, -(-matching // per_page))
    page = min(max(1, page), pages)
    holder = aliased(StaffUser)
    stmt = (
        select(
            QueueItem.id,
            QueueItem.notification_id,
            QueueItem.kind,
            QueueItem.priority,
            QueueItem.deadline_at,
            QueueItem.status,
            QueueItem.claimed_by,
            holder.username,
            Notification.reference,
            Notification.received_at,
            TriageResult.score,
            TriageResult.categories,
            TriageResult.route,
        )
        .join(Notification, Notification.id == QueueItem.notification_id)
        .outerjoin(TriageResult, TriageResult.notification_id == QueueItem.notification_id)
        .outerjoin(holder, holder.id == QueueItem.claimed_by)
        .where(*conditions)
        .order_by(priority_rank(), QueueItem.deadline_at, QueueItem.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    raw = session.execute(stmt).all()
    claimed_ids = [r[0] for r in raw if r[5] == "claimed"]
    pending: set[int] = set()
    if claimed_ids:
        pending = set(
            session.scalars(
                select(Decision.queue_item_id).where(
                    Decision.queue_item_id.in_(claimed_ids), Decision.signoff_status == "pending"
                )
            )
        )
    rows = [
        QueueRow(
            item_id=r[0],
            notification_id=r[1],
            kind=r[2],
            priority=r[3],
            deadline_at=r[4],
            status=r[5],
            claimed_by=r[6],
            claimed_by_name=r[7],
            reference=r[8],
            received_at=r[9],
            score=r[10],
            categories=list(r[11] or []),
            awaiting_signoff=r[0] in pending,
            route=r[12],
        )
        for r in raw
    ]
    return QueuePage(rows, counts, matching, page, pages, per_page)


# --- one item ----------------------------------------------------------------------------


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


@dataclass(frozen=True)
class ItemView:
    item: QueueItem
    notification: Notification
    result: TriageResult | None
    claimed_by_name: str | None
    decisions: list[DecisionRow]
    sample_outcome: SampleOutcome | None

    @property
    def pending_decision(self) -> DecisionRow | None:
        return next((d for d in self.decisions if d.signoff_status == "pending"), None)

    def document(self) -> dict[str, Any]:
        """The notification JSON as received."""
        return dict(json.loads(self.notification.raw_json))


def _decision_rows(session: Session, condition: Any) -> list[DecisionRow]:
    decider = aliased(StaffUser)
    signer = aliased(StaffUser)
    stmt = (
        select(Decision, decider.username, signer.username)
        .join(decider, decider.id == Decision.decided_by)
        .outerjoin(signer, signer.id == Decision.signed_off_by)
        .where(condition)
        .order_by(Decision.decided_at, Decision.id)
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
        )
        for d, by, signer_name in session.execute(stmt)
    ]


def get_item(session: Session, item_id: int) -> ItemView | None:
    item = session.get(QueueItem, item_id)
    if item is None:
        return None
    notification = session.get(Notification, item.notification_id)
    if notification is None:  # pragma: no cover - foreign key
        return None
    result = session.scalar(
        select(TriageResult).where(TriageResult.notification_id == item.notification_id)
    )
    holder = session.get(StaffUser, item.claimed_by) if item.claimed_by else None
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
        decisions=_decision_rows(session, Decision.queue_item_id == item.id),
        sample_outcome=sample,
    )


@dataclass(frozen=True)
class EarlierNotification:
    notification_id: uuid.UUID
    reference: str
    received_at: datetime
    route: str | None
    outcome: str | None


def earlier_at_address(
    session: Session, notification: Notification, limit: int = 20
) -> list[EarlierNotification]:
    """Notifications received before this one at the same address key, newest first, each with
    its route and the latest human outcome (a decision, else a sample verdict)."""
    if not notification.address_key:
        return []
    stmt = (
        select(
            Notification.id, Notification.reference, Notification.received_at, TriageResult.route
        )
        .outerjoin(TriageResult, TriageResult.notification_id == Notification.id)
        .where(
            Notification.address_key == notification.address_key,
            Notification.id != notification.id,
            Notification.received_at <= notification.received_at,
        )
        .order_by(Notification.received_at.desc())
        .limit(limit)
    )
    earlier = session.execute(stmt).all()
    ids = [row[0] for row in earlier]
    outcomes: dict[uuid.UUID, str] = {}
    if ids:
        for nid, outcome, status in session.execute(
            select(Decision.notification_id, Decision.outcome, Decision.signoff_status)
            .where(Decision.notification_id.in_(ids))
            .order_by(Decision.decided_at, Decision.id)
        ).all():
            outcomes[nid] = outcome + (" (awaiting sign-off)" if status == "pending" else "")
        for nid, outcome in session.execute(
            select(SampleOutcome.notification_id, SampleOutcome.outcome).where(
                SampleOutcome.notification_id.in_(ids)
            )
        ).all():
            outcomes.setdefault(nid, f"sample_{outcome}")
    return [
        EarlierNotification(n, ref, at, route, outcomes.get(n)) for n, ref, at, route in earlier
    ]


# --- claim, release, decide --------------------------------------------------------------


def claim(session: Session, item_id: int, user_id: int, now: datetime) -> bool:
    """Take an open item; False when someone else got there first (or it is not open)."""
    result = session.execute(
        update(QueueItem)
        .where(
            QueueItem.id == item_id,
            QueueItem.status == "open",
            QueueItem.kind.in_(WORK_KINDS),
        )
        .values(status="claimed", claimed_by=user_id, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def _has_pending(session: Session, item_id: int) -> bool:
    return (
        session.scalar(
            select(func.count())
            .select_from(Decision)
            .where(Decision.queue_item_id == item_id, Decision.signoff_status == "pending")
        )
        or 0
    ) > 0


def release(session: Session, item_id: int, user_id: int) -> bool:
    """Give a claimed item back to the queue (not while a decision awaits sign-off)."""
    if _has_pending(session, item_id):
        raise ReviewError("awaiting_signoff")
    result = session.execute(
        update(QueueItem)
        .where(
            QueueItem.id == item_id,
            QueueItem.status == "claimed",
            QueueItem.claimed_by == user_id,
        )
        .values(status="open", claimed_by=None, claimed_at=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def _close(session: Session, item_id: int, now: datetime, holder: int | None) -> None:
    conditions = [QueueItem.id == item_id, QueueItem.status != "closed"]
    if holder is not None:
        conditions += [QueueItem.status == "claimed", QueueItem.claimed_by == holder]
    result = session.execute(
        update(QueueItem)
        .where(and_(*conditions))
        .values(status="closed", closed_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ReviewError("conflict")


def _deadline(
    session: Session, notification_id: uuid.UUID, priority: str, hours: Mapping[str, int]
) -> datetime:
    received = session.scalar(
        select(Notification.received_at).where(Notification.id == notification_id)
    )
    if received is None:  # pragma: no cover - foreign key
        raise ReviewError("not_found")
    return deadline_at(received, priority, hours)


def _queue_for_duty(
    session: Session,
    notification_id: uuid.UUID,
    priority: str,
    hours: Mapping[str, int],
    now: datetime,
) -> QueueItem:
    item = QueueItem(
        notification_id=notification_id,
        kind="duty_review",
        priority=priority,
        deadline_at=_deadline(session, notification_id, priority, hours),
        status="open",
        created_at=now,
    )
    session.add(item)
    session.flush()
    return item


def _label(
    session: Session,
    notification_id: uuid.UUID,
    involved: bool,
    categories: list[str],
    user_id: int,
    now: datetime,
    *,
    decision_id: int | None = None,
    sample_outcome_id: int | None = None,
) -> None:
    session.add(
        Label(
            notification_id=notification_id,
            child_involvement=involved,
            categories=categories if involved else [],
            source="decision" if decision_id is not None else "sample",
            decision_id=decision_id,
            sample_outcome_id=sample_outcome_id,
            labelled_by=user_id,
            labelled_at=now,
        )
    )


def _clean_categories(categories: list[str]) -> list[str]:
    unknown = [c for c in categories if c not in CATEGORIES]
    if unknown:
        raise ReviewError("invalid_category")
    return [c for c in CATEGORIES if c in categories]


@dataclass(frozen=True)
class DecideOutcome:
    decision_id: int
    closed: bool
    needs_signoff: bool
    new_item_id: int | None


def decide(
    session: Session,
    *,
    item_id: int,
    user_id: int,
    outcome: str,
    reasoning: str,
    categories: list[str],
    priority: str | None,
    deadline_hours: Mapping[str, int],
    now: datetime,
) -> DecideOutcome:
    """Record a decision on an item the user holds. Outcomes that need sign-off leave the
    item held until a manager signs; the others close it and write a label at once."""
    item = session.get(QueueItem, item_id)
    if item is None or item.kind not in WORK_KINDS:
        raise ReviewError("not_found")
    if item.status != "claimed" or item.claimed_by != user_id:
        raise ReviewError("not_claimed_by_you")
    if _has_pending(session, item_id):
        raise ReviewError("awaiting_signoff")
    reasoning = reasoning.strip()
    if not reasoning:
        raise ReviewError("reasoning_required")
    allowed = DUTY_OUTCOMES if item.kind == "duty_review" else TRIAGE_OUTCOMES
    if outcome not in allowed:
        raise ReviewError("invalid_outcome")
    involved = outcome not in ("no_child_involvement", "no_child_involved")
    chosen = _clean_categories(categories) if involved else []
    if involved and not chosen:
        raise ReviewError("categories_required")
    new_priority: str | None = None
    if item.kind == "triage_check" and involved:
        if priority not in PRIORITIES:
            raise ReviewError("priority_required")
        new_priority = priority
    needs_signoff = item.kind == "duty_review" and outcome in SIGNOFF_OUTCOMES
    decision = Decision(
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
    )
    session.add(decision)
    session.flush()
    new_item_id: int | None = None
    if not needs_signoff:
        _close(session, item.id, now, holder=user_id)
        _label(
            session, item.notification_id, involved, chosen, user_id, now, decision_id=decision.id
        )
        if new_priority is not None:
            new_item_id = _queue_for_duty(
                session, item.notification_id, new_priority, deadline_hours, now
            ).id
    write_audit(
        session,
        user_id,
        "decided",
        item.notification_id,
        {
            "item": item.id,
            "decision": decision.id,
            "outcome": outcome,
            "needs_signoff": needs_signoff,
            "new_item": new_item_id,
        },
        now=now,
    )
    return DecideOutcome(decision.id, not needs_signoff, needs_signoff, new_item_id)


# --- manager sign-off --------------------------------------------------------------------


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


def list_signoffs(session: Session) -> list[SignoffRow]:
    stmt = (
        select(
            Decision.id,
            QueueItem.id,
            Decision.notification_id,
            Notification.reference,
            QueueItem.priority,
            QueueItem.deadline_at,
            Decision.outcome,
            Decision.reasoning,
            Decision.decided_by,
            StaffUser.username,
            Decision.decided_at,
        )
        .join(QueueItem, QueueItem.id == Decision.queue_item_id)
        .join(Notification, Notification.id == Decision.notification_id)
        .join(StaffUser, StaffUser.id == Decision.decided_by)
        .where(Decision.signoff_status == "pending")
        .order_by(priority_rank(), QueueItem.deadline_at, Decision.id)
    )
    return [SignoffRow(*row) for row in session.execute(stmt)]


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
    decision = session.get(Decision, decision_id)
    if decision is None:
        raise ReviewError("not_found")
    if decision.decided_by == manager_id:
        raise ReviewError("own_decision")
    note = note.strip()
    if not approve and not note:
        raise ReviewError("note_required")
    result = session.execute(
        update(Decision)
        .where(Decision.id == decision_id, Decision.signoff_status == "pending")
        .values(
            signoff_status="approved" if approve else "returned",
            signed_off_by=manager_id,
            signed_off_at=now,
            signoff_note=note or None,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ReviewError("conflict")
    if approve:
        _close(session, decision.queue_item_id, now, holder=None)
        _label(
            session,
            decision.notification_id,
            decision.child_involvement,
            list(decision.categories or []),
            decision.decided_by,
            now,
            decision_id=decision.id,
        )
    write_audit(
        session,
        manager_id,
        "signed_off" if approve else "signoff_returned",
        decision.notification_id,
        {"item": decision.queue_item_id, "decision": decision.id},
        now=now,
    )


# --- manager sampling of screened-out notifications --------------------------------------


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
            Notification.reference,
            Notification.received_at,
            TriageResult.score,
            QueueItem.deadline_at,
        )
        .join(Notification, Notification.id == QueueItem.notification_id)
        .outerjoin(TriageResult, TriageResult.notification_id == QueueItem.notification_id)
        .where(QueueItem.kind == SAMPLE_KIND, QueueItem.status.in_(LIVE))
        .order_by(QueueItem.deadline_at, QueueItem.id)
    )
    rows = [SampleRow(*row) for row in session.execute(stmt)]
    totals = dict(
        session.execute(
            select(SampleOutcome.outcome, func.count()).group_by(SampleOutcome.outcome)
        ).all()
    )
    return SampleSummary(rows, int(totals.get("confirm", 0)), int(totals.get("overturn", 0)))


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
    categories: list[str],
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
    reasoning = reasoning.strip()
    if not reasoning:
        raise ReviewError("reasoning_required")
    overturn = outcome == "overturn"
    chosen = _clean_categories(categories) if overturn else []
    if overturn and not chosen:
        raise ReviewError("categories_required")
    _close(session, item.id, now, holder=None)
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
    _label(
        session,
        item.notification_id,
        overturn,
        chosen,
        manager_id,
        now,
        sample_outcome_id=verdict.id,
    )
    new_item_id = (
        _queue_for_duty(session, item.notification_id, "urgent", deadline_hours, now).id
        if overturn
        else None
    )
    write_audit(
        session,
        manager_id,
        "sample_overturned" if overturn else "sample_confirmed",
        item.notification_id,
        {"item": item.id, "sample_outcome": verdict.id, "new_item": new_item_id},
        now=now,
    )
    return new_item_id


# --- labels export -----------------------------------------------------------------------


def iter_labels(session: Session, batch: int = 500) -> Iterator[dict[str, Any]]:
    """The latest label of each labelled notification, as contract section 5 objects."""
    latest = select(func.max(Label.id).label("id")).group_by(Label.notification_id).subquery()
    stmt = (
        select(Notification.raw_json, Label.child_involvement, Label.categories)
        .join(Label, Label.notification_id == Notification.id)
        .join(latest, latest.c.id == Label.id)
        .order_by(Label.id)
        .execution_options(yield_per=batch)
    )
    for raw_json, involved, categories in session.execute(stmt):
        yield {
            "notification": json.loads(raw_json),
            "label": {"child_involvement": bool(involved), "categories": list(categories or [])},
        }
