"""What every command that uses the database does first: read the settings and migrate (creating
the embedded SQLite database when needed, and storing the default policy as version 1)."""

from __future__ import annotations

from models.migrate import migrate
from models.settings import Settings, get_settings
from screening.policy import DEFAULT_POLICY


def prepare() -> Settings:
    """The settings of this command, with the database migrated."""
    settings = get_settings()
    migrate(settings, DEFAULT_POLICY.model_dump(mode="json"))
    return settings
