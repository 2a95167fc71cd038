"""Retention for a head of safeguarding: the schedule of the active policy, a dry run showing
what the purge would remove now, the purge itself, legal holds (on a notification by its
reference, or on a person by name and date of birth) and the log of purge runs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web import csrf
from api.web.deps import Head, database_url, now, transaction
from api.web.person_form import PostedPerson
from api.web.roles import StaffUser
from api.web.templating import render
from governance.policy import active_policy
from governance.retention import PurgeReport, purge
from models.audit import staff_actor
from models.retention_store import (
    active_holds,
    notification_by_reference,
    place_notification_hold,
    place_person_hold,
    recent_runs,
    release_hold,
)
from screening.retention_schedule import RETENTION_CLASS_NAMES, RETENTION_CLASSES

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.check_csrf)])
NOTICES = {
    "purged": "The purge has run: the personal data past its schedule was removed.",
    "held": "The legal hold is placed: nothing it covers will be purged.",
    "released": "The legal hold is released.",
    "not_found": "There is no such active hold.",
}


def _page(
    request: Request,
    user: StaffUser,
    *,
    dry: PurgeReport | None = None,
    errors: list[dict[str, str]] | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    with transaction(request) as session:
        policy = active_policy(session)
        holds = active_holds(session)
        runs = recent_runs(session)
    schedule = [(RETENTION_CLASS_NAMES[c], policy.retention.months(c)) for c in RETENTION_CLASSES]
    return render(
        request,
        "retention.html",
        {
            "title": "Retention and legal holds",
            "policy": policy,
            "schedule": schedule,
            "holds": holds,
            "runs": runs,
            "dry": dry,
            "class_names": RETENTION_CLASS_NAMES,
            "errors": errors or [],
            "form": form or {},
            "error_title": bool(errors),
            "notice": NOTICES.get(request.query_params.get("notice", "")),
        },
        user=user,
        current="retention",
        status_code=status_code,
    )


@router.get("/retention", response_class=HTMLResponse)
def retention_page(request: Request, user: Head) -> Response:
    return _page(request, user)


@router.post("/retention/dry-run", response_class=HTMLResponse)
def dry_run(request: Request, user: Head) -> Response:
    report = purge(database_url(request), dry_run=True, actor=staff_actor(user.id))
    return _page(request, user, dry=report)


@router.post("/retention/purge")
def purge_now(request: Request, user: Head) -> Response:
    purge(database_url(request), actor=staff_actor(user.id))
    return RedirectResponse("/retention?notice=purged", status_code=303)


@router.post("/retention/holds", response_class=HTMLResponse)
def place_hold(
    request: Request,
    user: Head,
    person: PostedPerson,
    kind: Annotated[str, Form()] = "",
    reference: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    form: dict[str, Any] = {
        "kind": kind,
        "reference": reference,
        **person.values(),
        "reason": reason,
    }
    errors = []
    born = person.born()
    if not reason.strip():
        where = "#person-reason" if kind == "person" else "#n-reason"
        errors.append({"text": "Enter why the hold is needed", "href": where})
    with transaction(request) as session:
        if kind == "person":
            errors += person.errors()
            if not errors and born is not None:
                place_person_hold(
                    session,
                    given_name=person.given_name,
                    family_name=person.family_name,
                    date_of_birth=born,
                    reason=reason.strip(),
                    placed_by=user.id,
                    now=now(),
                )
        else:
            found = notification_by_reference(session, reference=reference.strip())
            if found is None:
                errors.append(
                    {"text": "Enter the reference of a stored notification", "href": "#reference"}
                )
            if not errors and found is not None:
                place_notification_hold(
                    session,
                    notification_id=found,
                    reason=reason.strip(),
                    placed_by=user.id,
                    now=now(),
                )
    if errors:
        return _page(request, user, errors=errors, form=form, status_code=400)
    return RedirectResponse("/retention?notice=held", status_code=303)


@router.post("/retention/holds/{hold_id}/release")
def release(request: Request, hold_id: int, user: Head) -> Response:
    with transaction(request) as session:
        done = release_hold(session, hold_id=hold_id, released_by=user.id, now=now())
    return RedirectResponse(
        f"/retention?notice={'released' if done else 'not_found'}", status_code=303
    )
