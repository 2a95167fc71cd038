"""Reading a JSON request body within a size limit: 415 if not JSON, 413 if too large, 400 if
malformed. Returns the text exactly as received and the parsed document."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fastapi import Request

from api.problems import ProblemError
from models.settings import MIB


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


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _too_large(limit: int) -> ProblemError:
    size = f"{limit // MIB} MiB" if limit % MIB == 0 else f"{limit} bytes"
    return ProblemError(413, f"The request body is larger than {size}.")


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
    try:
        text = raw.decode("utf-8")
        document = json.loads(text, parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError) as error:
        # json's message gives a position, never the content.
        where = (
            f" ({error.msg} at line {error.lineno} column {error.colno})"
            if isinstance(error, json.JSONDecodeError)
            else " (not UTF-8)"
        )
        raise ProblemError(400, "The request body is not valid JSON" + where + ".") from None
    return JsonBody(text, document)
