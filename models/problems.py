"""RFC 9457 problem details for contract validation errors, without the offending values.

Shared by the HTTP API and the offline screener so that a police integrator sees the same
error for the same bad field either way: each field error has a JSON `pointer`, a dotted `path`,
a `type` and a `msg`. Input values are never echoed: they may be personal data.
"""

from __future__ import annotations

from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from pydantic import ValidationError

VALIDATION_DETAIL = "The request failed validation."


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def field_errors(
    errors: Sequence[dict[str, Any]], prefix: Sequence[str | int] = ()
) -> list[dict[str, str]]:
    """Pydantic errors (from `errors(include_input=False)`) as field errors with paths."""
    result = []
    for error in errors:
        loc = [*prefix, *error.get("loc", ())]
        msg = str(error.get("msg", "invalid"))
        # A model validator reports "people.0.age: ..." itself; lift that path out of msg.
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
            head, sep, rest = msg.partition(": ")
            if sep and head and " " not in head:
                loc = [*loc, *(int(p) if p.isdigit() else p for p in head.split("."))]
                msg = rest
        result.append(
            {
                "pointer": "/" + "/".join(_escape(str(p)) for p in loc) if loc else "",
                "path": ".".join(str(p) for p in loc),
                "type": str(error.get("type", "value_error")),
                "msg": msg,
            }
        )
    return result


def errors_of(exc: ValidationError) -> list[dict[str, Any]]:
    return exc.errors(include_input=False, include_url=False, include_context=False)  # type: ignore[return-value]


def problem(status: int, detail: str | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "about:blank", "title": HTTPStatus(status).phrase,
                            "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return body


def validation_problem(exc: ValidationError, instance: str | None = None) -> dict[str, Any]:
    extra: dict[str, Any] = {"errors": field_errors(errors_of(exc))}
    if instance:
        extra["instance"] = instance
    return problem(422, VALIDATION_DETAIL, **extra)
