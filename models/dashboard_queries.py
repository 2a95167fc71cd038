"""The figures of the heads of safeguarding's dashboard, each as a small table of rows.

Notifications per day by route; the live queue's size and age by kind; overdue items; the
manager sample's confirmations and overturns (an overturn is a missed child); decisions by
outcome. Counts only, and references: no names or narratives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from models.review_tables import DecisionRecord, SampleOutcome
from models.tables import NotificationRecord, QueueItem, TriageResult

LIVE = ("open", "claimed")
AGE_BANDS = (("under 4 hours", 4), ("4 to 24 hours", 24), ("1 to 3 days", 72))


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: Sequence[tuple[object, ...]]


def per_day_by_route(session: Session, now: datetime, days: int = 30) -> Table:
    day = func.date(TriageResult.created_at)
    stmt = (
        select(day, TriageResult.route, func.count())
        .where(TriageResult.created_at >= now - timedelta(days=days))
        .group_by(day, TriageResult.route)
        .order_by(day, TriageResult.route)
    )
    return Table(
        ("day", "route", "notifications"),
        [(str(d), r, int(n)) for d, r, n in session.execute(stmt)],
    )


def queue_by_kind(session: Session, now: datetime) -> Table:
    """Live items per kind: how many, how many claimed, and their ages in bands."""
    bands = []
    lower = None
    for _, hours in AGE_BANDS:
        edge = now - timedelta(hours=hours)
        cond = QueueItem.created_at > edge
        if lower is not None:
            cond = cond & (QueueItem.created_at <= lower)
        bands.append(func.sum(case((cond, 1), else_=0)))
        lower = edge
    oldest_band = func.sum(case((QueueItem.created_at <= lower, 1), else_=0))
    stmt = (
        select(
            QueueItem.kind,
            func.count(),
            func.sum(case((QueueItem.status == "claimed", 1), else_=0)),
            *bands,
            oldest_band,
            func.min(QueueItem.created_at),
        )
        .where(QueueItem.status.in_(LIVE))
        .group_by(QueueItem.kind)
        .order_by(QueueItem.kind)
    )
    rows = []
    for kind, total, claimed, b1, b2, b3, b4, oldest in session.execute(stmt):
        age = round((now - oldest).total_seconds() / 3600, 1) if oldest else None
        rows.append(
            (
                kind,
                int(total),
                int(claimed or 0),
                int(b1 or 0),
                int(b2 or 0),
                int(b3 or 0),
                int(b4 or 0),
                age,
            )
        )
    return Table(
        (
            "kind",
            "live",
            "claimed",
            *(name for name, _ in AGE_BANDS),
            "over 3 days",
            "oldest_hours",
        ),
        rows,
    )


def overdue_items(session: Session, now: datetime, limit: int = 200) -> Table:
    stmt = (
        select(
            QueueItem.id,
            NotificationRecord.reference,
            QueueItem.kind,
            QueueItem.priority,
            QueueItem.deadline_at,
            QueueItem.status,
        )
        .join(NotificationRecord, NotificationRecord.id == QueueItem.notification_id)
        .where(QueueItem.status.in_(LIVE), QueueItem.deadline_at < now)
        .order_by(QueueItem.deadline_at)
        .limit(limit)
    )
    return Table(
        ("item", "reference", "kind", "priority", "deadline", "status", "hours_overdue"),
        [
            (
                i,
                ref,
                kind,
                prio,
                deadline.isoformat(timespec="minutes"),
                status,
                round((now - deadline).total_seconds() / 3600, 1),
            )
            for i, ref, kind, prio, deadline, status in session.execute(stmt)
        ],
    )


def overdue_count(session: Session, now: datetime) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(QueueItem)
            .where(QueueItem.status.in_(LIVE), QueueItem.deadline_at < now)
        )
        or 0
    )


def sample_outcomes(session: Session) -> tuple[int, int]:
    """(checked, overturned) over every manager sample verdict."""
    total, overturned = session.execute(
        select(func.count(), func.sum(case((SampleOutcome.is_miss, 1), else_=0)))
    ).one()
    return int(total or 0), int(overturned or 0)


def decisions_by_outcome(session: Session) -> Table:
    stmt = (
        select(DecisionRecord.kind, DecisionRecord.outcome, func.count())
        .group_by(DecisionRecord.kind, DecisionRecord.outcome)
        .order_by(DecisionRecord.kind, DecisionRecord.outcome)
    )
    return Table(
        ("kind", "outcome", "decisions"), [(k, o, int(n)) for k, o, n in session.execute(stmt)]
    )
