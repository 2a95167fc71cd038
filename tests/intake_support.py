"""A migrated embedded-default database for intake tests (one builder, used by each module), and
a one-call transaction around a store function."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from models.db import session_scope
from models.migrate import migrate
from models.settings import Settings
from screening.policy import DEFAULT_POLICY

T = TypeVar("T")


def migrated_settings(tmp_path: Path) -> Settings:
    """Settings on a fresh SQLite database in `tmp_path`, migrated, with the default policy."""
    settings = Settings(data_dir=tmp_path)
    migrate(settings, DEFAULT_POLICY.model_dump(mode="json"))
    return settings


def in_session(url: str, store: Callable[..., T], **kwargs: Any) -> T:
    """`store(session, **kwargs)` in a transaction of its own, as a caller would run it."""
    with session_scope(url) as session:
        return store(session, **kwargs)

