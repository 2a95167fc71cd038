"""RFC 9457 problem details for contract validation errors, without the offending values.

Shared by the HTTP API and the offline screener so that a police integrator sees the same
error for the same bad field either way. Input values are never echoed: they may be personal data.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

PROBLEM_BASE = "https://dvscreen.invalid/problems/"


def field_path(location: tuple[int | str, ...]) -> str:
    """`("people", 0, "age")` -> `people.0.age`; the model itself -> `(notification)`."""
    return ".".join(str(part) for part in location) or "(notification)"


def field_errors(exc: ValidationError) -> list[dict[str, str]]:
    errors = []
    for error in exc.errors(include_input=False, include_url=False, include_context=False):
        message = str(error["msg"]).removeprefix("Value error, ")
        errors.append({"field": field_path(tuple(error["loc"])), "message": message,
                       "type": str(error["type"])})
    return errors


def validation_problem(exc: ValidationError, instance: str | None = None) -> dict[str, Any]:
    errors = field_errors(exc)
    fields = ", ".join(sorted({e["field"] for e in errors}))
    problem: dict[str, Any] = {
        "type": PROBLEM_BASE + "validation",
        "title": "The notification does not match the contract",
        "status": 422,
        "detail": f"{len(errors)} error(s) in: {fields}",
        "errors": errors,
    }
    if instance:
        problem["instance"] = instance
    return problem


def problem(status: int, slug: str, title: str, detail: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"type": PROBLEM_BASE + slug, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    return body
