"""Reading labelled data files (contract section 5), with errors that name line and field."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from models.contract import LabelledNotification
from models.problems import errors_of, field_errors


class LabelledDataError(ValueError):
    """A labelled line that does not match the contract; names the file, line and fields."""


def read_labelled(path: Path | str) -> Iterator[LabelledNotification]:
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield LabelledNotification.model_validate(json.loads(line))
            except json.JSONDecodeError as exc:
                raise LabelledDataError(f"{path}: line {number}: not JSON ({exc.msg})") from None
            except ValidationError as exc:
                fields = "; ".join(f"{e['path']}: {e['msg']}" for e in field_errors(errors_of(exc)))
                raise LabelledDataError(f"{path}: line {number}: {fields}") from None
