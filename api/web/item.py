"""The item page: the notification as sent, its people (children highlighted), the narrative
with every evidence span highlighted, the score and reasons, and earlier notifications at the
same address. Every view is audited; managers also see the item's audit trail."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.web import csrf
from api.web.deps import Caseworker, Manager, NotPermitted, now, transaction
from api.web.errors import FIELD_OF, MESSAGES
from api.web.item_view import ROUTE_NAMES, build_item_page
from api.web.roles import MANAGEMENT, StaffUser
from api.web.templating import render
from models.audit import audit_trail, staff_actor, write_audit
from models.casework_store import earlier_at_address, get_item
from models.contract import CATEGORIES
from models.review_tables import DUTY_OUTCOMES, TRIAGE_OUTCOMES
from models.tables import PRIORITIES

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.check_csrf)])

OUTCOME_NAMES = {
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


# Refusals that mean someone else moved first (409); the others are the form's (400).
CONFLICTS = ("conflict", "not_claimed_by_you", "awaiting_signoff", "claimed_by_other")


def not_found(request: Request, user: StaffUser) -> Response:
    return render(
        request,
        "message.html",
        {"title": "Item not found", "lines": ["There is no such item."], "back": "/queue"},
        user=user,
        status_code=404,
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
        page = build_item_page(view, earlier_at_address(session, notification=view.notification))
        write_audit(
            session,
            actor=staff_actor(user.id),
            action="viewed",
            notification_id=view.notification.id,
            detail={"item": view.item.id},
            now=at,
        )
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
            "error_title": bool(errors),
            "form": prefill,
            "notice": notice or request.query_params.get("notice"),
            "mine": view.item.status == "claimed" and view.item.claimed_by == user.id,
            "is_manager": user.can(MANAGEMENT),
            "outcomes": DUTY_OUTCOMES if view.item.kind == "duty_review" else TRIAGE_OUTCOMES,
            "outcome_names": OUTCOME_NAMES,
            "route_names": ROUTE_NAMES,
            "categories": CATEGORIES,
            "priorities": PRIORITIES,
            "now": at,
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
                "text": MESSAGES.get(code, "That could not be done"),
                "href": "#" + FIELD_OF.get(code, "main-content"),
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
        write_audit(
            session,
            actor=staff_actor(user.id),
            action="audit_viewed",
            notification_id=view.notification.id,
            detail={"item": item_id},
            now=at,
        )
        trail = audit_trail(session, notification_id=view.notification.id)
    return render(
        request,
        "audit.html",
        {"title": "Audit trail", "view": view, "trail": trail},
        user=user,
        current="queue",
    )
