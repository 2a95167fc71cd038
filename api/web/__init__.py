"""The duty team's web app: staff pages served by the same FastAPI app as the intake API.

`mount_web(app)` adds the session cookie, static assets, every staff router and the pages
for sign-in, role and CSRF refusals. None of it appears in the OpenAPI document.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from api.web import (
    admin_audit,
    admin_keys,
    admin_staff,
    claims,
    dashboard,
    decisions,
    item,
    login,
    model_pages,
    policy,
    queue,
    sample,
    search,
    signoff,
    whatif,
)
from api.web.cookies import SESSION_COOKIE, SESSION_MAX_AGE, SecureCookieWhenHttps, session_secret
from api.web.errors import install_web_error_handlers
from models.settings import Settings, get_settings

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


def mount_web(app: FastAPI, settings: Settings | None = None) -> None:
    settings = settings or getattr(app.state, "settings", None) or get_settings()
    app.state.settings = settings
    app.state.web_database_url = settings.database
    app.state.web_secret = session_secret(settings)
    app.add_middleware(
        SessionMiddleware,
        secret_key=app.state.web_secret,
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=False,  # Secure is added by SecureCookieWhenHttps (always, or over https)
    )
    app.add_middleware(
        SecureCookieWhenHttps, cookie_name=SESSION_COOKIE, always_secure=settings.secure_cookies
    )
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (login, queue, item, decisions, signoff, sample, whatif, policy, dashboard,
                   model_pages):
        app.include_router(module.router)
    # Issue 9: search, claims a manager moves, staff and key administration, the audit trail.
    for extra in (search, claims, admin_staff, admin_keys, admin_audit):
        app.include_router(extra.router)
    install_web_error_handlers(app)
