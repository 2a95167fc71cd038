"""Claim, release and decide an item. A claim is a conditional UPDATE, so of two people who
press "Claim" together exactly one gets the item and the other is told who has it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from api.web import csrf
from api.web.deps import Caseworker, now, transaction
from api.web.item import refused
from governance.policy import active_policy, deadline_hours
from models.audit import staff_actor, write_audit
from models.casework_store import get_item, record_decision
from models.queue_store import claim, release
from models.review_tables import ReviewError

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.check_csrf)])


@router.post("/items/{item_id}/claim")
def claim_item(request: Request, item_id: int, user: Caseworker) -> Response:
    at = now()
    with transaction(request) as session:
        won = claim(session, item_id=item_id, user_id=user.id, now=at)
        view = get_item(session, item_id=item_id) if won else None
        if view is not None:
            write_audit(
                session,
                actor=staff_actor(user.id),
                action="claimed",
                notification_id=view.notification.id,
                detail={"item": item_id},
                now=at,
            )
    if not won:
        return refused(request, user, item_id, "claimed_by_other")
    return RedirectResponse(f"/items/{item_id}?notice=claimed", status_code=303)


@router.post("/items/{item_id}/release")
def release_item(request: Request, item_id: int, user: Caseworker) -> Response:
    at = now()
    try:
        with transaction(request) as session:
            if not release(session, item_id=item_id, user_id=user.id):
                raise ReviewError("not_claimed_by_you")
            view = get_item(session, item_id=item_id)
            if view is not None:
                write_audit(
                    session,
                    actor=staff_actor(user.id),
                    action="released",
                    notification_id=view.notification.id,
                    detail={"item": item_id},
                    now=at,
                )
    except ReviewError as error:
        return refused(request, user, item_id, error.code)
    return RedirectResponse("/queue?notice=released", status_code=303)


@router.post("/items/{item_id}/decide")
def decide_item(
    request: Request,
    item_id: int,
    user: Caseworker,
    outcome: Annotated[str, Form()] = "",
    reasoning: Annotated[str, Form()] = "",
    categories: Annotated[list[str] | None, Form()] = None,
    priority: Annotated[str, Form()] = "",
) -> Response:
    values: dict[str, Any] = {
        "outcome": outcome,
        "reasoning": reasoning,
        "categories": list(categories or []),
        "priority": priority or None,
    }
    try:
        with transaction(request) as session:
            result = record_decision(
                session,
                item_id=item_id,
                user_id=user.id,
                outcome=outcome,
                reasoning=reasoning,
                categories=values["categories"],
                priority=values["priority"],
                deadline_hours=deadline_hours(active_policy(session)),
                now=now(),
            )
    except ReviewError as error:
        return refused(request, user, item_id, error.code, values)
    if result.needs_signoff:
        return RedirectResponse(f"/items/{item_id}?notice=signoff", status_code=303)
    return RedirectResponse("/queue?notice=decided", status_code=303)
