"""A task that does nothing: the baseline for the pipeline benchmark (same broker, same app).

It is registered only in the benchmark's worker (`celery -A noop_task` with bench/ on the
path), never in the production app. With `counter` it adds the number of ids to a Redis
counter on the broker, so that the benchmark can tell when every message has been handled
(one INCRBY, no database).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from workers.celery_app import app


@lru_cache(maxsize=1)
def _redis() -> Any:
    import redis

    return redis.Redis.from_url(app.conf.broker_url)


@app.task(name="dvscreen.noop")
def noop(ids: list[str], counter: str | None = None) -> int:
    if counter:
        _redis().incrby(counter, len(ids))
    return len(ids)
