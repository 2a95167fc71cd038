"""Staff accounts in the browser, for administrators: list, add (a temporary password shown
once), change role, deactivate and reactivate, force a password reset. Every change is audited;
a change of role, a deactivation and a reset end every session of the account at once. An
administrator cannot lock themself out (no deactivating or re-roling their own account)."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web import csrf
from api.web.deps import Admin, SessionDep, now, transaction
from api.web.errors import not_found_page
from api.web.passwords import hash_password
from api.web.roles import ROLE_NAMES, ROLES, StaffUser
from api.web.templating import render
from models.audit import staff_actor, write_audit
from models.review_tables import ReviewError
from models.staff_admin_store import create_named_staff, list_staff, set_role, staff_row
from models.staff_store import set_active, set_password

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.check_csrf)])
NOTICES = {
    "role": "The role is changed; the member of staff must sign in again",
    "deactivated": "The account is deactivated and every session of it has ended",
    "reactivated": "The account is active again",
}


def temporary_password() -> str:
    """A password for a new account or a reset: 20 characters, above the 12 the rule needs."""
    return secrets.token_urlsafe(15)


@router.get("/admin/staff", response_class=HTMLResponse)
def staff_list(request: Request, user: Admin, session: SessionDep) -> Response:
    return render(
        request,
        "admin_staff.html",
        {"title": "Staff", "staff": list_staff(session), "role_names": ROLE_NAMES},
        user=user,
        current="staff",
    )


def _new_form(
    request: Request, user: StaffUser, form: dict[str, str], errors: list[dict[str, str]]
) -> Response:
    return render(
        request,
        "admin_staff_new.html",
        {
            "title": "Add a member of staff",
            "form": form,
            "errors": errors,
            "error_title": bool(errors),
            "roles": ROLES,
            "role_names": ROLE_NAMES,
        },
        user=user,
        current="staff",
        status_code=400 if errors else 200,
    )


@router.get("/admin/staff/new", response_class=HTMLResponse)
def staff_new(request: Request, user: Admin) -> Response:
    return _new_form(request, user, {}, [])


@router.post("/admin/staff/new", response_class=HTMLResponse)
def staff_create(
    request: Request,
    user: Admin,
    username: Annotated[str, Form()] = "",
    full_name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
) -> Response:
    form = {"username": username.strip(), "full_name": full_name.strip(), "role": role}
    errors = []
    if not form["full_name"]:
        errors.append({"href": "#full_name", "text": "Enter the person's full name"})
    elif len(form["full_name"]) > 200:
        errors.append({"href": "#full_name", "text": "Full name must be 200 characters or fewer"})
    if not form["username"]:
        errors.append({"href": "#username", "text": "Enter a username"})
    elif len(form["username"]) > 100 or any(c.isspace() for c in form["username"]):
        errors.append(
            {"href": "#username", "text": "Username must be 100 characters or fewer, no spaces"}
        )
    if role not in ROLES:
        errors.append({"href": "#role", "text": "Select a role"})
    if errors:
        return _new_form(request, user, form, errors)
    password = temporary_password()
    try:
        with transaction(request) as session:
            new_id = create_named_staff(
                session,
                username=form["username"],
                full_name=form["full_name"],
                password_hash=hash_password(password),
                role=role,
                now=now(),
            )
            write_audit(
                session,
                actor=staff_actor(user.id),
                action="staff_created",
                detail={"staff": new_id, "role": role},
                now=now(),
            )
    except ReviewError:
        taken = [{"href": "#username", "text": "That username is already in use: choose another"}]
        return _new_form(request, user, form, taken)
    return _password_shown(request, user, new_id, password, created=True)


def _password_shown(
    request: Request, user: StaffUser, staff_id: int, password: str, *, created: bool
) -> Response:
    with transaction(request) as session:
        row = staff_row(session, user_id=staff_id)
    return render(
        request,
        "admin_staff_password.html",
        {
            "title": "Account added" if created else "Password reset",
            "row": row,
            "password": password,
            "created": created,
            "role_names": ROLE_NAMES,
        },
        user=user,
        current="staff",
    )


def _detail(
    request: Request, user: StaffUser, staff_id: int, errors: list[dict[str, str]] | None = None
) -> Response:
    with transaction(request) as session:
        row = staff_row(session, user_id=staff_id)
    if row is None:
        return not_found_page(
            request,
            user,
            "There is no such member of staff.",
            back="/admin/staff",
            back_text="Back to staff",
        )
    context: dict[str, Any] = {
        "title": row.name,
        "row": row,
        "roles": ROLES,
        "role_names": ROLE_NAMES,
        "own": row.id == user.id,
        "errors": errors or [],
        "error_title": bool(errors),
        "notice": NOTICES.get(request.query_params.get("notice", "")),
    }
    return render(
        request,
        "admin_staff_detail.html",
        context,
        user=user,
        current="staff",
        status_code=400 if errors else 200,
    )


@router.get("/admin/staff/{staff_id}", response_class=HTMLResponse)
def staff_detail(request: Request, staff_id: int, user: Admin) -> Response:
    return _detail(request, user, staff_id)


OWN = [{"href": "#main-content", "text": "You cannot change your own role or deactivate yourself"}]


@router.post("/admin/staff/{staff_id}/role")
def staff_role(
    request: Request, staff_id: int, user: Admin, role: Annotated[str, Form()] = ""
) -> Response:
    if staff_id == user.id:
        return _detail(request, user, staff_id, OWN)
    if role not in ROLES:
        return _detail(request, user, staff_id, [{"href": "#role", "text": "Select a role"}])
    try:
        with transaction(request) as session:
            before = set_role(session, user_id=staff_id, role=role)
            write_audit(
                session,
                actor=staff_actor(user.id),
                action="role_changed",
                detail={"staff": staff_id, "role_from": before, "role_to": role},
                now=now(),
            )
    except ReviewError:
        return _detail(request, user, staff_id)
    return RedirectResponse(f"/admin/staff/{staff_id}?notice=role", status_code=303)


@router.post("/admin/staff/{staff_id}/active")
def staff_active(
    request: Request, staff_id: int, user: Admin, active: Annotated[str, Form()] = ""
) -> Response:
    if staff_id == user.id:
        return _detail(request, user, staff_id, OWN)
    on = active == "1"
    with transaction(request) as session:
        if staff_row(session, user_id=staff_id) is None:
            return _detail(request, user, staff_id)
        set_active(session, user_id=staff_id, active=on)
        write_audit(
            session,
            actor=staff_actor(user.id),
            action="staff_reactivated" if on else "staff_deactivated",
            detail={"staff": staff_id},
            now=now(),
        )
    notice = "reactivated" if on else "deactivated"
    return RedirectResponse(f"/admin/staff/{staff_id}?notice={notice}", status_code=303)


@router.post("/admin/staff/{staff_id}/password", response_class=HTMLResponse)
def staff_password_reset(request: Request, staff_id: int, user: Admin) -> Response:
    password = temporary_password()
    with transaction(request) as session:
        if staff_row(session, user_id=staff_id) is None:
            return _detail(request, user, staff_id)
        set_password(session, user_id=staff_id, password_hash=hash_password(password))
        write_audit(
            session,
            actor=staff_actor(user.id),
            action="password_reset",
            detail={"staff": staff_id},
            now=now(),
        )
    return _password_shown(request, user, staff_id, password, created=False)
