"""The manager's CSV export of the contacts handed over to case management (the same records
as `GET /v1/contacts`, docs/contacts-feed.md), optionally from a decision date; audited."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.web import csrf
from api.web.csv_export import csv_response
from api.web.deps import Manager, SessionDep, now
from api.web.templating import render
from models.audit import staff_actor
from models.contacts_store import SOURCE_CODE, SOURCE_DESC, all_contacts, audit_handover

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.check_csrf)])

COLUMNS = (
    "cont_contact_id",
    "cont_person_id",
    "cont_contact_date",
    "cont_contact_source_code",
    "cont_contact_source_desc",
    "cont_contact_outcome_json",
    "nfa_flag",
    "outcome",
    "decided_at",
    "notification_id",
    "reference",
    "source",
    "child_given_name",
    "child_family_name",
    "child_date_of_birth",
    "child_age",
    "child_gender",
    "child_ethnicity",
)
CHILD_FIELDS = ("given_name", "family_name", "date_of_birth", "age", "gender", "ethnicity")


def _from_date(value: str | None) -> tuple[datetime | None, bool]:
    """The start of the day given (YYYY-MM-DD), and whether the value was readable."""
    if not value:
        return None, True
    try:
        return datetime.combine(date.fromisoformat(value), time(), tzinfo=UTC), True
    except ValueError:
        return None, False


@router.get("/contacts", response_class=HTMLResponse)
def contacts_page(request: Request, user: Manager) -> Response:
    return render(
        request,
        "contacts.html",
        {"title": "Contacts for case management", "errors": [], "decided_from": ""},
        user=user,
        current="contacts",
    )


@router.get("/contacts.csv")
def contacts_csv(
    request: Request, user: Manager, session: SessionDep, decided_from: str | None = None
) -> Response:
    start, readable = _from_date(decided_from)
    if not readable:
        return render(
            request,
            "contacts.html",
            {
                "title": "Contacts for case management",
                "errors": [{"text": "Enter a date like 2026-11-30", "href": "#decided_from"}],
                "error_title": True,
                "decided_from": decided_from,
            },
            user=user,
            current="contacts",
            status_code=400,
        )
    moment = now()
    contacts = all_contacts(session, decided_from=start, now=moment)
    audit_handover(
        session,
        actor=staff_actor(user.id),
        action="contacts_exported",
        contacts=contacts,
        now=moment,
    )
    rows = []
    for c in contacts:
        child = c.child or {}
        rows.append(
            [
                c.contact_id,
                c.person_ref,
                c.contact_date.isoformat(),
                SOURCE_CODE,
                SOURCE_DESC,
                json.dumps(c.outcome_flags),
                "Y" if c.nfa else "N",
                c.outcome,
                c.decided_at.isoformat(),
                str(c.notification_id),
                c.reference,
                c.source,
                *(child.get(field) for field in CHILD_FIELDS),
            ]
        )
    return csv_response(f"contacts-{moment:%Y-%m-%d}", COLUMNS, rows)
