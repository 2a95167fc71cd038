"""Alembic environment: runs on the connection `models.migrate.migrate()` hands over, or on
DATABASE_URL / the embedded default when run with the alembic command line.

On PostgreSQL a transaction-level advisory lock serialises concurrent migrations (the API and
the worker start at the same time); on SQLite the transaction begins IMMEDIATE, which does the
same.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, text

import models.all_tables  # noqa: F401  (every table module registers on Base.metadata)
from models.base import Base

MIGRATION_LOCK_KEY = 0x64767363  # "dvsc"


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from models.db import make_engine
    from models.settings import Settings

    settings = Settings()
    settings.ensure_data_dir()
    engine = make_engine(settings.database)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported")
run_migrations_online()
