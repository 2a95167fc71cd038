"""Reading a JSON request body within a size limit: 415 if not JSON, 413 if too large, 400 if
malformed (including `NaN`, `Infinity` and text that is not UTF-8), 422 if nested deeper than
`MAX_DEPTH`. Returns the text exactly as received and the parsed document.

The parser is orjson, which never recurses in Python (the standard library's `json.loads` raises
`RecursionError` on a body a few kilobytes long nested a thousand deep) and refuses `NaN`,
`Infinity` and lone surrogates, none of which is JSON. Its own nesting limit (1,024) is far
above ours; the depth of what it returns is then measured with an explicit stack.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import Request

from api.problems import FieldError, ProblemError
from models.settings import MIB

# A notification is at most four levels deep (body, people, person, field) and a batch two more;
# 32 leaves room for extensions without letting a body of brackets through.
MAX_DEPTH = 32
_NOT_JSON_CONSTANTS = (b"NaN", b"Infinity", b"-Infinity")


@dataclass(frozen=True)
class JsonBody:
    text: str
    document: Any


def is_json_media_type(content_type: str | None) -> bool:
    if not content_type:
        return False
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def _too_large(limit: int) -> ProblemError:
    size = f"{limit // MIB} MiB" if limit % MIB == 0 else f"{limit} bytes"
    return ProblemError(413, f"The request body is larger than {size}.")


def too_deep() -> ProblemError:
    return ProblemError(
        422,
        f"The request body is nested more than {MAX_DEPTH} levels deep.",
        errors=[
            FieldError(
                pointer="",
                path="",
                type="too_deep",
                msg=f"arrays and objects may be nested at most {MAX_DEPTH} deep",
            )
        ],
    )


def depth(document: Any) -> int:
    """How deeply arrays and objects nest in `document` (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            return deepest
        stack.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return deepest


def parse_json(raw: bytes) -> Any:
    """The parsed document, or a ProblemError (400 malformed, 422 too deep)."""
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        if error.msg == "depth limit exceeded":
            raise too_deep() from None
        if raw[error.pos : error.pos + 9].startswith(_NOT_JSON_CONSTANTS):
            reason = "NaN and Infinity are not JSON numbers"
        elif "surrogate" in error.msg.lower():
            reason = "an unpaired surrogate in a \\u escape"
        elif "utf-8" in error.msg.lower():
            reason = "not UTF-8 text"
        else:
            reason = error.msg
        # orjson's message gives a position and a reason, never the content.
        raise ProblemError(
            400,
            f"The request body is not valid JSON ({reason} at line {error.lineno} "
            f"column {error.colno}).",
        ) from None
    if depth(document) > MAX_DEPTH:
        raise too_deep()
    return document


async def read_json_body(request: Request, limit: int) -> JsonBody:
    if not is_json_media_type(request.headers.get("content-type")):
        raise ProblemError(415, "The request body must be JSON (Content-Type: application/json).")
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    raw = b"".join(chunks)
    document = parse_json(raw)
    # orjson accepted it, so it is valid UTF-8.
    return JsonBody(raw.decode("utf-8"), document)
