"""The OpenAPI document: every status code each route can return, problem+json error bodies,
and the contract's Notification schema for the request bodies the routes read themselves.

The document says what intake enforces where JSON Schema can say it: the victim rule
(`contains`), the batch body's single member, date bounds and the postcode's form as patterns
(the latest date, the day after today, is written into the document on the day it is served).
Rules between fields (date of birth against age and occurred_at, reported_at against
occurred_at) have no JSON Schema keyword; the fields' descriptions state them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field

from api.intake_schemas import NOTIFICATION_EXAMPLE
from api.problems import PROBLEM_JSON, FieldError, Problem
from models.contract import (
    MIN_DATE,
    MONTH_DAY_PATTERN,
    Notification,
    date_pattern,
    datetime_pattern,
    latest_date,
)
from models.types import utcnow

REF = "#/components/schemas/{model}"

_DESCRIPTIONS = {
    200: "The same notification was already received: nothing duplicated, the same id.",
    400: "The body is not valid JSON (NaN and Infinity are not JSON).",
    401: "The API key is missing, wrong or revoked.",
    403: "`force` names another force than the API key's source.",
    404: "No such notification for this source.",
    409: "The same reference was already received with a different body.",
    413: "The body is too large (1 MiB per notification, 10 MiB per batch).",
    415: "The body is not JSON.",
    422: (
        "The body failed validation (or nests arrays and objects more than 32 deep); "
        "`errors` gives each field's path."
    ),
    503: "Not ready: the database is unreachable.",
}


class BatchRequest(BaseModel):
    """Up to 500 notifications; each is accepted or rejected on its own."""

    model_config = ConfigDict(extra="forbid")

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
    schemas["Notification"]["examples"] = [NOTIFICATION_EXAMPLE]
    return schemas


def digits_between(low: int, high: int, width: int) -> str:
    """A regular expression for the zero-padded numbers from `low` to `high`, `width` digits."""
    low_text, high_text = f"{low:0{width}d}", f"{high:0{width}d}"
    if width == 1:
        return low_text if low == high else f"[{low_text}-{high_text}]"
    first_low, first_high = low_text[0], high_text[0]
    rest_low, rest_high = int(low_text[1:]), int(high_text[1:])
    rest_max = 10 ** (width - 1) - 1
    if rest_low == 0 and rest_high == rest_max:
        head = first_low if first_low == first_high else f"[{first_low}-{first_high}]"
        return head + "[0-9]" * (width - 1)
    if first_low == first_high:
        return first_low + digits_between(rest_low, rest_high, width - 1)
    parts = [first_low + digits_between(rest_low, rest_max, width - 1)]
    if int(first_high) - int(first_low) > 1:
        middle = digits_between(int(first_low) + 1, int(first_high) - 1, 1)
        parts.append(middle + "[0-9]" * (width - 1))
    parts.append(first_high + digits_between(0, rest_high, width - 1))
    return "(" + "|".join(parts) + ")"


def dates_until(last: date) -> str:
    """A regular expression for the YYYY-MM-DD dates from MIN_DATE to `last`."""
    parts = []
    if last.year > MIN_DATE.year:
        parts.append(f"{digits_between(MIN_DATE.year, last.year - 1, 4)}-{MONTH_DAY_PATTERN}")
    if last.month > 1:
        parts.append(
            f"{last.year}-{digits_between(1, last.month - 1, 2)}-(0[1-9]|[12][0-9]|3[01])"
        )
    parts.append(f"{last.year}-{last.month:02d}-{digits_between(1, last.day, 2)}")
    return "(" + "|".join(parts) + ")"


def intake_patterns(today: date) -> dict[str, str]:
    """The contract's static date patterns, each mapped to intake's (no later than tomorrow)."""
    dates = dates_until(latest_date_on(today))
    return {
        datetime_pattern(): datetime_pattern(dates),
        datetime_pattern(offset_required=False): datetime_pattern(dates, offset_required=False),
        date_pattern(): date_pattern(dates),
    }


def latest_date_on(today: date) -> date:
    return latest_date(datetime.combine(today, time(12), tzinfo=UTC))


def _replace_patterns(node: Any, patterns: dict[str, str]) -> None:
    stack = [node]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            pattern = value.get("pattern")
            if isinstance(pattern, str) and pattern in patterns:
                value["pattern"] = patterns[pattern]
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


def install_openapi(app: FastAPI) -> None:
    served_on: list[date] = []

    def openapi() -> dict[str, Any]:
        today = utcnow().date()
        if app.openapi_schema and served_on == [today]:
            return app.openapi_schema
        document = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        components = document.setdefault("components", {}).setdefault("schemas", {})
        for name, schema in _component_schemas().items():
            components.setdefault(name, schema)
        _replace_patterns(components, intake_patterns(today))
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
        served_on[:] = [today]
        return document

    # FastAPI's documented way to customise the schema is to replace this method.
    app.openapi = openapi  # type: ignore[method-assign]


VENDOR = "/static/vendor"
# Nothing leaves the service from the documentation pages (Redoc's footer would fetch its logo
# from a CDN): our own scripts, styles and images only; Redoc's search runs in a blob worker.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'"
)


def _offline(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = DOCS_CSP
    return page


def install_docs(app: FastAPI) -> None:
    """/docs (Swagger UI) and /redoc from the vendored copies under api/static/vendor: they
    work without internet, and load nothing from a CDN (no Google fonts, no favicon)."""

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return _offline(
            get_swagger_ui_html(
                openapi_url="/openapi.json",
                title=f"{app.title} – API",
                swagger_js_url=f"{VENDOR}/swagger-ui/swagger-ui-bundle.js",
                swagger_css_url=f"{VENDOR}/swagger-ui/swagger-ui.css",
                swagger_favicon_url="data:,",
            )
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return _offline(
            get_redoc_html(
                openapi_url="/openapi.json",
                title=f"{app.title} – API",
                redoc_js_url=f"{VENDOR}/redoc/redoc.standalone.js",
                redoc_favicon_url="data:,",
                with_google_fonts=False,
            )
        )
