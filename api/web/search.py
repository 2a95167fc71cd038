"""Search every notification, screened out or not, by reference, name, date of birth, postcode
or address line; read one that has no work item; a manager moves it to duty review.

Each search is audited with what it was by and how many it found, never the words searched
(a name or a date of birth is personal data); each view of a notification is audited too.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web import csrf
from api.web.deps import Caseworker, Manager, SessionDep, now, transaction
from api.web.errors import not_found_page
from api.web.roles import MANAGEMENT, StaffUser
from api.web.templating import render
from governance.policy import active_policy, deadline_hours
from models.audit import staff_actor, write_audit
from models.queue_store import queue_for_duty
from models.search_store import (
    SEARCH_KINDS,
    NotificationView,
    SearchHit,
    SearchPage,
    parse_dob,
    read_notification,
    search,
)
from models.tables import PRIORITIES

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.check_csrf)])
LIMIT = 50
KIND_NAMES = {
    "reference": "Reference",
    "name": "Name",
    "dob": "Date of birth",
    "postcode": "Postcode",
    "address": "Address line",
}
EMPTY = {
    "reference": "Enter a reference, or the start of one",
    "name": "Enter a name, or part of one",
    "postcode": "Enter a postcode, or the start of one",
    "address": "Enter the first line of an address, or part of it",
}
ROUTE_NAMES = {
    "duty_review": "Duty review",
    "triage_check": "Triage check",
    "screened_out": "Screened out",
}


def link_of(hit: SearchHit | NotificationView, user: StaffUser) -> str:
    """Where a result leads: its newest work item this user may open, else the read-only page."""
    for item_id, kind, _status in hit.items:
        if kind != "manager_sample" or user.can(MANAGEMENT):
            return f"/items/{item_id}"
    notification_id = hit.notification_id if isinstance(hit, SearchHit) else hit.id
    return f"/notifications/{notification_id}"


def _query_of(by: str, q: str, day: str, month: str, year: str) -> tuple[str, dict[str, str]]:
    """The text to search for, or the error (field id and message) that stops the search."""
    if by == "dob":
        if not (day.strip() or month.strip() or year.strip()):
            return "", {"href": "#dob-day", "text": "Enter a date of birth"}
        born = parse_dob(day.strip(), month.strip(), year.strip())
        if born is None or born.year < 1900:
            return "", {"href": "#dob-day", "text": "Date of birth must be a real date"}
        return born.isoformat(), {}
    if not q.strip():
        return "", {"href": "#q", "text": EMPTY[by]}
    return q.strip()[:200], {}


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    user: Caseworker,
    session: SessionDep,
    by: str | None = None,
    q: str = "",
    similar: str | None = None,
    day: Annotated[str, Query(alias="dob-day")] = "",
    month: Annotated[str, Query(alias="dob-month")] = "",
    year: Annotated[str, Query(alias="dob-year")] = "",
) -> Response:
    kind = by if by in SEARCH_KINDS else "name"
    errors: list[dict[str, str]] = []
    results: SearchPage | None = None
    if by is not None:
        query, error = _query_of(kind, q, day, month, year)
        if error:
            errors.append(error)
        else:
            results = search(session, kind=kind, query=query, similar=similar == "1", limit=LIMIT)
            write_audit(
                session,
                actor=staff_actor(user.id),
                action="searched",
                detail={"by": kind, "results": results.total},
                now=now(),
            )
    return render(
        request,
        "search.html",
        {
            "title": "Search",
            "kind": kind,
            "kinds": KIND_NAMES,
            "form": {"q": q, "day": day, "month": month, "year": year, "similar": similar},
            "errors": errors,
            "error_title": bool(errors),
            "results": results,
            "limit": LIMIT,
            "link_of": lambda hit: link_of(hit, user),
            "route_names": ROUTE_NAMES,
        },
        user=user,
        current="search",
        status_code=400 if errors else 200,
    )


def _notification_response(
    request: Request,
    user: StaffUser,
    notification_id: uuid.UUID,
    *,
    errors: list[dict[str, str]] | None = None,
) -> Response:
    with transaction(request) as session:
        view = read_notification(session, notification_id=notification_id)
        if view is None:
            return not_found_page(
                request,
                user,
                "There is no such notification.",
                back="/search",
                back_text="Search again",
            )
        write_audit(
            session,
            actor=staff_actor(user.id),
            action="viewed",
            notification_id=view.id,
            detail={"page": "notification"},
            now=now(),
        )
    context: dict[str, Any] = {
        "title": view.reference,
        "view": view,
        "doc": view.document,
        "route_names": ROUTE_NAMES,
        "item_link": link_of(view, user) if view.items else None,
        "can_move": user.can(MANAGEMENT) and not view.live_work(),
        "priorities": PRIORITIES,
        "errors": errors or [],
        "error_title": bool(errors),
    }
    return render(
        request,
        "notification.html",
        context,
        user=user,
        current="search",
        status_code=400 if errors else 200,
    )


@router.get("/notifications/{notification_id}", response_class=HTMLResponse)
def notification_page(request: Request, notification_id: uuid.UUID, user: Caseworker) -> Response:
    return _notification_response(request, user, notification_id)


@router.post("/notifications/{notification_id}/duty-review")
def move_to_duty_review(
    request: Request,
    notification_id: uuid.UUID,
    user: Manager,
    priority: Annotated[str, Form()] = "",
) -> Response:
    """A manager opens a duty review of a notification that has no live work item."""
    if priority not in PRIORITIES:
        return _notification_response(
            request,
            user,
            notification_id,
            errors=[{"href": "#priority", "text": "Select a priority for the duty review"}],
        )
    at = now()
    with transaction(request) as session:
        view = read_notification(session, notification_id=notification_id)
        if view is None or view.live_work():
            item_id = None
        else:
            item = queue_for_duty(
                session,
                notification_id=notification_id,
                priority=priority,
                deadline_hours=deadline_hours(active_policy(session)),
                now=at,
            )
            item_id = item.id
            write_audit(
                session,
                actor=staff_actor(user.id),
                action="moved_to_duty_review",
                notification_id=notification_id,
                detail={"item": item.id, "priority": priority},
                now=at,
            )
    if item_id is None:
        return _notification_response(
            request,
            user,
            notification_id,
            errors=[
                {
                    "href": "#main-content",
                    "text": "This notification already has a duty review or triage check",
                }
            ],
        )
    return RedirectResponse(f"/items/{item_id}?notice=moved", status_code=303)
