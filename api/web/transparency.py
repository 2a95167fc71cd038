"""The transparency record and model card (ATRS order), generated from the live registry and
policy, as a page and as a Markdown download."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.web import csrf
from api.web.deps import Head, database_url, now, transaction
from api.web.templating import render
from governance.transparency import build_record, record_markdown

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.check_csrf)])


@router.get("/transparency", response_class=HTMLResponse)
def transparency_page(request: Request, user: Head) -> Response:
    with transaction(request) as session:
        record = build_record(session, url=database_url(request), now=now())
    return render(request, "transparency.html",
                  {"title": "Transparency record", "record": record},
                  user=user, current="transparency")


@router.get("/transparency.md")
def transparency_markdown(request: Request, user: Head) -> Response:
    with transaction(request) as session:
        record = build_record(session, url=database_url(request), now=now())
    return Response(record_markdown(record), media_type="text/markdown; charset=utf-8",
                    headers={"Content-Disposition":
                             'attachment; filename="transparency-record.md"',
                             "Cache-Control": "no-store"})
