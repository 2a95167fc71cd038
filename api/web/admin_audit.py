"""The audit trail of the whole service, in words, for managers, heads of safeguarding and
administrators: staff and key changes, claims moved, searches, decisions."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from api.web import csrf
from api.web.deps import Overseer, SessionDep
from api.web.templating import render
from models.audit import recent_audit
from models.tables import NotificationRecord

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.check_csrf)])
LIMIT = 200
GROUPS = {
    "": "Everything",
    "staff": "Staff accounts and API keys",
    "claims": "Claims released or reassigned",
    "searches": "Searches",
    "decisions": "Decisions and sign-offs",
}
ACTIONS = {
    "staff": (
        "staff_created", "staff_deactivated", "staff_reactivated", "role_changed",
        "password_reset", "key_created", "key_revoked", "activated", "deactivated",
        "password_changed",
    ),
    "claims": ("claim_released", "claim_reassigned", "claimed", "released"),
    "searches": ("searched",),
    "decisions": ("decided", "signed_off", "signoff_returned", "moved_to_duty_review"),
}  # fmt: skip


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, user: Overseer, session: SessionDep, show: str = "") -> Response:
    group = show if show in ACTIONS else ""
    trail = recent_audit(session, limit=LIMIT, actions=ACTIONS.get(group))
    ids = {e.notification_id for e in trail if e.notification_id is not None}
    references: dict[object, str] = {}
    if ids:
        stmt = select(NotificationRecord.id, NotificationRecord.reference)
        for notification_id, reference in session.execute(
            stmt.where(NotificationRecord.id.in_(ids))
        ):
            references[notification_id] = reference
    return render(
        request,
        "audit_recent.html",
        {
            "title": "Audit trail",
            "trail": trail,
            "limit": LIMIT,
            "group": group,
            "groups": GROUPS,
            "references": references,
        },
        user=user,
        current="audit",
    )
