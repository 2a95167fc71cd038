"""Offline screening of a JSONL file (contract section 3): no server, broker or database.

Lines are read and validated one by one; valid ones are screened in chunks (the model runs once
per chunk) and every output line is written in input order. A bad line becomes an error object
naming its line and fields, and the run goes on.

Lines are validated straight from JSON (`model_validate_json`) and results serialised straight
to JSON (`model_dump_json`); a line the fast path refuses is parsed again the slow way, so that
its error object is exactly the one `json.loads` and `model_validate` give.
"""

from __future__ import annotations

import gc
import itertools
import json
import multiprocessing
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO, TypeVar

from pydantic import ValidationError
from pydantic_core import PydanticSerializationError

from models.contract import Notification, ScreeningResult
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
        return Notification.model_validate_json(line)
    except ValidationError:
        pass  # say why as the standard library and the Python validator would
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        body = problem(400, f"The line is not valid JSON: {exc.msg} at column {exc.colno}.",
                       instance=f"line {number}")
        return {"reference": None, "line": number, "error": body}
    except RecursionError:  # the standard library's decoder gives up on deep nesting
        body = problem(400, "The line is not valid JSON: it is nested too deeply.",
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


def _screened(
    chunk: list[tuple[int, str]], screener: Screener, policy: Policy
) -> list[ScreeningResult | dict[str, Any]]:
    """Validate and screen numbered lines; the model runs once for the valid ones."""
    parsed = [parse_line(number, line) for number, line in chunk]
    valid = [item for item in parsed if isinstance(item, Notification)]
    results = iter(screener.screen_many(valid, policy))
    return [next(results) if isinstance(item, Notification) else item for item in parsed]


def screen_chunk(
    chunk: list[tuple[int, str]], screener: Screener, policy: Policy
) -> list[dict[str, Any]]:
    """Validate and screen numbered lines; the model runs once for the valid ones."""
    return [
        item.model_dump(mode="json") if isinstance(item, ScreeningResult) else item
        for item in _screened(chunk, screener, policy)
    ]


def rejection(output: dict[str, Any]) -> str | None:
    """For an error object, the line's message for standard error: its line and fields."""
    if "error" not in output:
        return None
    error = output["error"]
    fields = ", ".join(e["path"] for e in error.get("errors", [])) or error["detail"]
    return f"line {output['line']}: rejected: {fields}"


def _dumps(output: dict[str, Any]) -> str:
    return json.dumps(output, separators=(",", ":"))


def result_json(result: ScreeningResult) -> str:
    """The result as one line, the same characters as `json.dumps` of its JSON-mode dump.

    pydantic escapes non-ASCII as `json.dumps` does except DEL (U+007F); floats agree for
    scores (four decimals), the only floats in a result.
    """
    try:
        return result.model_dump_json(ensure_ascii=True).replace("\x7f", "\\u007f")
    except PydanticSerializationError:  # e.g. a lone surrogate from a `\ud800` escape
        return _dumps(result.model_dump(mode="json"))


def screen_chunk_json(
    chunk: list[tuple[int, str]], screener: Screener, policy: Policy
) -> list[tuple[str, str | None]]:
    """Like `screen_chunk`, serialised where it is made: (output line, rejection or None)."""
    return [
        (result_json(item), None) if isinstance(item, ScreeningResult)
        else (_dumps(item), rejection(item))
        for item in _screened(chunk, screener, policy)
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
    chunks = _chunks(lines)
    ahead = list(itertools.islice(chunks, 2))
    if processes <= 1 or len(ahead) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        # One chunk (a single notification, a short file) is screened here: starting workers
        # for it cost more than its screening (half a second of one notification's run).
        for chunk in itertools.chain(ahead, chunks):
            yield from function(chunk, screener, policy)
        return
    screener.warm()  # built once here, shared copy-on-write by the workers
    # Frozen objects are never visited by the collector, so the workers' collections do not
    # write to (and so copy) the pages of the loaded rules and model they share.
    froze = gc.get_freeze_count() == 0
    gc.freeze()
    _FORKED = (screener, policy, function)
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            for outputs in pool.imap(_in_worker, itertools.chain(ahead, chunks)):
                yield from outputs
    finally:
        _FORKED = None
        if froze:
            gc.unfreeze()


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
