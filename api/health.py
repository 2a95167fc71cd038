"""Liveness (`/healthz`) and readiness (`/readyz`: the database is reachable; the broker's state
and the pipeline's counts are reported, but a broker outage does not make intake unready)."""

from __future__ import annotations

import logging
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from models.db import session_scope
from models.settings import Settings
from models.triage_store import pipeline_counts

router = APIRouter(tags=["health"])
log = logging.getLogger("dvscreen.api")


class Health(BaseModel):
    status: Literal["ok"]


class Readiness(BaseModel):
    status: Literal["ready", "unavailable"]
    database: Literal["ok", "unreachable"]
    broker: Literal["ok", "unreachable", "embedded"]
    counts: dict[str, int] | None = None


@router.get("/healthz", response_model=Health, summary="The process is alive")
def healthz() -> Health:
    return Health(status="ok")


def broker_state(settings: Settings) -> Literal["ok", "unreachable", "embedded"]:
    """A ping only: the API never publishes to the broker."""
    if settings.is_embedded_broker:
        return "embedded" if (settings.broker_folder / "queue").is_dir() else "unreachable"
    if settings.broker.startswith(("redis://", "rediss://")):
        import redis

        try:
            client = redis.Redis.from_url(
                settings.broker, socket_connect_timeout=0.5, socket_timeout=0.5
            )
            try:
                client.ping()
            finally:
                client.close()
            return "ok"
        except redis.RedisError:
            return "unreachable"
    return "unreachable"


@router.get(
    "/readyz",
    response_model=Readiness,
    response_model_exclude_none=True,
    summary="Ready when the database is reachable; reports the broker and pipeline counts",
    responses={503: {"description": "The database is unreachable.", "model": Readiness}},
)
def readyz(request: Request) -> JSONResponse:
    settings: Settings = request.app.state.settings
    try:
        with session_scope(settings.database) as session:
            counts = pipeline_counts(session)
        database: Literal["ok", "unreachable"] = "ok"
    except Exception as error:
        log.warning("readiness: database check failed (%s)", type(error).__name__)
        counts, database = None, "unreachable"
    body = Readiness(
        status="ready" if database == "ok" else "unavailable",
        database=database,
        broker=broker_state(settings),
        counts=counts,
    )
    return JSONResponse(
        body.model_dump(exclude_none=True), status_code=200 if database == "ok" else 503
    )
