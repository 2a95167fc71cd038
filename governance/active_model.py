"""The active triage model as the service sees it: the registry's active entry, or the built-in
default model (registered as active the first time the registry is read, so it has a history);
and, for the workers, the active and shadow models re-read every few seconds.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from models.db import session_scope
from models.model_registry import (
    ACTIVE,
    ModelRef,
    active_entry,
    active_model_ref,
    get_model,
    register_model,
    shadow_model_ref,
)
from models.types import utcnow
from screening.screener import Screener, default_model_stem, load_screener

# Workers re-read the registry at most this often, so a promotion or a rollback reaches them.
CACHE_SECONDS = 5.0


def ensure_registry(url: str) -> None:
    """Register the built-in default model as active when the registry is empty."""
    with session_scope(url) as session:
        if active_entry(session) is not None:
            return
    screener = load_screener(default_model_stem())
    manifest = screener.model.manifest
    with session_scope(url) as session:
        if active_entry(session) is not None:
            return
        if get_model(session, screener.model_version) is not None:
            return
        register_model(
            session,
            version=screener.model_version,
            stem=str(default_model_stem().resolve()),
            sha256=str(manifest.get("sha256", "")),
            trained_on=dict(manifest.get("trained_on", {})),
            metrics=dict(manifest.get("metrics", {})),
            registered_by=None,
            now=utcnow(),
            status=ACTIVE,
        )


def active_screener(url: str) -> Screener:
    """The screener of the active model (hash-checked on load, cached per process)."""
    ensure_registry(url)
    with session_scope(url) as session:
        entry = active_entry(session)
        stem = Path(entry.stem) if entry else default_model_stem()
    return load_screener(stem)


_cache: tuple[float, str, ModelRef | None, ModelRef | None] | None = None
_cache_lock = threading.Lock()


def current_models(url: str) -> tuple[ModelRef | None, ModelRef | None]:
    """The active model (None: the built-in default) and the shadow candidate, re-read at most
    every CACHE_SECONDS, so a promotion or a rollback reaches the workers quickly."""
    global _cache
    now = time.monotonic()
    with _cache_lock:
        cached = _cache
    if cached is None or cached[1] != url or now - cached[0] >= CACHE_SECONDS:
        with session_scope(url) as session:
            cached = (now, url, active_model_ref(session), shadow_model_ref(session))
        with _cache_lock:
            _cache = cached
    return cached[2], cached[3]
