"""The OpenAPI document: every status code each route can return, problem+json error bodies,
and the contract's Notification schema for the request bodies the routes read themselves."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field

from api.problems import PROBLEM_JSON, FieldError, Problem
from models.contract import Notification

REF = "#/components/schemas/{model}"

_DESCRIPTIONS = {
    200: "The same notification was already received: nothing duplicated, the same id.",
    400: "The body is not valid JSON.",
    401: "The API key is missing, wrong or revoked.",
    404: "No such notification for this source.",
    409: "The same reference was already received with a different body.",
    413: "The body is too large (1 MiB per notification, 10 MiB per batch).",
    415: "The body is not JSON.",
    422: "The body failed validation; `errors` gives each field's path.",
    503: "Not ready: the database is unreachable.",
}


class BatchRequest(BaseModel):
    """Up to 500 notifications; each is accepted or rejected on its own."""

    notifications: list[dict[str, Any]] = Field(
        min_length=1,
        max_length=500,
        description=(
            "Each item is a Notification (see that schema), validated on its own: an invalid "
            "item gets its own 422 result and does not reject the rest."
        ),
    )


def _problem_content() -> dict[str, Any]:
    return {PROBLEM_JSON: {"schema": {"$ref": REF.format(model="Problem")}}}


def responses(*codes: int, ok_model: type[BaseModel] | None = None) -> dict[int | str, Any]:
    """The `responses=` of a route: 2xx with `ok_model`, the rest as problem documents."""
    result: dict[int | str, Any] = {}
    for code in codes:
        description = _DESCRIPTIONS.get(code, HTTPStatus(code).phrase)
        if code < 300:
            result[code] = {"description": description, "model": ok_model}
        else:
            result[code] = {"description": description, "content": _problem_content()}
    return result


def _body(model: str) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": REF.format(model=model)}}},
        }
    }


NOTIFICATION_BODY = _body("Notification")
BATCH_BODY = _body("BatchRequest")


def _component_schemas() -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for model in (Notification, BatchRequest, Problem, FieldError):
        schema = model.model_json_schema(ref_template=REF, mode="validation")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    return schemas


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        document = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        components = document.setdefault("components", {}).setdefault("schemas", {})
        for name, schema in _component_schemas().items():
            components.setdefault(name, schema)
        # FastAPI documents its own 422 for routes with parameters; ours are problem+json.
        for path in document.get("paths", {}).values():
            for operation in path.values():
                for code, response in operation.get("responses", {}).items():
                    if code != "422" and int(code) < 400:
                        continue
                    response["content"] = _problem_content()
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]
