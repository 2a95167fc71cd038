"""Response bodies of the intake API (the request bodies are models.contract.Notification)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from api.problems import Problem


class Links(BaseModel):
    self: str


class Accepted(BaseModel):
    """A stored notification: 202 when new, 200 when the same body was sent before."""

    id: uuid.UUID
    reference: str
    status: Literal["received", "triaged", "failed"]
    links: Links


class NotificationState(BaseModel):
    """Where a notification is; route, priority and categories once triaged."""

    id: uuid.UUID
    reference: str
    status: Literal["received", "triaged", "failed"]
    received_at: datetime
    triaged_at: datetime | None = None
    route: Literal["duty_review", "triage_check", "screened_out"] | None = None
    priority: Literal["urgent", "high", "normal"] | None = None
    categories: list[str] | None = None
    links: Links


class BatchItemResult(BaseModel):
    """The outcome of one batch item; `status` is the HTTP status it would have had alone."""

    index: int
    status: Literal[200, 202, 403, 409, 413, 422]
    reference: str | None = None
    id: uuid.UUID | None = None
    links: Links | None = None
    problem: Problem | None = None


class BatchResult(BaseModel):
    accepted: int
    repeated: int
    rejected: int
    results: list[BatchItemResult]
