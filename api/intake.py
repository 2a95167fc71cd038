"""The intake routes police systems call: submit one or a batch, read back status.

The API stores each notification with an outbox row in one transaction and never talks to the
broker: a broker outage cannot lose or refuse a notification.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import ValidationError

from api.api_keys import Principal, require_source
from api.intake_schemas import Accepted, BatchItemResult, BatchResult, Links, NotificationState
from api.json_body import JsonBody, read_json_body
from api.openapi import BATCH_BODY, NOTIFICATION_BODY, responses
from api.problems import FieldError, Problem, ProblemError, make_problem, validation_problem
from models.contract import RECEIVED_AT, Notification
from models.db import session_scope
from models.intake_store import (
    canonical_hash,
    normal_form,
    notification_status,
    store_notification,
)
from models.settings import Settings
from models.types import utcnow

router = APIRouter(prefix="/v1/notifications", tags=["notifications"])
Source = Annotated[Principal, Depends(require_source)]


def _settings(request: Request) -> Settings:
    return request.app.state.settings


async def _single_body(request: Request) -> JsonBody:
    return await read_json_body(request, _settings(request).max_notification_bytes)


async def _batch_body(request: Request) -> JsonBody:
    return await read_json_body(request, _settings(request).max_batch_bytes)


def _link(request: Request, notification_id: uuid.UUID) -> Links:
    return Links(self=f"{request.scope.get('root_path', '')}/v1/notifications/{notification_id}")


def _received_at(request: Request) -> datetime:
    """When this request arrived (one time for every item of a batch)."""
    received: datetime | None = getattr(request.state, "received_at", None)
    if received is None:
        received = utcnow()
        request.state.received_at = received
    return received


def _force_problem(notification: Notification, source: Principal, prefix: list[Any]) -> Problem:
    """403: the key's source may not submit a notification in another force's name."""
    pointer = "/" + "/".join(str(p) for p in [*prefix, "force"])
    return make_problem(
        403,
        "This API key may not submit notifications for another force.",
        errors=[
            FieldError(
                pointer=pointer,
                path=pointer[1:].replace("/", "."),
                type="force_mismatch",
                msg="does not match the source of the API key",
            )
        ],
    )


def _force_matches(notification: Notification, source: Principal) -> bool:
    if notification.force is None:
        return True
    return notification.force.strip().casefold() == source.source_name.strip().casefold()


class _Outcome:
    """One notification's result: a status code and either an Accepted body or a problem."""

    def __init__(self, status: int, accepted: Accepted | None, problem: Problem | None) -> None:
        self.status, self.accepted, self.problem = status, accepted, problem


def _submit(
    request: Request, source: Principal, document: Any, raw: str, prefix: list[Any]
) -> _Outcome:
    try:
        notification = Notification.model_validate(
            document, context={RECEIVED_AT: _received_at(request)}
        )
    except ValidationError as error:
        return _Outcome(422, None, validation_problem(error, prefix))
    if not _force_matches(notification, source):
        return _Outcome(403, None, _force_problem(notification, source, prefix))
    # One transaction per notification: one item of a batch never holds up another.
    with session_scope(_settings(request).database) as session:
        stored = store_notification(
            session,
            source_id=source.source_id,
            notification=notification,
            raw_json=raw,
            body_hash=canonical_hash(normal_form(document, notification)),
        )
        state = (
            notification_status(session, source_id=source.source_id, notification_id=stored.id)
            if stored.outcome == "repeat"
            else None
        )
    if stored.outcome == "conflict":
        problem = make_problem(
            409,
            "A notification with this reference and a different body was already received.",
            id=str(stored.id),
        )
        return _Outcome(409, None, problem)
    accepted = Accepted(
        id=stored.id,
        reference=notification.reference,
        status="received",
        links=_link(request, stored.id),
    )
    if stored.outcome == "repeat":
        if state is not None:
            # NotificationStatus.status (models/) is a plain str; the column holds only
            # Accepted's three literals.
            accepted.status = state.status  # type: ignore[assignment]
        return _Outcome(200, accepted, None)
    return _Outcome(202, accepted, None)


