"""Jinja2 for the staff pages: our templates first, then the GOV.UK Frontend macros.

`render` adds what every page needs (the signed-in user, the CSRF token, the navigation, a CSP
nonce) and the headers every staff page carries: pages hold personal data, so nothing is
cached, framed or sent on as a referrer, and only our own scripts run.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader

from api.web import csrf
from api.web.audit_words import describe
from api.web.highlight import CATEGORY_LABELS
from api.web.local_time import london, london_iso
from api.web.roles import StaffUser, navigation_for

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
SERVICE_NAME = "Domestic abuse notification screening"

_environment = Environment(
    loader=ChoiceLoader(
        [
            FileSystemLoader(TEMPLATE_DIR),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    ),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _words(value: str | None) -> str:
    """`no_further_action` -> `No further action`."""
    return (value or "").replace("_", " ").capitalize()


_environment.filters["when"] = london  # every time staff read is UK time with its zone
_environment.filters["words"] = _words
_environment.filters["london"] = london
_environment.filters["london_iso"] = london_iso
_environment.filters["in_words"] = describe
_environment.globals["CATEGORY_LABELS"] = CATEGORY_LABELS
_environment.globals["SERVICE_NAME"] = SERVICE_NAME
templates = Jinja2Templates(env=_environment)


def security_headers(nonce: str) -> dict[str, str]:
    return {
        "Cache-Control": "no-store",
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Content-Security-Policy": (
            f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
            "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        ),
    }


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    user: StaffUser | None = None,
    status_code: int = 200,
    current: str | None = None,
) -> HTMLResponse:
    """Render `name` with the page context plus the user, CSRF token and navigation."""
    nonce = secrets.token_urlsafe(16)
    page: dict[str, Any] = dict(context or {})
    page["user"] = user
    page["csrf_token"] = csrf.token_for(request)
    page["navigation"] = navigation_for(user, current) if user else []
    page["cspNonce"] = nonce
    page["now"] = datetime.now(UTC)
    response = templates.TemplateResponse(request, name, page, status_code=status_code)
    response.headers.update(security_headers(nonce))
    return response
