"""The duty queue: live duty reviews and triage checks (and, for managers, the screened-out
sample), urgent first then by deadline, with counts, filters (priority, overdue, mine, force,
work type, received, family name, town) and paging."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from api.web import csrf
from api.web.deps import Caseworker, SessionDep, now
from api.web.roles import MANAGEMENT
from api.web.templating import render
from models.queue_store import RECEIVED_FILTERS, QueueFilters, list_queue
from models.review_tables import WORK_KINDS
from models.tables import PRIORITIES, Source

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.check_csrf)])
PER_PAGE = 50
SAMPLE = "manager_sample"
WORK_TYPE_NAMES = {
    "duty_review": "Duty review",
    "triage_check": "Triage check",
    SAMPLE: "Sample",
}
RECEIVED_NAMES = {
    "day": "In the last 24 hours",
    "week": "In the last 7 days",
    "older": "More than 7 days ago",
}
NOTICES = {
    "released": "The item is back in the queue",
    "decided": "Your decision is recorded",
    "reassigned": "The item has been reassigned",
}


def _flag(value: str | None) -> bool:
    return value in ("1", "true", "on", "yes")


def _text(value: str | None) -> str:
    return (value or "").strip()[:100]


@router.get("/queue", response_class=HTMLResponse)
def queue(
    request: Request,
    user: Caseworker,
    session: SessionDep,
    priority: str | None = None,
    overdue: str | None = None,
    mine: str | None = None,
    force: str | None = None,
    work: str | None = None,
    received: str | None = None,
    family: str | None = None,
    town: str | None = None,
    page: str | None = None,
) -> Response:
    kinds = (*WORK_KINDS, SAMPLE) if user.can(MANAGEMENT) else WORK_KINDS
    sources = list(session.execute(select(Source.id, Source.name).order_by(Source.name)))
    filters = QueueFilters(
        priority=priority if priority in PRIORITIES else None,
        overdue=_flag(overdue),
        mine=_flag(mine),
        source_id=int(force) if force and force.isdigit() else None,
        kind=work if work in kinds else None,
        received=received if received in RECEIVED_FILTERS else None,
        family=_text(family),
        town=_text(town),
    )
    number = int(page) if page and page.isdigit() else 1
    at = now()
    result = list_queue(
        session,
        user_id=user.id,
        now=at,
        filters=filters,
        page=number,
        per_page=PER_PAGE,
        kinds=kinds,
    )
    query = {
        k: v
        for k, v in (
            ("priority", filters.priority),
            ("overdue", "1" if filters.overdue else None),
            ("mine", "1" if filters.mine else None),
            ("force", str(filters.source_id) if filters.source_id is not None else None),
            ("work", filters.kind),
            ("received", filters.received),
            ("family", filters.family),
            ("town", filters.town),
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
            "filtered": bool(query),
            "priorities": PRIORITIES,
            "sources": sources,
            "work_types": [(k, WORK_TYPE_NAMES[k]) for k in kinds],
            "work_type_names": WORK_TYPE_NAMES,
            "received_names": RECEIVED_NAMES,
            "page_url": page_url,
            "notice": NOTICES.get(request.query_params.get("notice", "")),
            "overdue_count": result.counts.overdue,
            "is_manager": user.can(MANAGEMENT),
            "now": at,
        },
        user=user,
        current="queue",
    )
