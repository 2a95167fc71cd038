"""Session cookie settings: HttpOnly and SameSite=Lax always; Secure unless the settings say the
service runs on plain HTTP locally, and whenever the request came over https (directly or, with
uvicorn's --proxy-headers, through a TLS-terminating proxy); HSTS on every https response."""

from __future__ import annotations

import os
import secrets

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from models.settings import Settings

SESSION_COOKIE = "dvscreen_session"
SESSION_MAX_AGE = 8 * 60 * 60  # one shift
HSTS = "max-age=31536000; includeSubDomains"


class SecureCookieWhenHttps:
    """Append `Secure` to our session cookie (always when `always_secure`, else on responses to
    https requests) and send HSTS on every response to an https request."""

    def __init__(
        self, app: ASGIApp, cookie_name: str = SESSION_COOKIE, always_secure: bool = True
    ) -> None:
        self.app = app
        self.prefix = cookie_name + "="
        self.always_secure = always_secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        https = scope.get("scheme") == "https"
        if scope["type"] != "http" or not (https or self.always_secure):
            await self.app(scope, receive, send)
            return

        async def send_secure(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if https:
                    headers["strict-transport-security"] = HSTS
                cookies = headers.getlist("set-cookie")
                if any(c.startswith(self.prefix) for c in cookies):
                    del headers["set-cookie"]
                    for cookie in cookies:
                        if cookie.startswith(self.prefix) and "secure" not in cookie.lower():
                            cookie += "; secure"
                        headers.append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_secure)


def session_secret(settings: Settings) -> str:
    """DVSCREEN_SESSION_SECRET, else a random secret kept (mode 0600) in the data directory."""
    if settings.session_secret:
        return settings.session_secret
    data_dir = settings.resolved_data_dir
    path = data_dir / "session-secret"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secret)
    return secret
