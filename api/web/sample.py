"""Manager sampling of screened-out notifications: a share of screen-outs (policy setting)
comes here; the manager confirms or overturns. An overturn is a miss: the notification goes to
duty review as urgent and is counted."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web import csrf
from api.web.deps import Manager, now, transaction
from api.web.item import refused
from api.web.templating import render
from governance.policy import active_policy, deadline_hours
from models.review_tables import ReviewError
from models.sampling_store import list_sample, sample_verdict

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.check_csrf)])


@router.get("/sample", response_class=HTMLResponse)
def sample_queue(request: Request, user: Manager) -> Response:
    with transaction(request) as session:
        summary = list_sample(session)
        share = active_policy(session).sample_share
    return render(
        request,
        "sample.html",
        {
            "title": "Screened-out sample",
            "summary": summary,
            "share": share,
            "notice": request.query_params.get("notice"),
        },
        user=user,
        current="sample",
    )


@router.post("/sample/{item_id}")
def sample_decide(
    request: Request,
    item_id: int,
    user: Manager,
    outcome: Annotated[str, Form()] = "",
    reasoning: Annotated[str, Form()] = "",
    categories: Annotated[list[str] | None, Form()] = None,
) -> Response:
    values: dict[str, Any] = {
        "outcome": outcome,
        "reasoning": reasoning,
        "categories": list(categories or []),
    }
    try:
        with transaction(request) as session:
            new_item = sample_verdict(
                session,
                item_id=item_id,
                manager_id=user.id,
                outcome=outcome,
                reasoning=reasoning,
                categories=values["categories"],
                deadline_hours=deadline_hours(active_policy(session)),
                now=now(),
            )
    except ReviewError as error:
        return refused(request, user, item_id, error.code, values)
    notice = "overturned" if new_item is not None else "confirmed"
    return RedirectResponse(f"/sample?notice={notice}", status_code=303)
