"""The item page: a plain-English summary of what was found and where, the priority with its
reason and the deadline in UK time, the narrative highlighted by the fact, the people (children
highlighted), earlier notifications at the same address, the decision form (with the worker's
saved draft) and the notification as sent. Every view is audited; managers also see the item's
audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from api.web import csrf
from api.web.decision_form import ACTION_NAMES
from api.web.deps import Caseworker, Manager, NotPermitted, now, transaction
from api.web.errors import FIELD_OF, MESSAGES, field_errors, not_found_page
from api.web.item_view import ROUTE_NAMES, build_item_page
from api.web.known_people import known_people
from api.web.local_time import london
from api.web.roles import MANAGEMENT, StaffUser
from api.web.templating import render
from governance.policy import active_policy
from models.audit import audit_trail, staff_actor, write_audit
from models.casework_store import ItemView, get_item
from models.contract import CATEGORIES
from models.drafts_store import get_draft
from models.item_context_store import earlier_at_address, item_context
from models.review_tables import CASE_RECORD_OUTCOMES, DUTY_OUTCOMES, TRIAGE_OUTCOMES
from models.tables import PRIORITIES

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.check_csrf)])

OUTCOME_NAMES = {
    "open_case": "Open case: pass to the allocated worker",
    "refer_for_assessment": "Refer for assessment",
    "strategy_discussion": "Strategy discussion",
    "early_help": "Early help",
    "no_further_action": "No further action",
    "close_no_child": "No child involvement after all",
    "child_involved": "Child involved: move to duty review",
    "confirm_screen_out": "No child involved: screen out",
    "confirm": "Confirm: no child involvement",
    "overturn": "Overturn: a child is involved (a miss)",
}


# Refusals of this page's own forms, beside the shared ones of api/web/errors.py.
ITEM_MESSAGES = {
    **MESSAGES,
    "case_record_required": "Enter the case record ID of the allocated worker",
    "case_record_too_long": "Case record ID must be 64 characters or fewer",
    "invalid_action": "Select actions from the list",
    "draft_too_long": "Your draft is too long to save",
}
ITEM_FIELDS = {
    **FIELD_OF,
    "case_record_required": "case_record_id",
    "case_record_too_long": "case_record_id",
    "invalid_action": "actions",
    "draft_too_long": "reasoning",
}

# Refusals that mean someone else moved first (409); the others are the form's (400).
CONFLICTS = ("conflict", "not_claimed_by_you", "awaiting_signoff", "claimed_by_other")


def not_found(request: Request, user: StaffUser) -> Response:
    return not_found_page(
        request, user, "There is no such item.", back="/queue", title="Item not found"
    )


def audit_item(
    session: Session,
    user: StaffUser,
    action: str,
    view: ItemView,
    at: datetime,
    detail: dict[str, object] | None = None,
) -> None:
    """Audit `action` by `user` on an item: on its notification, the item (and `detail`) named."""
    write_audit(
        session,
        actor=staff_actor(user.id),
        action=action,
        notification_id=view.notification.id,
        detail={"item": view.item.id, **(detail or {})},
        now=at,
    )


def item_response(
    request: Request,
    user: StaffUser,
    item_id: int,
    *,
    errors: list[dict[str, str]] | None = None,
    form: dict[str, Any] | None = None,
    status_code: int = 200,
    notice: str | None = None,
) -> Response:
    """Render the item page (auditing the view), with form errors when a POST was refused."""
    at = now()
    with transaction(request) as session:
        view = get_item(session, item_id=item_id)
        if view is None:
            return not_found(request, user)
        if view.item.kind == "manager_sample" and not user.can(MANAGEMENT):
            raise NotPermitted(user)
        page = build_item_page(
            view,
            earlier_at_address(session, notification=view.notification),
            context=item_context(
                session, item=view.item, notification=view.notification, result=view.result
            ),
            policy=active_policy(session),
            now=at,
        )
        draft = get_draft(session, item_id=item_id, user_id=user.id)
        known = known_people(session, notification_id=view.notification.id)
        audit_item(session, user, "viewed", view, at)
    if form is None and draft is not None:
        form = {
            "outcome": draft.outcome or "",
            "reasoning": draft.reasoning,
            "categories": draft.categories,
            "priority": draft.priority,
            "case_record_id": draft.case_record_id or "",
            "actions": draft.actions,
        }
    prefill = dict(form or {})
    if "categories" not in prefill and view.result is not None:
        prefill["categories"] = list(view.result.categories)
    return render(
        request,
        "item.html",
        {
            "title": f"{page.doc.reference if page.doc else view.notification.reference}",
            "page": page,
            "view": view,
            "item": view.item,
            "result": view.result,
            "errors": errors or [],
            "field_errors": field_errors(errors),
            "error_title": bool(errors),
            "form": prefill,
            "draft": draft,
            "action_names": ACTION_NAMES,
            "case_record_outcomes": CASE_RECORD_OUTCOMES,
            "london": london,
            "notice": notice or request.query_params.get("notice"),
            "mine": view.item.status == "claimed" and view.item.claimed_by == user.id,
            "is_manager": user.can(MANAGEMENT),
            "outcomes": DUTY_OUTCOMES if view.item.kind == "duty_review" else TRIAGE_OUTCOMES,
            "outcome_names": OUTCOME_NAMES,
            "route_names": ROUTE_NAMES,
            "categories": CATEGORIES,
            "priorities": PRIORITIES,
            "now": at,
            "known_people": known,
        },
        user=user,
        current="sample" if view.item.kind == "manager_sample" else "queue",
        status_code=status_code,
    )


def refused(
    request: Request,
    user: StaffUser,
    item_id: int,
    code: str,
    form: dict[str, Any] | None = None,
) -> Response:
    """The item page again, with the reason the action was refused."""
    return item_response(
        request,
        user,
        item_id,
        errors=[
            {
                "text": ITEM_MESSAGES.get(code, "That could not be done"),
                "href": "#" + ITEM_FIELDS.get(code, "main-content"),
            }
        ],
        form=form,
        status_code=409 if code in CONFLICTS else 400,
    )


@router.get("/items/{item_id}", response_class=HTMLResponse)
def item_page(
    request: Request,
    item_id: int,
    user: Caseworker,
) -> Response:
    return item_response(request, user, item_id)


@router.get("/items/{item_id}/audit", response_class=HTMLResponse)
def item_audit(
    request: Request,
    item_id: int,
    user: Manager,
) -> Response:
    at = now()
    with transaction(request) as session:
        view = get_item(session, item_id=item_id)
        if view is None:
            return not_found(request, user)
        audit_item(session, user, "audit_viewed", view, at)
        trail = audit_trail(session, notification_id=view.notification.id)
    return render(
        request,
        "audit.html",
        {"title": "Audit trail", "view": view, "trail": trail},
        user=user,
        current="queue",
    )
