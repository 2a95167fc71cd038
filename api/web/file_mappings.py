"""A force's column mapping, defined in the browser by a head of safeguarding or an
administrator: upload a sample file, see its header and first rows, pick the contract field
each column holds and how dates are written, save. Imports then read that force's files with
it (models/file_mapping.py)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api.web import csrf
from api.web.deps import now, require, transaction
from api.web.roles import FILE_MAPPINGS, StaffUser
from api.web.templating import render
from models.audit import staff_actor
from models.daily_file import MAX_FILE_BYTES, DailyFileError, read_table, sample_of
from models.file_mapping import (
    PERSON_FIELDS,
    PERSON_SLOTS,
    TOP_FIELDS,
    FileMapping,
    guess_field,
)
from models.file_mapping_store import (
    list_source_mappings,
    mapping_for,
    save_mapping,
    source_id_named,
)
from models.key_store import ensure_source

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.check_csrf)])
Mapper = Annotated[StaffUser, Depends(require(FILE_MAPPINGS))]
SAMPLE_ROWS = 3


def _slot_name(slot: str) -> str:
    kind, _, number = slot.rpartition("_")
    if number.isdigit():
        return f"{kind.replace('_', ' ').capitalize()} {number}"
    return slot.replace("_", " ").capitalize()


def field_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The fields a column can hold, grouped for the select: (group, [(value, label)])."""
    groups = [("Notification", [(name, name.replace("_", " ")) for name in TOP_FIELDS])]
    for slot, _role in PERSON_SLOTS:
        groups.append(
            (
                _slot_name(slot),
                [
                    (f"{slot}_{field}", f"{_slot_name(slot)}: {field.replace('_', ' ')}")
                    for field in PERSON_FIELDS
                ],
            )
        )
    return groups


@router.get("/imports/mappings", response_class=HTMLResponse)
def mappings_page(request: Request, user: Mapper) -> Response:
    return _mappings_page(request, user, [], notice=request.query_params.get("notice"))


def _mappings_page(
    request: Request,
    user: StaffUser,
    errors: list[dict[str, str]],
    *,
    source_name: str = "",
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    with transaction(request) as session:
        sources = list_source_mappings(session)
    return render(
        request,
        "file_mappings.html",
        {
            "title": "Column mappings for daily files",
            "sources": sources,
            "errors": errors,
            "error_title": bool(errors),
            "source_name": source_name,
            "notice": notice,
        },
        user=user,
        current="imports",
        status_code=status_code,
    )


@router.post("/imports/mappings/sample")
async def read_sample(
    request: Request,
    user: Mapper,
    source_name: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    name = source_name.strip()
    errors = []
    if not name or len(name) > 100:
        errors.append({"text": "Enter the police force's name (up to 100 characters)",
                       "href": "#source_name"})
    data = await file.read(MAX_FILE_BYTES + 1) if file is not None else b""
    table = None
    if not data:
        errors.append({"text": "Select a sample file (CSV or Excel)", "href": "#file"})
    else:
        try:
            table = read_table(data, filename=(file.filename if file else "") or "")
        except DailyFileError as error:
            errors.append({"text": f"The sample cannot be read: {error}", "href": "#file"})
    if errors or table is None:
        return _mappings_page(request, user, errors, source_name=name, status_code=400)
    with transaction(request) as session:
        source_id = source_id_named(session, name=name)
        existing = mapping_for(session, source_id=source_id) if source_id is not None else None
    chosen = {
        column: (existing.columns.get(column) if existing else None) or guess_field(column) or ""
        for column in table.header
    }
    rows = sample_of(table, SAMPLE_ROWS)
    columns = [
        {
            "index": i,
            "header": header,
            "samples": [row[i] for row in rows if i < len(row) and row[i]],
            "field": chosen[header],
        }
        for i, header in enumerate(table.header)
    ]
    return _form(request, user, name, columns, existing or FileMapping(columns={}), [])


def _form(
    request: Request,
    user: StaffUser,
    source_name: str,
    columns: list[dict[str, Any]],
    mapping: FileMapping,
    errors: list[dict[str, str]],
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "mapping_form.html",
        {
            "title": f"Column mapping for {source_name}",
            "source_name": source_name,
            "columns": columns,
            "mapping": mapping,
            "choices": field_choices(),
            "errors": errors,
            "error_title": bool(errors),
        },
        user=user,
        current="imports",
        status_code=status_code,
    )


@router.post("/imports/mappings/save")
async def save(request: Request, user: Mapper) -> Response:
    form = await request.form()
    text = {key: str(value) for key, value in form.items() if isinstance(value, str)}
    name = text.get("source_name", "").strip()
    count = int(text["count"]) if text.get("count", "").isdigit() else 0
    columns = [
        {
            "index": i,
            "header": text.get(f"column_{i}", ""),
            "samples": [s for s in text.get(f"samples_{i}", "").split("\u241e") if s],
            "field": text.get(f"field_{i}", ""),
        }
        for i in range(min(count, 500))
    ]
    chosen = {c["header"]: c["field"] for c in columns if c["field"] and c["header"]}
    errors: list[dict[str, str]] = []
    mapping = FileMapping(columns={})
    try:
        mapping = FileMapping(
            columns=chosen,
            datetime_format=text.get("datetime_format", "").strip() or "%d/%m/%Y %H:%M",
            date_format=text.get("date_format", "").strip() or "%d/%m/%Y",
        )
    except ValidationError as error:
        for item in error.errors(include_input=False):
            where = str(item["loc"][0]) if item["loc"] else "columns"
            href = "#datetime_format" if where == "datetime_format" else "#date_format" \
                if where == "date_format" else "#field_0"
            errors.append({"text": str(item["msg"]).removeprefix("Value error, ").capitalize(),
                           "href": href})
    if not errors:
        for fmt, href in ((mapping.datetime_format, "#datetime_format"),
                          (mapping.date_format, "#date_format")):
            if "%" not in fmt:
                errors.append({"text": "Write a date format with codes such as %d/%m/%Y",
                               "href": href})
        gaps = mapping.missing()
        if gaps:
            errors.append({"text": f"Choose a column for: {', '.join(gaps)}", "href": "#field_0"})
    if not name:
        errors.append({"text": "Enter the police force's name", "href": "#source_name"})
    if errors:
        return _form(request, user, name, columns, mapping, errors, 400)
    with transaction(request) as session:
        source_id = ensure_source(session, name=name)
        save_mapping(
            session, source_id=source_id, mapping=mapping, actor=staff_actor(user.id), now=now()
        )
    return RedirectResponse("/imports/mappings?notice=saved", status_code=303)
