"""CSRF protection for every staff form: a per-session synchronizer token.

The token lives in the signed session cookie and is echoed by each form as a hidden
`csrf_token` field (or, for htmx requests, the `X-CSRF-Token` header set once on <body>).
Every unsafe request on a staff route is refused with 403 unless the two match. The session
cookie is SameSite=Lax too, so this is the second of two defences.
"""

from __future__ import annotations

import secrets

from fastapi import Request

SESSION_KEY = "csrf"
FORM_FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CsrfRefused(Exception):
    """An unsafe request without the session's CSRF token."""


def token_for(request: Request) -> str:
    """The session's token, created on first use."""
    token = request.session.get(SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = token
    return token


def rotate(request: Request) -> None:
    """A fresh token (after login or logout)."""
    request.session[SESSION_KEY] = secrets.token_urlsafe(32)


async def check_csrf(request: Request) -> None:
    """Router dependency: refuse an unsafe request whose token is missing or wrong."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get(SESSION_KEY)
    sent = request.headers.get(HEADER)
    if not sent:
        form = await request.form()
        value = form.get(FORM_FIELD)
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not secrets.compare_digest(str(expected), sent):
        raise CsrfRefused
