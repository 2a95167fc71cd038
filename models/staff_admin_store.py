"""Staff administration: the accounts listed with their full names, a new account with its
name, a change of role or name. (Activation and passwords are models/staff_store.py's.)

A change of role ends every session of the account, as deactivation and a new password do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from models.admin_tables import StaffName
from models.review_tables import ReviewError
from models.staff_store import create_staff, end_sessions
from models.tables import StaffAccount


@dataclass(frozen=True)
class StaffRow:
    id: int
    username: str
    full_name: str
    role: str
    active: bool
    created_at: datetime

    @property
    def name(self) -> str:
        return self.full_name or self.username


def _select() -> Select[int, str, str, str, bool, datetime]:
    return select(
        StaffAccount.id,
        StaffAccount.username,
        StaffName.full_name,
        StaffAccount.role,
        StaffAccount.active,
        StaffAccount.created_at,
    ).outerjoin(StaffName, StaffName.staff_id == StaffAccount.id)


def _row(r: Any) -> StaffRow:
    return StaffRow(r[0], r[1], r[2] or "", r[3], bool(r[4]), r[5])


def list_staff(session: Session, *, roles: tuple[str, ...] | None = None) -> list[StaffRow]:
    """Every account (of `roles`, when given), active first, then by name."""
    stmt = _select().order_by(StaffAccount.active.desc(), StaffAccount.username)
    if roles is not None:
        stmt = stmt.where(StaffAccount.role.in_(roles))
    return [_row(r) for r in session.execute(stmt)]


def staff_row(session: Session, *, user_id: int) -> StaffRow | None:
    r = session.execute(_select().where(StaffAccount.id == user_id)).first()
    return _row(r) if r is not None else None


def set_full_name(session: Session, *, user_id: int, full_name: str) -> None:
    row = session.get(StaffName, user_id)
    if row is None:
        session.add(StaffName(staff_id=user_id, full_name=full_name))
    else:
        row.full_name = full_name
    session.flush()


def create_named_staff(
    session: Session,
    *,
    username: str,
    full_name: str,
    password_hash: str,
    role: str,
    now: datetime,
) -> int:
    """A new active account with its full name; ReviewError("username_taken") if the username
    is in use."""
    user = create_staff(
        session, username=username, password_hash=password_hash, role=role, now=now
    )
    if full_name:
        set_full_name(session, user_id=user.id, full_name=full_name)
    return user.id


def set_role(session: Session, *, user_id: int, role: str) -> str:
    """Give an account another role (every session ends); return the role it had."""
    before = session.scalar(select(StaffAccount.role).where(StaffAccount.id == user_id))
    if before is None:
        raise ReviewError("not_found")
    session.execute(
        update(StaffAccount)
        .where(StaffAccount.id == user_id)
        .values(role=role)
        .execution_options(synchronize_session=False)
    )
    end_sessions(session, user_id=user_id)
    return before
