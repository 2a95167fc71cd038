"""Claim, release and decide an item, keep a draft of the decision, and list one's own
decisions. A claim is a conditional UPDATE, so of two people who press "Claim" together
exactly one gets the item and the other is told who has it. A decision's form errors are all
reported at once (error summary and inline), its values kept; success shows a banner."""

from __future__ import annotations

from html import escape
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web import csrf
from api.web.decision_form import ACTION_NAMES, DecisionForm, form_errors, summary_list
from api.web.deps import Caseworker, now, transaction
from api.web.item import ITEM_MESSAGES, OUTCOME_NAMES, audit_item, item_response, refused
from api.web.local_time import london
from api.web.templating import render
from governance.policy import active_policy, deadline_hours
from models.casework_store import get_item, record_decision
from models.drafts_store import my_decisions, save_draft
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
            audit_item(session, user, "claimed", view, at)
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
                audit_item(session, user, "released", view, at)
    except ReviewError as error:
        return refused(request, user, item_id, error.code)
    return RedirectResponse("/queue?notice=released", status_code=303)


def _posted_form(
    outcome: Annotated[str, Form()] = "",
    reasoning: Annotated[str, Form()] = "",
    categories: Annotated[list[str] | None, Form()] = None,
    priority: Annotated[str, Form()] = "",
    case_record_id: Annotated[str, Form()] = "",
    actions: Annotated[list[str] | None, Form()] = None,
) -> DecisionForm:
    """The decision form as posted, read once for both deciding and saving a draft."""
    return DecisionForm(
        outcome=outcome,
        reasoning=reasoning,
        categories=list(categories or []),
        priority=priority,
        case_record_id=case_record_id,
        actions=list(actions or []),
    )


PostedForm = Annotated[DecisionForm, Depends(_posted_form)]


@router.post("/items/{item_id}/decide")
def decide_item(
    request: Request,
    item_id: int,
    user: Caseworker,
    form: PostedForm,
) -> Response:
    values = form.as_context()
    with transaction(request) as session:
        view = get_item(session, item_id=item_id)
        kind = view.item.kind if view is not None else "duty_review"
    problems = form_errors(kind, form)
    if problems and view is not None and view.item.claimed_by == user.id:
        return item_response(
            request, user, item_id, errors=summary_list(problems), form=values, status_code=400
        )
    try:
        with transaction(request) as session:
            result = record_decision(
                session,
                item_id=item_id,
                user_id=user.id,
                outcome=form.outcome,
                reasoning=form.reasoning,
                categories=form.categories,
                priority=form.priority or None,
                deadline_hours=deadline_hours(active_policy(session)),
                now=now(),
                case_record_id=form.case_record_id,
                actions=form.actions,
            )
    except ReviewError as error:
        return refused(request, user, item_id, error.code, values)
    notice = "signoff" if result.needs_signoff else "decided"
    return RedirectResponse(f"/items/{item_id}?notice={notice}", status_code=303)


@router.post("/items/{item_id}/draft")
def save_item_draft(
    request: Request,
    item_id: int,
    user: Caseworker,
    form: PostedForm,
) -> Response:
    """Keep the decision as it stands, undecided: a button, or htmx as the worker types."""
    at = now()
    try:
        with transaction(request) as session:
            save_draft(
                session,
                item_id=item_id,
                user_id=user.id,
                outcome=form.outcome or None,
                reasoning=form.reasoning,
                categories=form.categories,
                actions=form.actions,
                case_record_id=form.case_record_id,
                priority=form.priority or None,
                now=at,
            )
    except ReviewError as error:
        if request.headers.get("HX-Request"):
            message = ITEM_MESSAGES.get(error.code, "Your draft could not be saved")
            return HTMLResponse(f"<span>{escape(message)}</span>", status_code=409)
        return refused(request, user, item_id, error.code, form.as_context())
    if request.headers.get("HX-Request"):
        return HTMLResponse(f"<span>Draft saved at {escape(london(at))}</span>")
    return RedirectResponse(f"/items/{item_id}?notice=draft#decide", status_code=303)


@router.get("/my-decisions", response_class=HTMLResponse)
def my_decisions_page(request: Request, user: Caseworker, page: int = 1) -> Response:
    with transaction(request) as session:
        history = my_decisions(session, user_id=user.id, page=page)
    return render(
        request,
        "my_decisions.html",
        {
            "title": "My decisions",
            "history": history,
            "outcome_names": OUTCOME_NAMES,
            "action_names": ACTION_NAMES,
            "london": london,
        },
        user=user,
        current="mine",
    )
