"""Pre-flight for `make test`: are the PostgreSQL and Redis that the integration tests use up?

Prints what it finds. Where one is down it says how to start it; under CI (`CI=true`) that is a
failure (exit 1), elsewhere the integration tests that need it are skipped with the same message.
"""

from __future__ import annotations

import os
import sys

import psycopg
import redis

DATABASE_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
HOW_TO_START = (
    "start them with `docker compose up -d postgres redis` on a workstation, or set "
    "TEST_DATABASE_URL / TEST_REDIS_URL"
)


def postgres_problem() -> str | None:
    try:
        with psycopg.connect(DATABASE_URL.replace("+psycopg", ""), connect_timeout=3) as conn:
            conn.execute("select 1")
    except psycopg.Error as exc:
        return f"PostgreSQL unreachable ({type(exc).__name__})"
    return None


def redis_problem() -> str | None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        return f"Redis unreachable ({type(exc).__name__})"
    return None


def main() -> int:
    problems = [p for p in (postgres_problem(), redis_problem()) if p]
    if not problems:
        print("services: PostgreSQL and Redis reachable")
        return 0
    for problem in problems:
        print(f"services: {problem}: {HOW_TO_START}", file=sys.stderr)
    if os.environ.get("CI") == "true":
        print("services: CI=true, so this is a failure, not a skip", file=sys.stderr)
        return 1
    print("services: integration tests that need them will be skipped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
