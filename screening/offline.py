"""Offline screening of a JSONL file (contract section 3): no server, broker or database.

Lines are read and validated one by one; valid ones are screened in chunks (the model runs once
per chunk) and every output line is written in input order. A bad line becomes an error object
naming its line and fields, and the run goes on.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from pydantic import ValidationError

from models.contract import Notification
from models.problems import problem, validation_problem
from screening.policy import DEFAULT_POLICY, Policy
from screening.screener import Screener

CHUNK = 256


@dataclass
class Tally:
    screened: int = 0
    rejected: int = 0


def _reference_of(raw: Any) -> str | None:
    if isinstance(raw, dict) and isinstance(raw.get("reference"), str):
        return raw["reference"][:64]
    return None


def parse_line(number: int, line: str) -> Notification | dict[str, Any]:
    """A Notification, or the error object that takes the line's place in the output."""
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        body = problem(400, "malformed-json", "The line is not valid JSON",
                       f"line {number}: {exc.msg} at column {exc.colno}")
        return {"reference": None, "line": number, "error": body}
    try:
        return Notification.model_validate(raw)
    except ValidationError as exc:
        body = validation_problem(exc, instance=f"line {number}")
        return {"reference": _reference_of(raw), "line": number, "error": body}


def _numbered(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield number, line


def screen_lines(
    lines: Iterable[str], screener: Screener, policy: Policy = DEFAULT_POLICY
) -> Iterator[dict[str, Any]]:
    """One output object per non-blank input line, in input order."""
    chunk: list[Notification | dict[str, Any]] = []

    def flush() -> Iterator[dict[str, Any]]:
        valid = [item for item in chunk if isinstance(item, Notification)]
        results = iter(screener.screen_many(valid, policy))
        for item in chunk:
            if isinstance(item, Notification):
                yield next(results).model_dump(mode="json")
            else:
                yield item
        chunk.clear()

    for number, line in _numbered(lines):
        chunk.append(parse_line(number, line))
        if len(chunk) >= CHUNK:
            yield from flush()
    yield from flush()


def screen_file(
    source: TextIO, sink: TextIO, screener: Screener, policy: Policy, errors: TextIO | None = None
) -> Tally:
    errors = errors or sys.stderr
    tally = Tally()
    for output in screen_lines(source, screener, policy):
        if "error" in output:
            tally.rejected += 1
            error = output["error"]
            fields = ", ".join(e["field"] for e in error.get("errors", [])) or error["title"]
            print(f"line {output['line']}: rejected: {fields}", file=errors)
        else:
            tally.screened += 1
        sink.write(json.dumps(output, separators=(",", ":")) + "\n")
    return tally
