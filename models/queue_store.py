"""The duty team's queue: live duty and triage items listed and counted, claimed and released;
and the two moves every piece of casework makes on an item, closing it and opening a duty item.

Claims and closes are conditional UPDATEs (`... WHERE status = 'open'`), so two people can
never hold or close the same item, whatever the interleaving.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, select, update
from sqlalchemy.orm import Session, aliased

from models.db import changed_one
from models.review_tables import LIVE, WORK_KINDS, DecisionRecord, ReviewError
from models.search_tables import NotificationSummary
from models.search_terms import family_key, town_key
from models.tables import (
    PRIORITIES,
    NotificationRecord,
    QueueItem,
    Source,
    StaffAccount,
    TriageResult,
    deadline_at,
    priority_rank,
)

# How long ago a notification was received, as the queue's filter offers it.
RECEIVED_WITHIN = {"day": timedelta(days=1), "week": timedelta(days=7)}
RECEIVED_FILTERS = ("day", "week", "older")


@dataclass(frozen=True)
class QueueFilters:
    priority: str | None = None
    overdue: bool = False
    mine: bool = False
    # The force (source id), the work type (a queue kind), when it was received (one of
    # RECEIVED_FILTERS), and the start of the victim's family name or of the town.
    source_id: int | None = None
    kind: str | None = None
    received: str | None = None
    family: str = ""
    town: str = ""


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
    source_name: str = ""
    victim_family: str = ""
    town: str = ""
    # A manager returned this item's decision to the worker who holds it: decide again.
    returned: bool = False

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


def queue_counts(
    session: Session, *, user_id: int, now: datetime, kinds: tuple[str, ...] = WORK_KINDS
) -> QueueCounts:
    stmt = (
        select(
            QueueItem.priority,
            func.count(),
            func.sum(case((QueueItem.deadline_at < now, 1), else_=0)),
            func.sum(case((QueueItem.claimed_by == user_id, 1), else_=0)),
        )
        .where(QueueItem.kind.in_(kinds), QueueItem.status.in_(LIVE))
        .group_by(QueueItem.priority)
    )
    counts = QueueCounts()
    for priority, total, overdue, mine in session.execute(stmt):
        counts.by_priority[priority] = int(total)
        counts.total += int(total)
        counts.overdue += int(overdue or 0)
        counts.mine += int(mine or 0)
    return counts


def _starts_with(column: Any, prefix: str) -> Any:
    """`column` starts with `prefix`: a byte range (see models/search_store.py)."""
    return and_(column >= prefix, column < prefix[:-1] + chr(ord(prefix[-1]) + 1))


def _summary_condition(column: Any, prefix: str) -> Any:
    """The item's notification summary matches: a correlated EXISTS, one key lookup per live
    item (an IN list would probe the queue once per matching notification of all time)."""
    return (
        select(NotificationSummary.notification_id)
        .where(
            NotificationSummary.notification_id == QueueItem.notification_id,
            _starts_with(column, prefix),
        )
        .exists()
    )


def _notification_condition(*conditions: Any) -> Any:
    return (
        select(NotificationRecord.id)
        .where(NotificationRecord.id == QueueItem.notification_id, *conditions)
        .exists()
    )


def _queue_conditions(
    filters: QueueFilters, user_id: int, now: datetime, kinds: tuple[str, ...]
) -> list[Any]:
    conditions: list[Any] = [QueueItem.kind.in_(kinds), QueueItem.status.in_(LIVE)]
    if filters.priority in PRIORITIES:
        conditions.append(QueueItem.priority == filters.priority)
    if filters.overdue:
        conditions.append(QueueItem.deadline_at < now)
    if filters.mine:
        conditions.append(QueueItem.claimed_by == user_id)
    if filters.kind in kinds:
        conditions.append(QueueItem.kind == filters.kind)
    if filters.source_id is not None:
        source = NotificationRecord.source_id == filters.source_id
        conditions.append(_notification_condition(source))
    if filters.received in RECEIVED_FILTERS:
        since = now - RECEIVED_WITHIN.get(filters.received, RECEIVED_WITHIN["week"])
        conditions.append(
            _notification_condition(
                NotificationRecord.received_at < since
                if filters.received == "older"
                else NotificationRecord.received_at >= since
            )
        )
    if family := family_key(filters.family):
        conditions.append(_summary_condition(NotificationSummary.victim_family_key, family))
    if town := town_key(filters.town):
        conditions.append(_summary_condition(NotificationSummary.town_key, town))
    return conditions


def _returned(session: Session, item_ids: list[int]) -> set[int]:
    """Claimed items whose decision a manager returned, with no newer decision waiting."""
    if not item_ids:
        return set()
    newest = (
        select(DecisionRecord.queue_item_id, func.max(DecisionRecord.id).label("latest"))
        .where(DecisionRecord.queue_item_id.in_(item_ids))
        .group_by(DecisionRecord.queue_item_id)
        .subquery()
    )
    return set(
        session.scalars(
            select(DecisionRecord.queue_item_id)
            .join(newest, newest.c.latest == DecisionRecord.id)
            .where(DecisionRecord.signoff_status == "returned")
        )
    )


def _awaiting_signoff(session: Session, item_ids: list[int]) -> set[int]:
    if not item_ids:
        return set()
    return set(
        session.scalars(
            select(DecisionRecord.queue_item_id).where(
                DecisionRecord.queue_item_id.in_(item_ids),
                DecisionRecord.signoff_status == "pending",
            )
        )
    )


def list_queue(
    session: Session,
    *,
    user_id: int,
    now: datetime,
    filters: QueueFilters = QueueFilters(),
    page: int = 1,
    per_page: int = 50,
    kinds: tuple[str, ...] = WORK_KINDS,
) -> QueuePage:
    """Live items of `kinds` (duty and triage by default), urgent first then by deadline, one
    page of them."""
    conditions = _queue_conditions(filters, user_id, now, kinds)
    counts = queue_counts(session, user_id=user_id, now=now, kinds=kinds)
    if filters == QueueFilters():
        matching = counts.total
    else:
        matching = int(
            session.scalar(select(func.count()).select_from(QueueItem).where(*conditions)) or 0
        )
    pages = max(1, -(-matching // per_page))
    page = min(max(1, page), pages)
    # The page's item ids from queue_items alone (sorted on its own columns), then the
    # details of those few: joining every live item's notification before sorting is slow.
    ids = list(
        session.scalars(
            select(QueueItem.id)
            .where(*conditions)
            .order_by(priority_rank(), QueueItem.deadline_at, QueueItem.id)
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    holder = aliased(StaffAccount)
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
            NotificationRecord.reference,
            NotificationRecord.received_at,
            TriageResult.score,
            TriageResult.categories,
            TriageResult.route,
            Source.name,
            NotificationSummary.victim_family,
            NotificationSummary.town,
        )
        .join(NotificationRecord, NotificationRecord.id == QueueItem.notification_id)
        .join(Source, Source.id == NotificationRecord.source_id)
        .outerjoin(TriageResult, TriageResult.notification_id == QueueItem.notification_id)
        .outerjoin(
            NotificationSummary, NotificationSummary.notification_id == QueueItem.notification_id
        )
        .outerjoin(holder, holder.id == QueueItem.claimed_by)
        .where(QueueItem.id.in_(ids))
    )
    order = {item_id: n for n, item_id in enumerate(ids)}
    raw = sorted(session.execute(stmt).all(), key=lambda r: order[r[0]]) if ids else []
    claimed = [r[0] for r in raw if r[5] == "claimed"]
    pending = _awaiting_signoff(session, claimed)
    returned = _returned(session, claimed)
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
            source_name=r[13],
            victim_family=r[14] or "",
            town=r[15] or "",
            returned=r[0] in returned and r[0] not in pending,
        )
        for r in raw
    ]
    return QueuePage(rows, counts, matching, page, pages, per_page)


def claim(session: Session, *, item_id: int, user_id: int, now: datetime) -> bool:
    """Take an open item; False when someone else got there first (or it is not open)."""
    return changed_one(
        session,
        update(QueueItem)
        .where(
            QueueItem.id == item_id,
            QueueItem.status == "open",
            QueueItem.kind.in_(WORK_KINDS),
        )
        .values(status="claimed", claimed_by=user_id, claimed_at=now),
    )


def has_pending(session: Session, *, item_id: int) -> bool:
    """Whether a decision on this item waits for a manager's sign-off."""
    return bool(_awaiting_signoff(session, [item_id]))


