"""Sign in and sign out.

Failed sign-ins are counted per account; after five the account is locked for a minute,
doubling with each further failure up to an hour, and a locked account cannot sign in even
with the right password. The message never says whether the name or the password was wrong,
and an unknown name costs the same hashing time as a known one.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web import csrf
from api.web.deps import SESSION_ROLE, SESSION_USER, NotSignedIn, now, signed_in_user, transaction
from api.web.passwords import hash_password, lock_until, needs_rehash, verify_password
from api.web.roles import CASEWORK, MANAGEMENT, POLICY, StaffUser
from api.web.templating import render
from models.review_store import (
    find_staff,
    record_failed_login,
    record_successful_login,
    set_lock,
    write_audit,
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
    result = _check(request, username, password)
    if isinstance(result, str):
        return render(
            request,
            "login.html",
            {"next": target or "", "error": result, "username": username},
            status_code=429 if result == LOCKED else 401,
        )
    request.session.clear()
    request.session[SESSION_USER] = result.id
    request.session[SESSION_ROLE] = result.role
    csrf.rotate(request)
    return RedirectResponse(target or home_for(result), status_code=303)


def _check(request: Request, username: str, password: str) -> StaffUser | str:
    """The user on success, else the message to show."""
    at = now()
    with transaction(request) as session:
        row = find_staff(session, username) if username else None
        if row is not None and row.locked_until is not None and row.locked_until > at:
            verify_password(None, password)  # same cost as a real check
            write_audit(session, row.id, "login_refused_locked", None, now=at)
            return LOCKED
        ok = verify_password(row.password_hash if row else None, password)
        if row is None:
            return FAILED
        if not ok or not row.active:
            failures = record_failed_login(session, row.id)
            set_lock(session, row.id, lock_until(failures, at))
            write_audit(session, row.id, "login_failed", None, {"failures": failures}, now=at)
            return FAILED
        rehash = hash_password(password) if needs_rehash(row.password_hash) else None
        record_successful_login(session, row.id, rehash)
        write_audit(session, row.id, "login", None, now=at)
        return StaffUser(id=row.id, username=row.username, role=row.role)


@router.post("/logout")
def logout(request: Request) -> Response:
    uid = request.session.get(SESSION_USER)
    if isinstance(uid, int):
        with transaction(request) as session:
            write_audit(session, uid, "logout", None, now=now())
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/account", response_class=HTMLResponse)
def account(request: Request) -> Response:
    user = signed_in_user(request)
    return render(request, "account.html", {}, user=user)