@router.post(
    "",
    status_code=202,
    response_model=Accepted,
    summary="Submit one notification",
    responses=responses(200, 400, 401, 403, 409, 413, 415, 422, ok_model=Accepted),
    openapi_extra=NOTIFICATION_BODY,
)
def submit_notification(
    request: Request,
    response: Response,
    source: Source,
    body: Annotated[JsonBody, Depends(_single_body)],
) -> Any:
    outcome = _submit(request, source, body.document, body.text, [])
    if outcome.problem is not None:
        raise ProblemError(
            outcome.status,
            outcome.problem.detail,
            errors=outcome.problem.errors,
            id=outcome.problem.id,
        )
    response.status_code = outcome.status
    if outcome.status == 202 and outcome.accepted is not None:  # 202 always has a body
        response.headers["Location"] = outcome.accepted.links.self
    return outcome.accepted


@router.post(
    "/batch",
    status_code=200,
    response_model=BatchResult,
    response_model_exclude_none=True,
    summary="Submit up to 500 notifications; one result per item",
    responses=responses(400, 401, 413, 415, 422),
    openapi_extra=BATCH_BODY,
)
def submit_batch(
    request: Request,
    source: Source,
    body: Annotated[JsonBody, Depends(_batch_body)],
) -> BatchResult:
    settings = _settings(request)
    document = body.document
    items = document.get("notifications") if isinstance(document, dict) else None
    if not isinstance(document, dict) or set(document) != {"notifications"}:
        raise _batch_shape_problem("must be an object with one member, 'notifications'")
    if not isinstance(items, list) or not items:
        raise _batch_shape_problem("must be a non-empty array of notifications")
    if not all(isinstance(item, dict) for item in items):
        raise _batch_shape_problem("every item must be a JSON object (a notification)")
    if len(items) > settings.max_batch_items:
        raise _batch_shape_problem(f"must hold at most {settings.max_batch_items} notifications")
    results: list[BatchItemResult] = []
    for index, item in enumerate(items):
        raw = json.dumps(item, ensure_ascii=False)
        prefix: list[Any] = ["notifications", index]
        if len(raw.encode("utf-8")) > settings.max_notification_bytes:
            outcome = _Outcome(
                413, None, make_problem(413, "This notification is larger than 1 MiB.")
            )
        else:
            outcome = _submit(request, source, item, raw, prefix)
        reference = item.get("reference") if isinstance(item, dict) else None
        results.append(
            BatchItemResult(
                index=index,
                status=outcome.status,
                reference=reference
                if isinstance(reference, str) and len(reference) <= 64
                else None,
                id=outcome.accepted.id if outcome.accepted else None,
                links=outcome.accepted.links if outcome.accepted else None,
                problem=outcome.problem,
            )
        )
    return BatchResult(
        accepted=sum(r.status == 202 for r in results),
        repeated=sum(r.status == 200 for r in results),
        rejected=sum(r.status >= 400 for r in results),
        results=results,
    )


def _batch_shape_problem(message: str) -> ProblemError:
    return ProblemError(
        422,
        "The request failed validation.",
        errors=[
            FieldError(pointer="/notifications", path="notifications", type="batch", msg=message)
        ],
    )


@router.get(
    "/{notification_id}",
    response_model=NotificationState,
    response_model_exclude_none=True,
    summary="Status of one of your notifications; route, priority and categories once triaged",
    responses=responses(401, 404, 422),
)
def get_notification(request: Request, source: Source, notification_id: str) -> NotificationState:
    try:
        parsed = uuid.UUID(notification_id)
    except ValueError:
        raise ProblemError(404, "No such notification.") from None
    with session_scope(_settings(request).database) as session:
        state = notification_status(session, source_id=source.source_id, notification_id=parsed)
    if state is None:
        raise ProblemError(404, "No such notification.")
    return NotificationState(
        id=state.id,
        reference=state.reference,
        status=state.status,
        received_at=state.received_at,
        triaged_at=state.triaged_at,
        route=state.route,
        priority=state.priority,
        categories=state.categories,
        links=_link(request, state.id),
    )
