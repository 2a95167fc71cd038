"""A manager's hand on claims: release another worker's claim, or pass an item to a named
worker (GET the page, POST the action). Both are audited with who held it and who holds it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web import csrf
from api.web.deps import Manager, now, transaction
from api.web.errors import MESSAGES, not_found_page
from api.web.item import audit_item
from api.web.roles import CASEWORK, StaffUser
from api.web.templating import render
from models.casework_store import get_item
from models.claims_store import holder_of, reassign_claim, release_claim
from models.review_tables import WORK_KINDS, ReviewError
from models.staff_admin_store import list_staff

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.check_csrf)])
REFUSALS = {
    **MESSAGES,
    "not_claimed": "Nobody holds this item now",
    "invalid_worker": "Select an active duty worker or manager",
    "already_holds": "That person already holds this item",
}


def _page(request: Request, user: StaffUser, item_id: int, error: str | None = None) -> Response:
    with transaction(request) as session:
        view = get_item(session, item_id=item_id)
        if view is None or view.item.kind not in WORK_KINDS or view.item.status == "closed":
            return not_found_page(request, user, "There is no such open item.", back="/queue")
        holder = holder_of(session, item_id=item_id)
        workers = [
            w
            for w in list_staff(session, roles=tuple(sorted(CASEWORK)))
            if w.active and w.id != holder
        ]
        names = {w.id: w.name for w in list_staff(session)}
    errors = (
        [{"href": "#to", "text": REFUSALS.get(error, "That could not be done")}] if error else []
    )
    return render(
        request,
        "claim_manage.html",
        {
            "title": "Manage the claim",
            "view": view,
            "holder": names.get(holder) if holder else None,
            "workers": workers,
            "errors": errors,
            "error_title": bool(errors),
        },
        user=user,
        current="queue",
        status_code=409 if errors else 200,
    )


@router.get("/items/{item_id}/claim", response_class=HTMLResponse)
def manage_claim(request: Request, item_id: int, user: Manager) -> Response:
    return _page(request, user, item_id)


@router.post("/items/{item_id}/release-claim")
def release(request: Request, item_id: int, user: Manager) -> Response:
    try:
        with transaction(request) as session:
            view = get_item(session, item_id=item_id)
            if view is None:
                raise ReviewError("not_found")
            holder = release_claim(session, item_id=item_id)
            audit_item(session, user, "claim_released", view, now(), {"from": holder})
    except ReviewError as error:
        return _page(request, user, item_id, error.code)
    return RedirectResponse("/queue?notice=released", status_code=303)


@router.post("/items/{item_id}/reassign")
def reassign(
    request: Request, item_id: int, user: Manager, to: Annotated[str, Form()] = ""
) -> Response:
    if not to.isdigit():
        return _page(request, user, item_id, "invalid_worker")
    at = now()
    try:
        with transaction(request) as session:
            view = get_item(session, item_id=item_id)
            if view is None:
                raise ReviewError("not_found")
            holder = reassign_claim(
                session, item_id=item_id, to_user_id=int(to), roles=CASEWORK, now=at
            )
            audit_item(session, user, "claim_reassigned", view, at, {"from": holder, "to": int(to)})
    except ReviewError as error:
        return _page(request, user, item_id, error.code)
    return RedirectResponse("/queue?notice=reassigned", status_code=303)
