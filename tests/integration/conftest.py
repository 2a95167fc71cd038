"""Fixtures for the integration tests: real PostgreSQL (a schema of its own per run), real
Redis, a real uvicorn API and real Celery worker processes.

Where PostgreSQL or Redis is unreachable the tests are skipped with instructions, except under
CI=true, where that is a failure: a CI run must never pass by skipping them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis

from models.key_store import create_key
from models.migrate import migrate
from models.settings import Settings
from screening.policy import DEFAULT_POLICY
from tests.intake_support import in_session
from tests.integration.pipeline_support import (
    DATABASE_URL,
    HOW_TO_START,
    REDIS_URL,
    Pipeline,
    schema_url,
)


def _unavailable(message: str) -> None:
    text = f"{message}: {HOW_TO_START}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{text} (CI=true: integration tests must run, not skip)", pytrace=False)
    pytest.skip(text)


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[str]:
    """A fresh schema in the test database, dropped at the end of the run."""
    schema = f"dvs_test_{uuid.uuid4().hex[:10]}"
    plain = DATABASE_URL.replace("+psycopg", "")
    try:
        connection = psycopg.connect(plain, connect_timeout=3, autocommit=True)
    except psycopg.Error as error:
        _unavailable(f"PostgreSQL at {DATABASE_URL} is unreachable ({type(error).__name__})")
    with connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    url = schema_url(DATABASE_URL, schema)
    migrate(Settings(database_url=url), DEFAULT_POLICY.model_dump(mode="json"))
    yield url
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(scope="session")
def redis_url() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        _unavailable(f"Redis at {REDIS_URL} is unreachable ({type(error).__name__})")
    return REDIS_URL


@pytest.fixture
def pipeline(postgres_schema: str, redis_url: str, tmp_path: Path) -> Iterator[Pipeline]:
    """An empty pipeline on PostgreSQL and Redis; processes it starts are stopped after."""
    run = Pipeline(database_url=postgres_schema, broker_url=redis_url, workdir=tmp_path)
    run.clean()
    yield run
    run.stop_all()
    run.engine.dispose()


@pytest.fixture
def api_key(pipeline: Pipeline) -> str:
    return in_session(
        pipeline.database_url, create_key, source_name=f"Integration Police {uuid.uuid4().hex[:6]}"
    )
