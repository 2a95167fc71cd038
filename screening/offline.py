"""Offline screening of a JSONL file (contract section 3): no server, broker or database.

Lines are read and validated one by one; valid ones are screened in chunks (the model runs once
per chunk) and every output line is written in input order. A bad line becomes an error object
naming its line and fields, and the run goes on.
"""

from __future__ import annotations

import json
import multiprocessing
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO, TypeVar

from pydantic import ValidationError

from models.contract import Notification
from models.problems import problem, validation_problem
from screening.policy import DEFAULT_POLICY, Policy
from screening.screener import Screener

CHUNK = 128
T = TypeVar("T")


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
        body = problem(400, f"The line is not valid JSON: {exc.msg} at column {exc.colno}.",
                       instance=f"line {number}")
        return {"reference": None, "line": number, "error": body}
    try:
        return Notification.model_validate(raw)
    except ValidationError as exc:
        body = validation_problem(exc, instance=f"line {number}")
        return {"reference": _reference_of(raw), "line": number, "error": body}


def _chunks(lines: Iterable[str]) -> Iterator[list[tuple[int, str]]]:
    chunk: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            chunk.append((number, line))
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


def screen_chunk(
    chunk: list[tuple[int, str]], screener: Screener, policy: Policy
) -> list[dict[str, Any]]:
    """Validate and screen numbered lines; the model runs once for the valid ones."""
    parsed = [parse_line(number, line) for number, line in chunk]
    valid = [item for item in parsed if isinstance(item, Notification)]
    results = iter(screener.screen_many(valid, policy))
    return [
        next(results).model_dump(mode="json") if isinstance(item, Notification) else item
        for item in parsed
    ]


def rejection(output: dict[str, Any]) -> str | None:
    """For an error object, the line's message for standard error: its line and fields."""
    if "error" not in output:
        return None
    error = output["error"]
    fields = ", ".join(e["path"] for e in error.get("errors", [])) or error["detail"]
    return f"line {output['line']}: rejected: {fields}"


def screen_chunk_json(
    chunk: list[tuple[int, str]], screener: Screener, policy: Policy
) -> list[tuple[str, str | None]]:
    """Like `screen_chunk`, serialised where it is made: (output line, rejection or None)."""
    return [
        (json.dumps(output, separators=(",", ":")), rejection(output))
        for output in screen_chunk(chunk, screener, policy)
    ]


# A forked worker process inherits the loaded screener, policy and chunk function through this.
_FORKED: tuple[Screener, Policy, Callable[..., list[Any]]] | None = None


def _in_worker(chunk: list[tuple[int, str]]) -> list[Any]:
    assert _FORKED is not None
    screener, policy, function = _FORKED
    return function(chunk, screener, policy)


def _run(
    lines: Iterable[str],
    screener: Screener,
    policy: Policy,
    processes: int,
    function: Callable[[list[tuple[int, str]], Screener, Policy], list[T]],
) -> Iterator[T]:
    """Apply `function` to each chunk, here or in forked workers, keeping input order."""
    global _FORKED
    if processes <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for chunk in _chunks(lines):
            yield from function(chunk, screener, policy)
        return
    screener.warm()  # built once here, shared copy-on-write by the workers
    _FORKED = (screener, policy, function)
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            for outputs in pool.imap(_in_worker, _chunks(lines)):
                yield from outputs
    finally:
        _FORKED = None


def screen_lines(
    lines: Iterable[str],
    screener: Screener,
    policy: Policy = DEFAULT_POLICY,
    processes: int = 1,
) -> Iterator[dict[str, Any]]:
    """One output object per non-blank input line, in input order.

    With `processes` > 1, chunks are screened by forked worker processes that share the loaded
    rules and model; `imap` keeps the output in input order.
    """
    return _run(lines, screener, policy, processes, screen_chunk)


def screen_file(
    source: TextIO,
    sink: TextIO,
    screener: Screener,
    policy: Policy,
    errors: TextIO | None = None,
    processes: int = 1,
) -> Tally:
    errors = errors or sys.stderr
    tally = Tally()
    for line, rejected in _run(source, screener, policy, processes, screen_chunk_json):
        if rejected:
            tally.rejected += 1
            print(rejected, file=errors)
        else:
            tally.screened += 1
        sink.write(line + "\n")
    return tally
