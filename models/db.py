"""Engines and sessions: SQLite (WAL, foreign keys, immediate writes) or PostgreSQL (psycopg 3).

One engine per database URL per process; `dispose_engines()` after a fork (Celery's prefork
pool) so that no connection is shared between processes.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, CursorResult, Engine, Result, Update, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

_lock = threading.Lock()
_engines: dict[tuple[str, int], Engine] = {}
_sessionmakers: dict[tuple[str, int], sessionmaker[Session]] = {}

SQLITE_BUSY_TIMEOUT_MS = 30_000


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, issue BEGIN, so that it can be BEGIN IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Take the write lock at the start: a deferred transaction that reads and then writes
        # fails at once with "database is locked" when another process wrote in between,
        # whatever the busy timeout.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """A new engine for `url` (prefer `get_engine`, which caches)."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, pool_pre_ping=False
        )
        _configure_sqlite(engine)
        return engine
    # No pre-ping: it costs a round trip on every checkout. A connection broken by a database
    # restart fails one statement, which invalidates the whole pool; callers retry (the
    # police system on a 5xx, Celery on a failed triage, the relay on its next pass).
    return create_engine(url, pool_size=10, max_overflow=20, pool_recycle=1800)


def get_engine(url: str) -> Engine:
    key = (url, os.getpid())
    engine = _engines.get(key)
    if engine is None:
        with _lock:
            engine = _engines.get(key)
            if engine is None:
                engine = make_engine(url)
                _engines[key] = engine
    return engine


def get_sessionmaker(url: str) -> sessionmaker[Session]:
    key = (url, os.getpid())
    maker = _sessionmakers.get(key)
    if maker is None:
        maker = sessionmaker(get_engine(url), expire_on_commit=False)
        _sessionmakers[key] = maker
    return maker


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A session whose transaction commits on success and rolls back on any exception."""
    with get_sessionmaker(url).begin() as session:
        yield session


@contextmanager
def read_scope(url: str) -> Iterator[Connection]:
    """A connection for reads only. On PostgreSQL it runs in autocommit mode, which saves the
    BEGIN and ROLLBACK round trips; on SQLite it is an ordinary transaction."""
    engine = get_engine(url)
    if engine.dialect.name == "sqlite":
        with engine.begin() as connection:
            yield connection
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        yield connection


def dispose_engines() -> None:
    """Forget engines inherited across a fork without closing the parent's connections."""
    with _lock:
        for engine in _engines.values():
            engine.dispose(close=False)
        _engines.clear()
        _sessionmakers.clear()


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE changed (0 for a result that is not a cursor's)."""
    return int(result.rowcount) if isinstance(result, CursorResult) else 0


def changed_one(session: Session, statement: Update) -> bool:
    """Run a guarded UPDATE (its WHERE names the state the row must still be in) without
    synchronising the session; whether it changed exactly one row (False: another transaction
    moved the row first, or it is not in that state)."""
    result = session.execute(statement.execution_options(synchronize_session=False))
    return rows_changed(result) == 1
