"""Create and migrate the database to the latest revision; seed the first policy version.

`migrate()` is what every command calls first, so the embedded default needs no setup.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import func, select

from models.db import get_engine, session_scope
from models.settings import Settings
from models.tables import PolicyVersion
from models.types import utcnow

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(settings: Settings, default_policy: Mapping[str, Any] | None = None) -> None:
    """Upgrade to head; if no policy version exists, store `default_policy` as version 1."""
    settings.ensure_data_dir()
    config = alembic_config()
    with get_engine(settings.database).connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()
    if default_policy is not None:
        seed_policy(settings, default_policy)


def seed_policy(settings: Settings, policy: Mapping[str, Any]) -> None:
    with session_scope(settings.database) as session:
        if session.scalar(select(func.count()).select_from(PolicyVersion)):
            return
        session.add(
            PolicyVersion(
                version=int(policy.get("version", 1)),
                policy=dict(policy),
                reason="default policy",
                status="active",
                activated_at=utcnow(),
            )
        )
