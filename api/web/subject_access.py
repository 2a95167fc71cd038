"""Subject access for a manager or head of safeguarding: find a person by name and date of
birth, see which notifications they appear in, and download the export (JSON, or Markdown to
read) for the data-protection officer to review and redact. Every search and download is an
export: logged and audited on each notification it holds."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from api.web import csrf
from api.web.deps import Manager, now, transaction
from api.web.person_form import PostedPerson
from api.web.templating import render
from governance.subject_access import Subject, export
from governance.subject_access_markdown import markdown
from models.audit import staff_actor
from models.subject_access_store import recent_exports

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.check_csrf)])
FORMATS = ("preview", "json", "md")


def _page(
    request: Request,
    user: Any,
    *,
    form: dict[str, str] | None = None,
    errors: list[dict[str, str]] | None = None,
    found: Any = None,
    status_code: int = 200,
) -> Response:
    with transaction(request) as session:
        exports = recent_exports(session)
    return render(
        request,
        "subject_access.html",
        {
            "title": "Subject access",
            "form": form or {},
            "errors": errors or [],
            "error_title": bool(errors),
            "found": found,
            "exports": exports,
        },
        user=user,
        current="subject_access",
        status_code=status_code,
    )


@router.get("/subject-access", response_class=HTMLResponse)
def subject_access_page(request: Request, user: Manager) -> Response:
    return _page(request, user)


@router.post("/subject-access", response_class=HTMLResponse)
def subject_access_export(
    request: Request,
    user: Manager,
    person: PostedPerson,
    output: Annotated[str, Form()] = "preview",
) -> Response:
    form = person.values()
    errors = person.errors()
    born = person.born()
    if errors or born is None:
        return _page(request, user, form=form, errors=errors, status_code=400)
    kind = output if output in FORMATS else "preview"
    with transaction(request) as session:
        made = export(
            session,
            subject=Subject(person.given_name.strip(), person.family_name.strip(), born),
            actor=staff_actor(user.id),
            formats=(kind,),
            now=now(),
        )
    if kind == "preview":
        return _page(request, user, form=form, found=made)
    body, media = (
        (made.json(), "application/json")
        if kind == "json"
        else (markdown(made), "text/markdown; charset=utf-8")
    )
    return Response(
        body,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="subject-access-{made.export_id}.{kind}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
