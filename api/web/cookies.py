"""Session cookie settings: HttpOnly and SameSite=Lax always, Secure whenever the request came
over https (directly or, with uvicorn's --proxy-headers, through a TLS-terminating proxy)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "dvscreen_session"
SESSION_MAX_AGE = 8 * 60 * 60  # one shift
SECRET_ENV = "DVSCREEN_SESSION_SECRET"


class SecureCookieWhenHttps:
    """Append `Secure` to our session cookie on responses to https requests."""

    def __init__(self, app: ASGIApp, cookie_name: str = SESSION_COOKIE) -> None:
        self.app = app
        self.prefix = cookie_name + "="

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("scheme") != "https":
            await self.app(scope, receive, send)
            return

        async def send_secure(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                cookies = headers.getlist("set-cookie")
                if any(c.startswith(self.prefix) for c in cookies):
                    del headers["set-cookie"]
                    for cookie in cookies:
                        if cookie.startswith(self.prefix) and "secure" not in cookie.lower():
                            cookie += "; secure"
                        headers.append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_secure)


def session_secret(data_dir: Path) -> str:
    """DVSCREEN_SESSION_SECRET, else a random secret kept (mode 0600) in the data directory."""
    configured = os.environ.get(SECRET_ENV)
    if configured:
        return configured
    path = data_dir / "session-secret"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secret)
    return secret
