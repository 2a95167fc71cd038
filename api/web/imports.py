"""Daily files in the browser: business support uploads a force's file (CSV or .xlsx) and
watches its progress; the rows are imported in the background through the contract and the
intake store (models/file_import.py), and the page then lists each rejected row by row number
and column. Importing the same file again adds nothing."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web import csrf
from api.web.csv_export import csv_response
from api.web.deps import database_url, now, require, transaction
from api.web.errors import not_found_page
from api.web.roles import FILE_MAPPINGS, IMPORTS, StaffUser
from api.web.templating import render
from models.audit import staff_actor
from models.daily_file import MAX_FILE_BYTES
from models.db import session_scope
from models.file_import import ImportState, begin_import, import_state, recent_imports, run_import
from models.file_mapping_store import list_source_mappings

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.check_csrf)])
Importer = Annotated[StaffUser, Depends(require(IMPORTS))]
SHOWN_PROBLEMS = 500


def _imports_page(
    request: Request, user: StaffUser, errors: list[dict[str, str]], status_code: int = 200
) -> Response:
    with transaction(request) as session:
        sources = [s for s in list_source_mappings(session) if s.mapping is not None]
        runs = recent_imports(session)
        names = {s.source_id: s.source_name for s in list_source_mappings(session)}
    return render(
        request,
        "imports.html",
        {
            "title": "Daily files",
            "sources": sources,
            "runs": runs,
            "names": names,
            "errors": errors,
            "error_title": bool(errors),
            "can_map": user.can(FILE_MAPPINGS),
        },
        user=user,
        current="imports",
        status_code=status_code,
    )


@router.get("/imports", response_class=HTMLResponse)
def imports_page(request: Request, user: Importer) -> Response:
    return _imports_page(request, user, [])


@router.post("/imports")
async def upload(
    request: Request,
    user: Importer,
    background: BackgroundTasks,
    source_id: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    errors = []
    if not source_id.isdigit():
        errors.append({"text": "Select the police force the file is from", "href": "#source_id"})
    data = await file.read(MAX_FILE_BYTES + 1) if file is not None else b""
    if not data:
        errors.append({"text": "Select a CSV or Excel file", "href": "#file"})
    elif len(data) > MAX_FILE_BYTES:
        errors.append({"text": "The file must be smaller than 50 MB", "href": "#file"})
    if errors:
        return _imports_page(request, user, errors, 400)
    with transaction(request) as session:
        known = {s.source_id for s in list_source_mappings(session) if s.mapping is not None}
        if int(source_id) not in known:
            return _imports_page(
                request,
                user,
                [{"text": "Select a police force with a column mapping", "href": "#source_id"}],
                400,
            )
        import_id = begin_import(
            session,
            source_id=int(source_id),
            file_name=(file.filename if file is not None else None) or "upload",
            data=data,
            actor=staff_actor(user.id),
            now=now(),
        )
    transactions = partial(session_scope, database_url(request))
    background.add_task(run_import, transactions, import_id=import_id, data=data)
    return RedirectResponse(f"/imports/{import_id}", status_code=303)


def _state(request: Request, import_id: int) -> tuple[ImportState | None, str]:
    with transaction(request) as session:
        state = import_state(session, import_id=import_id)
        names = {s.source_id: s.source_name for s in list_source_mappings(session)}
    return state, names.get(state.source_id, "") if state else ""


def _not_found(request: Request, user: StaffUser) -> Response:
    return not_found_page(request, user, back="/imports", title="There is no such import")


def _run_response(
    request: Request, user: StaffUser, import_id: int, *, panel_only: bool
) -> Response:
    """The import's page, or its progress panel alone; both give the panel the same context."""
    state, source = _state(request, import_id)
    if state is None:
        return _not_found(request, user)
    panel = {"run": state, "source": source, "shown": SHOWN_PROBLEMS}
    if panel_only:
        return render(request, "_import_progress.html", panel, user=user)
    return render(
        request,
        "import_run.html",
        {"title": f"Import of {state.file_name}", **panel},
        user=user,
        current="imports",
    )


@router.get("/imports/{import_id}", response_class=HTMLResponse)
def import_page(request: Request, import_id: int, user: Importer) -> Response:
    return _run_response(request, user, import_id, panel_only=False)


@router.get("/imports/{import_id}/progress", response_class=HTMLResponse)
def import_progress(request: Request, import_id: int, user: Importer) -> Response:
    """The progress panel alone (htmx polls it every second while the import runs)."""
    return _run_response(request, user, import_id, panel_only=True)


@router.get("/imports/{import_id}/problems.csv")
def import_problems(request: Request, import_id: int, user: Importer) -> Response:
    state, _source = _state(request, import_id)
    if state is None:
        return _not_found(request, user)
    return csv_response(
        f"import-{import_id}-rejected-rows",
        ("row", "column", "field", "message"),
        ([p["row"], p["column"], p["field"], p["message"]] for p in state.problems),
    )
