"""What staff are told when an action is refused, and where on the page the fix belongs; the
page that says a thing asked for is not there; plus the handlers that turn sign-in, role and
CSRF refusals into pages."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.web.csrf import CsrfRefused
from api.web.deps import NotPermitted, NotSignedIn
from api.web.roles import StaffUser
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
log = logging.getLogger("dvscreen.web")
# The machine interfaces answer problem+json (RFC 9457); every other URL is a staff page.
API_PREFIXES = ("/v1/", "/healthz", "/readyz", "/openapi.json", "/docs", "/redoc", "/static/")
ERROR_PAGES = {
    400: ("There is a problem with the address", ["Check the link or go back and try again."]),
    403: ("You do not have access to this page", ["If you think you need it, ask your manager."]),
    404: (
        "Page not found",
        ["If you typed the web address, check it is correct.",
         "If you pasted the web address, check you copied the entire address."],
    ),
    405: ("Page not found", ["This page cannot be opened that way. Go back and try again."]),
    500: (
        "Sorry, there is a problem with the service",
        ["Try again later. Nothing you entered on this page has been saved.",
         "If it keeps happening, tell your system administrator the time it happened."],
    ),
}  # fmt: skip


def is_staff_url(request: Request) -> bool:
    return not request.url.path.startswith(API_PREFIXES)


def error_page(request: Request, status: int) -> Response:
    """A GOV.UK error page for a staff URL (the signed-in user is not looked up: the page must
    work when the database does not)."""
    title, lines = ERROR_PAGES.get(status, ERROR_PAGES[500 if status >= 500 else 404])
    return render(
        request,
        "error.html",
        {"title": title, "lines": lines, "status": status},
        status_code=status,
    )


def field_errors(errors: list[dict[str, str]] | None) -> dict[str, str]:
    """The message shown beside each field: the first error of the summary that links to it
    (by the field's id)."""
    beside: dict[str, str] = {}
    for error in errors or []:
        beside.setdefault(error["href"].lstrip("#"), error["text"])
    return beside


def not_found_page(
    request: Request,
    user: StaffUser,
    *lines: str,
    back: str,
    back_text: str | None = None,
    title: str = "Page not found",
) -> Response:
    """404: what was asked for is not there (`lines` say what), with a link back to `back`."""
    return render(
        request,
        "message.html",
        {"title": title, "lines": list(lines), "back": back, "back_text": back_text},
        user=user,
        status_code=404,
    )


ProblemHandler = Callable[[Request, Any], Response | Awaitable[Response]]


async def _delegate(handler: ProblemHandler | None, request: Request, exc: Exception) -> Response:
    """The answer of the problem+json handler FastAPI held before ours (the ones in
    api/problems.py are coroutines; a plain function's response is returned as it is)."""
    assert handler is not None
    answer = handler(request, exc)
    if inspect.isawaitable(answer):
        return await answer
    return answer


def install_html_error_pages(app: FastAPI) -> None:
    """Staff URLs answer HTML error pages; /v1/ and the other machine URLs keep problem+json."""
    problem_http = app.exception_handlers.get(StarletteHTTPException)
    problem_validation = app.exception_handlers.get(RequestValidationError)
    problem_unexpected = app.exception_handlers.get(Exception)

    async def http_error(request: Request, exc: Exception) -> Response:
        if is_staff_url(request) and isinstance(exc, StarletteHTTPException):
            return error_page(request, exc.status_code)
        return await _delegate(problem_http, request, exc)

    async def validation_error(request: Request, exc: Exception) -> Response:
        if is_staff_url(request):
            return error_page(request, 400)
        return await _delegate(problem_validation, request, exc)

    async def unexpected(request: Request, exc: Exception) -> Response:
        if is_staff_url(request):
            log.error("unhandled %s on %s %s", type(exc).__name__, request.method,
                      request.url.path)  # fmt: skip
            return error_page(request, 500)
        return await _delegate(problem_unexpected, request, exc)

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, unexpected)


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
    install_html_error_pages(app)
