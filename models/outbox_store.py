"""The outbox: rows written with each notification, published to the broker by a relay, and
reset by the sweep when a notification is still `received` long after its last publish.

Publishing happens inside the transaction that claims the rows (FOR UPDATE SKIP LOCKED on
PostgreSQL, so several relays never publish the same row at once; SQLite has one writer). A
crash between publish and commit publishes again later: harmless, triage is idempotent.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import timedelta
from itertools import groupby

from sqlalchemy import and_, exists, select, update
from sqlalchemy.orm import aliased

from models.db import session_scope
from models.tables import Notification, OutboxRow
from models.types import utcnow

Publish = Callable[[str, Sequence[str]], None]


def publish_pending(url: str, publish: Publish, limit: int = 500, chunk_size: int = 10) -> int:
    """Publish up to `limit` unpublished rows, `chunk_size` notification ids per message.

    Stops at the first failed publish (the broker is probably down) and keeps what was
    published; the failed rows count an attempt and are tried again on the next call.
    Returns the number of rows published; raises the publish error if none were.
    """
    with session_scope(url) as session:
        rows = session.execute(
            select(OutboxRow.id, OutboxRow.notification_id, OutboxRow.task_name)
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
                    publish(task_name, [str(r.notification_id) for r in chunk])
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
        raise failure
    return len(published)


def requeue_stale(url: str, grace_seconds: float) -> int:
    """Mark for publishing again every notification still `received` whose latest publish is
    older than the grace period. Returns how many notifications."""
    cutoff = utcnow() - timedelta(seconds=grace_seconds)
    newer = aliased(OutboxRow)
    with session_scope(url) as session:
        stale = (
            select(OutboxRow.id)
            .join(Notification, Notification.id == OutboxRow.notification_id)
            .where(
                Notification.status == "received",
                Notification.received_at < cutoff,
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
        chosen: dict[uuid.UUID, int] = {}
        for row_id, notification_id in session.execute(
            select(OutboxRow.id, OutboxRow.notification_id).where(OutboxRow.id.in_(ids))
        ):
            chosen.setdefault(notification_id, row_id)
        session.execute(
            update(OutboxRow)
            .where(OutboxRow.id.in_(list(chosen.values())))
            .values(published_at=None, attempts=OutboxRow.attempts + 1)
        )
        return len(chosen)
