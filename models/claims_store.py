"""A manager's hand on claims: give another worker's claimed item back to the queue, or pass
it to a named worker. Both are conditional UPDATEs on the holder read, so a claim that moved
meanwhile is not taken from its new holder; neither acts while a decision awaits sign-off.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.db import changed_one
from models.queue_store import has_pending
from models.review_tables import ReviewError
from models.tables import QueueItem, StaffAccount


def holder_of(session: Session, *, item_id: int) -> int | None:
    """Who holds a claimed item (None when it is not claimed)."""
    return session.scalar(
        select(QueueItem.claimed_by).where(QueueItem.id == item_id, QueueItem.status == "claimed")
    )


def _move(session: Session, item_id: int, holder: int, **values: object) -> None:
    if not changed_one(
        session,
        update(QueueItem)
        .where(
            QueueItem.id == item_id,
            QueueItem.status == "claimed",
            QueueItem.claimed_by == holder,
        )
        .values(**values),
    ):
        raise ReviewError("conflict")


def release_claim(session: Session, *, item_id: int) -> int:
    """Put a claimed item back in the queue, whoever holds it; return who held it."""
    holder = holder_of(session, item_id=item_id)
    if holder is None:
        raise ReviewError("not_claimed")
    if has_pending(session, item_id=item_id):
        raise ReviewError("awaiting_signoff")
    _move(session, item_id, holder, status="open", claimed_by=None, claimed_at=None)
    return holder


def reassign_claim(
    session: Session, *, item_id: int, to_user_id: int, roles: frozenset[str], now: datetime
) -> int | None:
    """Give an item (claimed or open) to an active worker of `roles`; return who held it."""
    target = session.get(StaffAccount, to_user_id)
    if target is None or not target.active or target.role not in roles:
        raise ReviewError("invalid_worker")
    if has_pending(session, item_id=item_id):
        raise ReviewError("awaiting_signoff")
    holder = holder_of(session, item_id=item_id)
    if holder == to_user_id:
        raise ReviewError("already_holds")
    if holder is None:
        if not changed_one(
            session,
            update(QueueItem)
            .where(QueueItem.id == item_id, QueueItem.status == "open")
            .values(status="claimed", claimed_by=to_user_id, claimed_at=now),
        ):
            raise ReviewError("conflict")
        return None
    _move(session, item_id, holder, claimed_by=to_user_id, claimed_at=now)
    return holder
