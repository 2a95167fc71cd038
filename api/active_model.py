"""The active triage model as the service sees it: the registry's active entry, or the built-in
default model (registered as active the first time the registry is read, so it has a history).
"""

from __future__ import annotations

from pathlib import Path

from models.db import session_scope
from models.model_registry import ACTIVE, active_entry, register_model
from models.types import utcnow
from screening.screener import Screener, default_model_stem, load_screener


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
        from models.model_registry import get_model

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