def release(session: Session, *, item_id: int, user_id: int) -> bool:
    """Give a claimed item back to the queue (not while a decision awaits sign-off)."""
    if has_pending(session, item_id=item_id):
        raise ReviewError("awaiting_signoff")
    return changed_one(
        session,
        update(QueueItem)
        .where(
            QueueItem.id == item_id,
            QueueItem.status == "claimed",
            QueueItem.claimed_by == user_id,
        )
        .values(status="open", claimed_by=None, claimed_at=None),
    )


def close_item(session: Session, *, item_id: int, now: datetime, holder: int | None) -> None:
    """Close a live item (held by `holder`, when given); ReviewError("conflict") if it moved."""
    conditions = [QueueItem.id == item_id, QueueItem.status != "closed"]
    if holder is not None:
        conditions += [QueueItem.status == "claimed", QueueItem.claimed_by == holder]
    if not changed_one(
        session, update(QueueItem).where(and_(*conditions)).values(status="closed", closed_at=now)
    ):
        raise ReviewError("conflict")


def queue_for_duty(
    session: Session,
    *,
    notification_id: uuid.UUID,
    priority: str,
    deadline_hours: Mapping[str, int],
    now: datetime,
) -> QueueItem:
    """Open a duty review item, its deadline counted from the notification's receipt."""
    received = session.scalar(
        select(NotificationRecord.received_at).where(NotificationRecord.id == notification_id)
    )
    if received is None:  # pragma: no cover - foreign key
        raise ReviewError("not_found")
    item = QueueItem(
        notification_id=notification_id,
        kind="duty_review",
        priority=priority,
        deadline_at=deadline_at(received, priority, deadline_hours),
        status="open",
        created_at=now,
    )
    session.add(item)
    session.flush()
    return item
