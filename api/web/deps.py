"""What every staff route depends on: the database, the signed-in user and a role check.

A request is signed in only through the session cookie that /login sets; an API key (or any
other header) opens no staff page. The user is re-read from the database on every request, so
deactivating an account or changing a role takes effect at once, and a session issued under an
earlier session version (before a logout, deactivation or password change) is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from api.web.roles import ADMINISTRATION, CASEWORK, MANAGEMENT, OVERSIGHT, POLICY, StaffUser
from models.db import session_scope
from models.settings import Settings
from models.staff_store import get_staff

SESSION_USER = "uid"
SESSION_ROLE = "role"
# The user's session version when the session was issued: a bump (logout, deactivation, new
# password) ends every copy of the cookie, however long its signature would last.
SESSION_VERSION = "sv"


class NotSignedIn(Exception):
    """No valid staff session: send the person to the sign-in page."""


class NotPermitted(Exception):
    """Signed in, but this role may not open the page."""

    def __init__(self, user: StaffUser) -> None:
        super().__init__(user.role)
        self.user = user


def settings_of(request: Request) -> Settings:
    """The settings the app was built with (read once, at start)."""
    settings: Settings = request.app.state.settings
    return settings


def database_url(request: Request) -> str:
    return str(request.app.state.web_database_url)


@contextmanager
def transaction(request: Request) -> Iterator[Session]:
    """One database transaction: committed on success, rolled back on any exception."""
    with session_scope(database_url(request)) as session:
        yield session


def now() -> datetime:
    return datetime.now(UTC)


def signed_in_user(request: Request) -> StaffUser:
    uid = request.session.get(SESSION_USER)
    if not isinstance(uid, int):
        raise NotSignedIn
    with transaction(request) as session:
        row = get_staff(session, user_id=uid)
        if (
            row is None
            or not row.active
            or row.role != request.session.get(SESSION_ROLE)
            or row.session_version != request.session.get(SESSION_VERSION)
        ):
            request.session.clear()
            raise NotSignedIn
        return StaffUser(id=row.id, username=row.username, role=row.role)


def require(allowed: frozenset[str]) -> Callable[[Request], StaffUser]:
    """A dependency that lets through only a signed-in user whose role is in `allowed`."""

    def dependency(request: Request) -> StaffUser:
        user = signed_in_user(request)
        if not user.can(allowed):
            raise NotPermitted(user)
        return user

    return dependency


def request_session(request: Request) -> Iterator[Session]:
    """The request's transaction as a dependency: committed when the route returns, before the
    response is sent. For routes that do not catch a refusal and go on (those roll back with
    `transaction`)."""
    with transaction(request) as session:
        yield session


# The dependencies of the staff routes, defined once.
SessionDep = Annotated[Session, Depends(request_session, scope="function")]
CurrentUser = Annotated[StaffUser, Depends(signed_in_user)]
Caseworker = Annotated[StaffUser, Depends(require(CASEWORK))]
Manager = Annotated[StaffUser, Depends(require(MANAGEMENT))]
Head = Annotated[StaffUser, Depends(require(POLICY))]
Admin = Annotated[StaffUser, Depends(require(ADMINISTRATION))]
Overseer = Annotated[StaffUser, Depends(require(OVERSIGHT))]
