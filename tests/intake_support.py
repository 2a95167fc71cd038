"""A migrated embedded-default database for intake tests (one builder, used by each module)."""

from __future__ import annotations

from pathlib import Path

from models.migrate import migrate
from models.settings import Settings
from screening.policy import DEFAULT_POLICY


def migrated_settings(tmp_path: Path) -> Settings:
    """Settings on a fresh SQLite database in `tmp_path`, migrated, with the default policy."""
    settings = Settings(data_dir=tmp_path)
    migrate(settings, DEFAULT_POLICY.model_dump(mode="json"))
    return settings
