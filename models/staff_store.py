"""Staff accounts and sign-in: find and create accounts, passwords, activation, the sessions
an account may hold (a version bumped to end them all), lockout and sign-in throttling.

Counters are atomic UPDATEs, so concurrent failed sign-ins are all counted.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from models.review_tables import ReviewError
from models.tables import LoginThrottle, StaffAccount


def find_staff(session: Session, *, username: str) -> StaffAccount | None:
    return session.scalar(select(StaffAccount).where(StaffAccount.username == username))


def get_staff(session: Session, *, user_id: int) -> StaffAccount | None:
    return session.get(StaffAccount, user_id)


def staff_id_by_name(session: Session, *, username: str) -> int | None:
    return session.scalar(select(StaffAccount.id).where(StaffAccount.username == username))


def create_staff(
    session: Session, *, username: str, password_hash: str, role: str, now: datetime
) -> StaffAccount:
    if find_staff(session, username=username) is not None:
        raise ReviewError("username_taken")
    user = StaffAccount(
        username=username, password_hash=password_hash, role=role, active=True, created_at=now
    )
    session.add(user)
    session.flush()
    return user


def _set(session: Session, user_id: int, **values: Any) -> None:
    session.execute(
        update(StaffAccount)
        .where(StaffAccount.id == user_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def end_sessions(session: Session, *, user_id: int) -> None:
    """End every session of this user (logout, deactivation, a new password)."""
    _set(session, user_id, session_version=StaffAccount.session_version + 1)


def set_password(session: Session, *, user_id: int, password_hash: str) -> None:
    """A new password; every session of the user ends."""
    _set(session, user_id, password_hash=password_hash)
    end_sessions(session, user_id=user_id)


def set_active(session: Session, *, user_id: int, active: bool) -> None:
    """Activate or deactivate an account; deactivation ends every session of the user."""
    _set(session, user_id, active=active)
    if not active:
        end_sessions(session, user_id=user_id)


def record_successful_login(session: Session, *, user_id: int, new_hash: str | None) -> None:
    values: dict[str, Any] = {"failed_logins": 0, "locked_until": None}
    if new_hash:
        values["password_hash"] = new_hash
    _set(session, user_id, **values)


def throttle_state(session: Session, *, key: str) -> LoginThrottle | None:
    return session.get(LoginThrottle, key)


def record_throttled_failure(
    session: Session,
    *,
    key: str,
    now: datetime,
    lock: Callable[[int, datetime], datetime | None],
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


def clear_throttle(session: Session, *, key: str) -> None:
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))
