"""Bearer API key authentication for police systems: `Authorization: Bearer dvs_...`."""

from __future__ import annotations

import threading
import time

from fastapi import Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.problems import ProblemError
from models.db import session_scope
from models.key_store import Principal, authenticate, hash_key
from models.settings import Settings

# Declared in OpenAPI so that clients (and schemathesis) know the scheme; checked below.
bearer_scheme = HTTPBearer(auto_error=False, description="A source's API key.")

UNAUTHORISED_HEADERS = {"WWW-Authenticate": 'Bearer realm="dvscreen"'}


class _KeyCache:
    """Valid keys seen in the last `ttl` seconds (by SHA-256, never the key itself)."""

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self.entries: dict[str, tuple[float, Principal]] = {}
        self.lock = threading.Lock()

    def get(self, digest: str) -> Principal | None:
        entry = self.entries.get(digest)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, digest: str, principal: Principal, ttl: float) -> None:
        with self.lock:
            if len(self.entries) >= self.size:
                self.entries.clear()
            self.entries[digest] = (time.monotonic() + ttl, principal)


_cache = _KeyCache()


def _look_up(settings: Settings, token: str) -> Principal | None:
    with session_scope(settings.database) as session:
        return authenticate(session, key=token)


def _authenticate(settings: Settings, token: str) -> Principal | None:
    ttl = settings.auth_cache_seconds
    if ttl <= 0:
        return _look_up(settings, token)
    digest = hash_key(token)
    principal = _cache.get(digest)
    if principal is None:
        principal = _look_up(settings, token)
        if principal is not None:
            _cache.put(digest, principal, ttl)
    return principal


def require_source(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Security(bearer_scheme),  # noqa: B008
) -> Principal:
    """The source whose key was presented, or 401."""
    token = credentials.credentials.strip() if credentials else None
    principal = _authenticate(request.app.state.settings, token) if token else None
    if principal is None:
        raise ProblemError(
            401,
            "A valid API key is required (Authorization: Bearer ...).",
            headers=UNAUTHORISED_HEADERS,
        )
    return principal
