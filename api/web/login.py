"""Sign in and sign out.

Failed sign-ins are counted per (client address, username) pair, whether or not the name
exists: after five, that pair is refused for a minute, doubling with each further failure up to
an hour, even with the right password, and the answer (429) carries `Retry-After`. Someone
elsewhere guessing at a name therefore cannot lock its owner out, and known and unknown names
get the same answers after the same work (one password hash each time). Failed sign-ins are
audited with the username as a keyed hash, never in clear. Signing out ends every session of
the user (see api/web/deps.py, SESSION_VERSION). The password hash and the database work of a
sign-in run in the threadpool, never on the event loop, so a slow sign-in holds up no one else.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from datetime import datetime

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.web import csrf
from api.web.deps import (
    SESSION_ROLE,
    SESSION_USER,
    SESSION_VERSION,
    CurrentUser,
    NotSignedIn,
    now,
    signed_in_user,
    transaction,
)
from api.web.passwords import hash_password, lock_until, needs_rehash, verify_password
from api.web.roles import ADMINISTRATION, CASEWORK, MANAGEMENT, POLICY, StaffUser
from api.web.templating import render
from models.audit import staff_actor, system_actor, write_audit
from models.staff_store import (
    clear_throttle,
    end_sessions,
    find_staff,
    record_successful_login,
    record_throttled_failure,
    throttle_state,
)

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.check_csrf)])

FAILED = "Enter a correct username and password"
LOCKED = "Too many failed attempts. Wait a few minutes, then try again"


def home_for(user: StaffUser) -> str:
    if user.can(CASEWORK):
        return "/queue"
    if user.can(MANAGEMENT):
        return "/signoff"
    if user.can(POLICY):
        return "/policy"
    if user.can(ADMINISTRATION):
        return "/admin/staff"
    return "/account"


def _safe_next(target: str | None) -> str | None:
    """Only a local path: never an absolute or scheme-relative URL (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@router.get("/", response_class=HTMLResponse)
def root(request: Request) -> Response:
    try:
        user = signed_in_user(request)
    except NotSignedIn:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse(home_for(user), status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", {"next": _safe_next(next) or "", "error": None})


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    form = await request.form()
    username = str(form.get("username") or "").strip()
    password = str(form.get("password") or "")
    target = _safe_next(str(form.get("next") or ""))
    result = await run_in_threadpool(_check, request, username, password)
    if isinstance(result, datetime):  # refused until then
        retry_after = max(1, math.ceil((result - now()).total_seconds()))
        refused = render(
            request,
            "login.html",
            {"next": target or "", "error": LOCKED, "username": username},
            status_code=429,
        )
        refused.headers["Retry-After"] = str(retry_after)
        return refused
    if result is None:
        return render(
            request,
            "login.html",
            {"next": target or "", "error": FAILED, "username": username},
            status_code=401,
        )
    user, version = result
    request.session.clear()
    request.session[SESSION_USER] = user.id
    request.session[SESSION_ROLE] = user.role
    request.session[SESSION_VERSION] = version
    csrf.rotate(request)
    return RedirectResponse(target or home_for(user), status_code=303)


def keyed_hash(request: Request, *parts: str) -> str:
    """HMAC-SHA256 under the session secret: stable for counting and auditing, not reversible
    by hashing a list of likely names."""
    secret = str(request.app.state.web_secret).encode()
    return hmac.new(secret, "\0".join(parts).encode(), hashlib.sha256).hexdigest()


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _check(
    request: Request, username: str, password: str
) -> tuple[StaffUser, int] | datetime | None:
    """(the user, their session version) on success; the time until which this address and
    name are refused; or None for a wrong name or password. One password hash in every case."""
    at = now()
    name = username.casefold()
    key = keyed_hash(request, "throttle", client_address(request), name)
    audit = {"username_hmac": keyed_hash(request, "username", name)}
    with transaction(request) as session:
        throttle = throttle_state(session, key=key)
        locked_until = throttle.locked_until if throttle is not None else None
        if locked_until is not None and locked_until > at:
            verify_password(None, password)  # the same work as a real check
            write_audit(
                session,
                actor=system_actor("login"),
                action="login_refused_throttled",
                detail=audit,
                now=at,
            )
            return locked_until
        row = find_staff(session, username=username) if username else None
        ok = verify_password(row.password_hash if row else None, password)
        if row is None or not ok or not row.active:
            failed = record_throttled_failure(session, key=key, now=at, lock=lock_until)
            write_audit(
                session,
                actor=system_actor("login"),
                action="login_failed",
                detail={**audit, "failures": failed.failures},
                now=at,
            )
            return None
        clear_throttle(session, key=key)
        rehash = hash_password(password) if needs_rehash(row.password_hash) else None
        record_successful_login(session, user_id=row.id, new_hash=rehash)
        write_audit(session, actor=staff_actor(row.id), action="login", now=at)
        return StaffUser(id=row.id, username=row.username, role=row.role), row.session_version


@router.post("/logout")
def logout(request: Request) -> Response:
    """Sign out: every session of this user ends, including copies of this cookie."""
    uid = request.session.get(SESSION_USER)
    if isinstance(uid, int):
        with transaction(request) as session:
            end_sessions(session, user_id=uid)
            write_audit(session, actor=staff_actor(uid), action="logout", now=now())
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, user: CurrentUser) -> Response:
    return render(request, "account.html", {}, user=user)
