"""The duty queue: live duty reviews and triage checks, urgent first then by deadline, with
counts, filters (priority, overdue, mine) and paging."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.web import csrf
from api.web.deps import Caseworker, SessionDep, now
from api.web.templating import render
from models.queue_store import QueueFilters, list_queue
from models.tables import PRIORITIES

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.check_csrf)])
PER_PAGE = 50


def _flag(value: str | None) -> bool:
    return value in ("1", "true", "on", "yes")


@router.get("/queue", response_class=HTMLResponse)
def queue(
    request: Request,
    user: Caseworker,
    session: SessionDep,
    priority: str | None = None,
    overdue: str | None = None,
    mine: str | None = None,
    page: str | None = None,
) -> Response:
    filters = QueueFilters(
        priority=priority if priority in PRIORITIES else None,
        overdue=_flag(overdue),
        mine=_flag(mine),
    )
    number = int(page) if page and page.isdigit() else 1
    at = now()
    result = list_queue(
        session, user_id=user.id, now=at, filters=filters, page=number, per_page=PER_PAGE
    )
    query = {
        k: v
        for k, v in (
            ("priority", filters.priority),
            ("overdue", "1" if filters.overdue else None),
            ("mine", "1" if filters.mine else None),
        )
        if v
    }

    def page_url(n: int) -> str:
        return "/queue?" + urlencode({**query, "page": n})

    return render(
        request,
        "queue.html",
        {
            "title": "Queue",
            "result": result,
            "filters": filters,
            "priorities": PRIORITIES,
            "page_url": page_url,
            "now": at,
        },
        user=user,
        current="queue",
    )
