"""The outbox: rows written with each notification (or background job, models/job_store.py),
published to the broker by a relay (a task is given notification ids, or job ids), and
reset by the sweep when a notification's message looks lost (`requeue_lost`): its triage lease
ran out (the worker holding it died), or it was never started well after its publish while the
broker queue is empty (the message went with the broker). `requeue_stale` is the slow backstop.

Every function works in the caller's session. Publishing happens inside the transaction that
claims the rows (FOR UPDATE SKIP LOCKED on
PostgreSQL, so several relays never publish the same row at once; SQLite has one writer). A
crash between publish and commit publishes again later: harmless, triage is idempotent.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import timedelta
from itertools import groupby

from sqlalchemy import and_, exists, false, func, select, update
from sqlalchemy.orm import Session, aliased

from models.tables import NotificationRecord, OutboxRow
from models.types import utcnow

Publish = Callable[[str, Sequence[str]], None]


def publish_pending(
    session: Session, *, publish: Publish, limit: int = 500, chunk_size: int = 10
) -> int:
    """Publish up to `limit` unpublished rows, `chunk_size` notification ids per message.

    Stops at the first failed publish (the broker is probably down) and keeps what was
    published; the failed rows count an attempt and are tried again on the next call.
    Returns the number of rows published; raises the publish error if none were, after
    committing the attempt it counted (so the caller's transaction ends with the raise).
    """
    rows = session.execute(
        select(OutboxRow.id, OutboxRow.notification_id, OutboxRow.job_id, OutboxRow.task_name)
        .where(OutboxRow.published_at.is_(None))
        .order_by(OutboxRow.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if not rows:
        return 0
    published: list[int] = []
    failure: BaseException | None = None
    for task_name, group in groupby(
        sorted(rows, key=lambda r: (r.task_name, r.id)), key=lambda r: r.task_name
    ):
        items = list(group)
        for start in range(0, len(items), chunk_size):
            chunk = items[start : start + chunk_size]
            try:
                publish(task_name, [_subject(r.notification_id, r.job_id) for r in chunk])
            except Exception as error:
                failure = error
                session.execute(
                    update(OutboxRow)
                    .where(OutboxRow.id.in_([r.id for r in chunk]))
                    .values(attempts=OutboxRow.attempts + 1)
                )
                break
            published.extend(r.id for r in chunk)
        if failure is not None:
            break
    if published:
        session.execute(
            update(OutboxRow).where(OutboxRow.id.in_(published)).values(published_at=utcnow())
        )
    if failure is not None and not published:
        session.commit()
        raise failure
    return len(published)


def _subject(notification_id: uuid.UUID | None, job_id: int | None) -> str:
    """The id a task is given: the notification's (triage) or the job's."""
    return str(notification_id if notification_id is not None else job_id)


def publish_again(session: Session, *, row_ids: Sequence[int]) -> int:
    """Mark these outbox rows unpublished (the relay sends them again), counting an attempt."""
    if not row_ids:
        return 0
    session.execute(
        update(OutboxRow)
        .where(OutboxRow.id.in_(list(row_ids)))
        .values(published_at=None, attempts=OutboxRow.attempts + 1)
    )
    return len(row_ids)


def take_lease(session: Session, *, ids: Sequence[uuid.UUID], seconds: float) -> None:
    """Mark these notifications as being triaged until `seconds` from now (one statement)."""
    if not ids:
        return
    session.execute(
        update(NotificationRecord)
        .where(NotificationRecord.id.in_(list(ids)), NotificationRecord.status == "received")
        .values(lease_until=utcnow() + timedelta(seconds=seconds))
        .execution_options(synchronize_session=False)
    )


def requeue_lost(
    session: Session, *, grace_seconds: float, queue_empty: bool, limit: int = 5000
) -> int:
    """Publish again the notifications whose message looks lost; returns how many.

    Lost: still `received`, no unpublished outbox row, last published more than `grace_seconds`
    ago, and either a triage lease that has run out (a worker took it and died) or, when the
    broker queue is empty (nothing waits that could still deliver it), no lease at all. A false
    guess costs one duplicate delivery, which triage skips (one result per notification).
    """
    now = utcnow()
    cutoff = now - timedelta(seconds=grace_seconds)
    newer = aliased(OutboxRow)
    lease_over = NotificationRecord.lease_until < now
    unleased = NotificationRecord.lease_until.is_(None)
    lost = (
        select(OutboxRow.notification_id, func.max(OutboxRow.id))
        .join(NotificationRecord, NotificationRecord.id == OutboxRow.notification_id)
        .where(
            NotificationRecord.status == "received",
            lease_over | (unleased if queue_empty else false()),
            ~exists().where(
                and_(
                    newer.notification_id == OutboxRow.notification_id,
                    (newer.published_at.is_(None)) | (newer.published_at >= cutoff),
                )
            ),
        )
        .group_by(OutboxRow.notification_id)
        .limit(limit)
    )
    chosen = [row_id for _, row_id in session.execute(lost)]
    if not publish_again(session, row_ids=chosen):
        return 0
    # Cleared, so that the next guess waits for a new lease or a new grace period.
    session.execute(
        update(NotificationRecord)
        .where(
            NotificationRecord.id.in_(
                select(OutboxRow.notification_id).where(OutboxRow.id.in_(chosen))
            )
        )
        .values(lease_until=None)
        .execution_options(synchronize_session=False)
    )
    return len(chosen)


def requeue_stale(session: Session, *, grace_seconds: float) -> int:
    """Mark for publishing again every notification still `received` whose latest publish is
    older than the grace period. Returns how many notifications."""
    cutoff = utcnow() - timedelta(seconds=grace_seconds)
    newer = aliased(OutboxRow)
    stale = (
        select(OutboxRow.id)
        .join(NotificationRecord, NotificationRecord.id == OutboxRow.notification_id)
        .where(
            NotificationRecord.status == "received",
            NotificationRecord.received_at < cutoff,
            OutboxRow.published_at < cutoff,
            ~exists().where(
                and_(
                    newer.notification_id == OutboxRow.notification_id,
                    (newer.published_at.is_(None)) | (newer.published_at >= cutoff),
                )
            ),
        )
    )
    ids = list(session.scalars(stale))
    if not ids:
        return 0
    # One row per notification is enough.
    chosen: dict[uuid.UUID | None, int] = {}  # never None: the join above is to a notification
    for row_id, notification_id in session.execute(
        select(OutboxRow.id, OutboxRow.notification_id).where(OutboxRow.id.in_(ids))
    ):
        chosen.setdefault(notification_id, row_id)
    return publish_again(session, row_ids=list(chosen.values()))
