"""Manager sign-off: "no further action" and "no child involvement after all" close an item
only when a manager (not the worker who decided) approves; a returned decision goes back to
its worker, who keeps the item and decides again."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web import csrf
from api.web.deps import Manager, now, transaction
from api.web.errors import MESSAGES
from api.web.item import OUTCOME_NAMES
from api.web.roles import StaffUser
from api.web.templating import render
from models.casework_store import list_signoffs, sign_off
from models.review_tables import ReviewError

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.check_csrf)])


def signoff_page(
    request: Request, user: StaffUser, error: str | None = None, status_code: int = 200
) -> Response:
    with transaction(request) as session:
        rows = list_signoffs(session)
    return render(
        request,
        "signoff.html",
        {
            "title": "Decisions waiting for sign-off",
            "rows": rows,
            "outcome_names": OUTCOME_NAMES,
            "errors": [{"text": error, "href": "#signoff-list"}] if error else [],
            "error_title": bool(error),
            "notice": request.query_params.get("notice"),
        },
        user=user,
        current="signoff",
        status_code=status_code,
    )


@router.get("/signoff", response_class=HTMLResponse)
def signoff_queue(request: Request, user: Manager) -> Response:
    return signoff_page(request, user)


@router.post("/signoff/{decision_id}")
def signoff_decision(
    request: Request,
    decision_id: int,
    user: Manager,
    action: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    if action not in ("approve", "return"):
        return signoff_page(request, user, "Choose to sign off or return the decision", 400)
    try:
        with transaction(request) as session:
            sign_off(
                session,
                decision_id=decision_id,
                manager_id=user.id,
                approve=action == "approve",
                note=note,
                now=now(),
            )
    except ReviewError as error:
        status = 409 if error.code in ("conflict", "own_decision") else 400
        return signoff_page(
            request, user, MESSAGES.get(error.code, "That could not be done"), status
        )
    notice = "approved" if action == "approve" else "returned"
    return RedirectResponse(f"/signoff?notice={notice}", status_code=303)
