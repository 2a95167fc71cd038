"""What staff are told when an action is refused, and where on the page the fix belongs;
plus the handlers that turn sign-in, role and CSRF refusals into pages."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from api.web.csrf import CsrfRefused
from api.web.deps import NotPermitted, NotSignedIn
from api.web.templating import render
from governance.policy import PolicyError

MESSAGES = {
    "not_found": "There is no such item",
    "claimed_by_other": "Someone else has already claimed this item",
    "not_claimed_by_you": "Claim this item before you record a decision",
    "awaiting_signoff": "A decision on this item is waiting for a manager to sign it off",
    "reasoning_required": "Write down your reasoning",
    "invalid_outcome": "Select an outcome",
    "categories_required": "Select how a child is involved",
    "invalid_category": "Select how a child is involved",
    "priority_required": "Select a priority for the duty review",
    "conflict": "Someone else changed this item at the same time: check it and try again",
    "own_decision": "You cannot sign off your own decision",
    "note_required": "Say why you are returning the decision",
}
POLICY_INVALID = "The active screening policy is not valid"
FIELD_OF = {
    "reasoning_required": "reasoning",
    "invalid_outcome": "outcome",
    "categories_required": "categories",
    "invalid_category": "categories",
    "priority_required": "priority",
    "note_required": "note",
}


def install_web_error_handlers(app: FastAPI) -> None:
    async def not_signed_in(request: Request, _exc: Exception) -> Response:
        if request.headers.get("HX-Request"):
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        target = request.url.path
        if request.url.query:
            target += "?" + request.url.query
        if request.method == "GET" and target not in ("/", "/login"):
            return RedirectResponse("/login?next=" + quote(target, safe=""), status_code=303)
        return RedirectResponse("/login", status_code=303)

    async def not_permitted(request: Request, exc: Exception) -> Response:
        user = exc.user if isinstance(exc, NotPermitted) else None
        return render(
            request,
            "message.html",
            {
                "title": "You do not have access to this page",
                "lines": [
                    "Your role does not include this page.",
                    "If you think you need it, ask your manager.",
                ],
            },
            user=user,
            status_code=403,
        )

    async def csrf_refused(request: Request, _exc: Exception) -> Response:
        return render(
            request,
            "message.html",
            {
                "title": "Your form has expired",
                "lines": ["Go back, reload the page and try again."],
            },
            status_code=403,
        )

    async def policy_invalid(request: Request, exc: Exception) -> Response:
        return render(
            request,
            "message.html",
            {
                "title": POLICY_INVALID,
                "lines": [
                    str(exc),
                    "Nothing is triaged until a head of safeguarding approves a valid version "
                    "(dvscreen policy list shows them).",
                ],
            },
            status_code=503,
        )

    app.add_exception_handler(NotSignedIn, not_signed_in)
    app.add_exception_handler(PolicyError, policy_invalid)
    app.add_exception_handler(NotPermitted, not_permitted)
    app.add_exception_handler(CsrfRefused, csrf_refused)
