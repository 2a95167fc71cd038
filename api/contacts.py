"""`GET /v1/contacts`: the hand-over to case management, a paged, ordered, resumable feed of
contact records shaped as the Standard Safeguarding Dataset's `ssd_contacts` (one per child of
each decided notification; docs/contacts-feed.md).

Read with a consumer key (`dvc_...`, `dvscreen apikeys create --consumer NAME`); a police
source's key is refused (403), a missing or unknown key is 401. Each page gives `next`, the
cursor to pass as `since` for the following page; a consumer that stores it and resumes gets
every contact exactly once, in order, including those decided while it was paging. Every
contact handed over is audited, per notification.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Security
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, Field

from api.api_keys import UNAUTHORISED_HEADERS, bearer_scheme
from api.openapi import responses
from api.problems import FieldError, ProblemError
from models.consumer_key_store import Consumer, authenticate_consumer, is_consumer_key
from models.contacts_store import (
    SOURCE_CODE,
    SOURCE_DESC,
    Contact,
    audit_handover,
    contacts_after,
    position_before,
)
from models.db import session_scope
from models.key_store import KEY_SCHEME
from models.types import utcnow

router = APIRouter(prefix="/v1/contacts", tags=["contacts"])
CURSOR = re.compile(r"^p(\d{1,18})$")
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


class ChildDetails(BaseModel):
    given_name: str | None
    family_name: str | None
    date_of_birth: str | None = Field(description="YYYY-MM-DD")
    age: int | None = Field(description="age on the day of the incident")
    gender: str | None
    ethnicity: str | None
    present_at_incident: bool | None
    lives_at_address: bool | None


class NotificationRef(BaseModel):
    id: str
    reference: str
    source: str


class ContactOut(BaseModel):
    """One ssd_contacts row, with the service's own outcome and the child it is about."""

    cont_contact_id: str
    cont_person_id: str | None = Field(
        description="this service's reference for the child (null when no child is named)"
    )
    cont_contact_date: datetime = Field(description="when the notification was received")
    cont_contact_source_code: str = Field(description="CIN census source code: 6 (Police)")
    cont_contact_source_desc: str
    cont_contact_outcome_json: dict[str, str] = Field(
        description="every ssd_contacts outcome flag, each 'Y' or 'N'"
    )
    nfa_flag: bool = Field(description="no further action")
    outcome: str = Field(description="the service's final outcome code")
    decided_at: datetime
    notification: NotificationRef
    child: ChildDetails | None


class PageLinks(BaseModel):
    next: str


class ContactsPage(BaseModel):
    contacts: list[ContactOut]
    next: str = Field(description="pass as `since` for the next page (also when this is empty)")
    more: bool = Field(description="true when more contacts are ready now")
    links: PageLinks


def require_consumer(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Security(bearer_scheme),  # noqa: B008
) -> Consumer:
    """The consumer whose key was presented; 403 for a police source's key, else 401."""
    token = credentials.credentials.strip() if credentials else ""
    if token and is_consumer_key(token):
        with session_scope(request.app.state.settings.database) as session:
            consumer = authenticate_consumer(session, key=token)
        if consumer is not None:
            return consumer
    if token.startswith(f"{KEY_SCHEME}_"):
        raise ProblemError(
            403, "A police source's key cannot read the contacts feed: use a consumer key."
        )
    raise ProblemError(
        401,
        "A valid consumer API key is required (Authorization: Bearer ...).",
        headers=UNAUTHORISED_HEADERS,
    )


def _since_problem() -> ProblemError:
    return ProblemError(
        422,
        "The request failed validation.",
        errors=[
            FieldError(
                pointer="/since",
                path="since",
                type="cursor",
                msg="must be a cursor from an earlier page (`next`) or an RFC 3339 date-time",
            )
        ],
    )


def _start(session: Any, since: str | None) -> int:
    if not since:
        return 0
    match = CURSOR.match(since)
    if match:
        return int(match.group(1))
    try:
        at = datetime.fromisoformat(since.replace("Z", "+00:00"))
    except ValueError:
        raise _since_problem() from None
    if at.tzinfo is None:
        raise _since_problem()
    return position_before(session, at=at)


def _out(contact: Contact) -> ContactOut:
    return ContactOut(
        cont_contact_id=contact.contact_id,
        cont_person_id=contact.person_ref,
        cont_contact_date=contact.contact_date,
        cont_contact_source_code=SOURCE_CODE,
        cont_contact_source_desc=SOURCE_DESC,
        cont_contact_outcome_json=contact.outcome_flags,
        nfa_flag=contact.nfa,
        outcome=contact.outcome,
        decided_at=contact.decided_at,
        notification=NotificationRef(
            id=str(contact.notification_id), reference=contact.reference, source=contact.source
        ),
        child=ChildDetails(**contact.child) if contact.child is not None else None,
    )


@router.get(
    "",
    response_model=ContactsPage,
    summary="Contacts handed over to case management, in order, after a cursor",
    responses=responses(401, 403, 422),
)
def list_contacts(
    request: Request,
    consumer: Annotated[Consumer, Security(require_consumer)],
    since: Annotated[
        str | None,
        Query(max_length=64, description="a cursor (`next` of an earlier page) or a date-time"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> ContactsPage:
    now = utcnow()
    with session_scope(request.app.state.settings.database) as session:
        start = _start(session, since)
        found = contacts_after(session, position=start, limit=limit + 1, now=now)
        page = found[:limit]
        audit_handover(
            session, actor=consumer.actor, action="contacts_handed_over", contacts=page, now=now
        )
    cursor = f"p{page[-1].position if page else start}"
    root = request.scope.get("root_path", "")
    return ContactsPage(
        contacts=[_out(c) for c in page],
        next=cursor,
        more=len(found) > limit,
        links=PageLinks(next=f"{root}/v1/contacts?since={cursor}&limit={limit}"),
    )
