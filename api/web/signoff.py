"""Manager sign-off: "no further action" and "no child involvement after all" close an item
only when a manager (not the worker who decided) approves; a returned decision goes back to
its worker, who keeps the item and decides again. Errors follow the GOV.UK pattern (a summary
and a message beside the field, the note kept); success shows a banner."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web import csrf
from api.web.decision_form import ACTION_NAMES
from api.web.deps import Manager, now, transaction
from api.web.errors import MESSAGES, field_errors
from api.web.item import OUTCOME_NAMES
from api.web.local_time import london
from api.web.roles import StaffUser
from api.web.templating import render
from models.casework_store import list_signoffs, sign_off
from models.review_tables import ReviewError

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.check_csrf)])


def signoff_page(
    request: Request,
    user: StaffUser,
    *,
    errors: list[dict[str, str]] | None = None,
    decision_id: int | None = None,
    note: str = "",
    status_code: int = 200,
) -> Response:
    """The sign-off queue; after a refused action, every error in a summary and beside its
    field on the decision it was about, with the note as typed."""
    with transaction(request) as session:
        rows = list_signoffs(session)
    return render(
        request,
        "signoff.html",
        {
            "title": "Decisions waiting for sign-off",
            "rows": rows,
            "outcome_names": OUTCOME_NAMES,
            "action_names": ACTION_NAMES,
            "errors": errors or [],
            "field_errors": field_errors(errors),
            "failed_decision": decision_id,
            "failed_note": note,
            "error_title": bool(errors),
            "notice": request.query_params.get("notice"),
            "london": london,
        },
        user=user,
        current="signoff",
        status_code=status_code,
    )


@router.get("/signoff", response_class=HTMLResponse)
def signoff_queue(request: Request, user: Manager) -> Response:
    return signoff_page(request, user)


def _errors(decision_id: int, action: str, note: str) -> list[dict[str, str]]:
    errors = []
    if action not in ("approve", "return"):
        errors.append(
            {"text": "Choose to sign off or return the decision", "href": f"#actions-{decision_id}"}
        )
    if action == "return" and not note.strip():
        errors.append({"text": MESSAGES["note_required"], "href": f"#note-{decision_id}"})
    return errors


@router.post("/signoff/{decision_id}")
def signoff_decision(
    request: Request,
    decision_id: int,
    user: Manager,
    action: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    errors = _errors(decision_id, action, note)
    if errors:
        return signoff_page(
            request, user, errors=errors, decision_id=decision_id, note=note, status_code=400
        )
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
        field = "note" if error.code == "note_required" else "actions"
        return signoff_page(
            request,
            user,
            errors=[
                {
                    "text": MESSAGES.get(error.code, "That could not be done"),
                    "href": f"#{field}-{decision_id}",
                }
            ],
            decision_id=decision_id,
            note=note,
            status_code=status,
        )
    notice = "approved" if action == "approve" else "returned"
    return RedirectResponse(f"/signoff?notice={notice}", status_code=303)
